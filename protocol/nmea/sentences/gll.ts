// GLL: geographic position, latitude and longitude.
//
//   $GPGLL,llll.ll,a,yyyyy.yy,a,hhmmss.ss,A,m*hh
//   $GNGLL,4404.14066,N,12118.85481,W,171925.00,A,A*66
//    1-2 latitude  3-4 longitude  5 time  6 status A/V  7 mode (NMEA 2.3+)
//
// NMEA 2.0 receivers (garmin48) send 6 fields, without the mode.
import * as fields from '../fields.js';
import type { NmeaFields } from '../fields.js';
import * as codes from '../codes.js';
import { NmeaReject } from '../reject.js';
import type { NmeaSentence } from '../sentence.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { FIELD_OK, NUM, angle, letter, timeOfDay } = fields;
const { ABSENT_CHAR, charOf } = codes;

export function decodeGll(f: NmeaFields, s: NmeaSentence): number {
  const status = letter(f, 6);
  const mode = letter(f, 7);
  const bad = angle(f, 1, 90) | angle(f, 3, 180) | timeOfDay(f, 5);
  if (bad !== FIELD_OK || status < 0 || mode < 0) return NmeaReject.BAD_FIELD;
  const v = NUM;
  s.latitude = v[1] as number;
  s.longitude = v[3] as number;
  s.timeOfDayMs = v[5] as number;
  s.status = charOf(status);
  s.mode = charOf(mode);
  s.positionValid = status === 65 && mode !== 78 && s.latitude === s.latitude && s.longitude === s.longitude;
  return 0;
}

/** Sets every field decodeGll writes back to absent (the decoder calls it when the next sentence is of another type). */
export function clearGll(s: NmeaSentence): void {
  s.latitude = NaN;
  s.longitude = NaN;
  s.timeOfDayMs = NaN;
  s.positionValid = false;
  s.status = ABSENT_CHAR;
  s.mode = ABSENT_CHAR;
}
