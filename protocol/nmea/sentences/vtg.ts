// VTG: course over ground and ground speed.
//
//   $GPVTG,x.x,T,x.x,M,x.x,N,x.x,K,m*hh
//   $GNVTG,,T,,M,0.117,N,0.216,K,A*3F
//    1-2 course true deg, T  3-4 course magnetic deg, M  5-6 speed knots, N  7-8 speed km/h, K  9 mode (2.3+)
//
// Pre-2.0 receivers send the four numbers without unit letters: $GPVTG,054.7,034.4,005.5,010.2
// (course true, course magnetic, knots, km/h); we tell the two apart by field 2 being 'T'.
import * as fields from '../fields.js';
import type { NmeaFields } from '../fields.js';
import * as codes from '../codes.js';
import { NmeaReject } from '../reject.js';
import type { NmeaSentence } from '../sentence.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { FIELD_OK, NUM, decimal, letter, unitIs } = fields;
const { ABSENT_CHAR, charOf } = codes;

export function decodeVtg(f: NmeaFields, s: NmeaSentence): number {
  const v = NUM;
  if (letter(f, 2) === 84 || f.count > 5) {
    const mode = letter(f, 9);
    const bad = decimal(f, 1) | decimal(f, 3) | decimal(f, 5) | decimal(f, 7);
    const units = unitIs(f, 2, 84) && unitIs(f, 4, 77) && unitIs(f, 6, 78) && unitIs(f, 8, 75);
    if (bad !== FIELD_OK || !units || mode < 0) return NmeaReject.BAD_FIELD;
    s.courseTrueDeg = v[1] as number;
    s.courseMagneticDeg = v[3] as number;
    s.speedKnots = v[5] as number;
    s.speedKmh = v[7] as number;
    s.mode = charOf(mode);
    return 0;
  }
  const bad = decimal(f, 1) | decimal(f, 2) | decimal(f, 3) | decimal(f, 4);
  if (bad !== FIELD_OK) return NmeaReject.BAD_FIELD;
  s.courseTrueDeg = v[1] as number;
  s.courseMagneticDeg = v[2] as number;
  s.speedKnots = v[3] as number;
  s.speedKmh = v[4] as number;
  s.mode = ABSENT_CHAR; // the record is not cleared between two sentences of the same type
  return 0;
}

/** Sets every field decodeVtg writes back to absent (the decoder calls it when the next sentence is of another type). */
export function clearVtg(s: NmeaSentence): void {
  s.courseTrueDeg = NaN;
  s.courseMagneticDeg = NaN;
  s.speedKnots = NaN;
  s.speedKmh = NaN;
  s.mode = ABSENT_CHAR;
}
