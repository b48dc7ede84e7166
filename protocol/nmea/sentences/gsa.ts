// GSA: GNSS DOP and active satellites.
//
//   $GPGSA,a,x,xx,xx,xx,xx,xx,xx,xx,xx,xx,xx,xx,xx,p.p,h.h,v.v,s*hh
//   $GNGSA,A,3,01,11,31,14,22,32,04,25,03,,,,1.56,0.91,1.27*15
//    1 selection M/A  2 fix type 1/2/3  3-14 PRNs used  15 PDOP  16 HDOP  17 VDOP  18 system id (NMEA 4.10+)
//
// Some receivers list more than 12 PRN slots (saab-r4 sends 24): the DOPs are then the last three fields.
// With exactly 18 fields the last one is the 4.10 system id (an integer); beidou-bd sends a fourth DOP (TDOP,
// "1.2") there instead, which is not a system id and is left out.
import * as fields from '../fields.js';
import type { NmeaFields } from '../fields.js';
import * as codes from '../codes.js';
import { NmeaReject } from '../reject.js';
import { GSA_MAX_PRNS, type NmeaSentence } from '../sentence.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { FIELD_OK, NUM, decimal, integer, letter, numbers } = fields;
const { ABSENT_CHAR, charOf } = codes;

export function decodeGsa(f: NmeaFields, s: NmeaSentence): number {
  const n = f.count - 1; // data fields
  const last = n === 18 ? 17 : n; // the VDOP field
  const sel = letter(f, 1);
  if (sel < 0 || last - 5 > GSA_MAX_PRNS) return NmeaReject.BAD_FIELD;
  const bad = integer(f, 2) | decimal(f, last - 2) | decimal(f, last - 1) | decimal(f, last);
  if (bad !== FIELD_OK) return NmeaReject.BAD_FIELD;
  const v = NUM;
  s.selectionMode = charOf(sel);
  s.fixType = v[2] as number;
  s.pdop = v[last - 2] as number;
  s.hdop = v[last - 1] as number;
  s.vdop = v[last] as number;
  // Written whatever the layout: the record is not cleared between two sentences of the same type.
  s.systemId = n === 18 && integer(f, 18) === FIELD_OK ? (v[18] as number) : NaN;
  if (numbers(f, 3, last - 2, 0) !== FIELD_OK) return NmeaReject.BAD_FIELD;
  const prns = s.usedPrns;
  let used = 0;
  for (let i = 3; i < last - 2; i++) {
    const prn = v[i] as number;
    if (prn === prn) prns[used++] = prn;
  }
  s.usedPrnCount = used;
  return 0;
}

/** Sets every field decodeGsa writes back to absent (the decoder calls it when the next sentence is of another type). */
export function clearGsa(s: NmeaSentence): void {
  s.fixType = NaN;
  s.pdop = NaN;
  s.hdop = NaN;
  s.vdop = NaN;
  s.systemId = NaN;
  s.selectionMode = ABSENT_CHAR;
  s.usedPrnCount = 0;
}
