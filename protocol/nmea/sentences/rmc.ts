// RMC: recommended minimum specific GNSS data.
//
//   $GPRMC,hhmmss.ss,A,llll.ll,a,yyyyy.yy,a,x.x,x.x,ddmmyy,x.x,a,m,s*hh
//   $GNRMC,171926.00,A,4404.14063,N,12118.85478,W,0.117,,180315,,,A*76
//    1 time  2 status A/V  3-4 latitude  5-6 longitude  7 speed knots  8 course true deg  9 date ddmmyy
//    10-11 magnetic variation deg, E/W  12 mode (NMEA 2.3+)  13 navigational status (NMEA 4.1+)
//
// NMEA 2.0 receivers send 11 fields (no mode), 2.3 sends 12, 4.1 sends 13; all are accepted.
import * as fields from '../fields.js';
import type { NmeaFields } from '../fields.js';
import * as codes from '../codes.js';
import { NmeaReject } from '../reject.js';
import type { NmeaSentence } from '../sentence.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { FIELD_OK, NUM, YMD, angle, date, decimal, letter, timeOfDay } = fields;
const { ABSENT_CHAR, charOf } = codes;

export function decodeRmc(f: NmeaFields, s: NmeaSentence): number {
  const status = letter(f, 2);
  const ew = letter(f, 11);
  const mode = letter(f, 12);
  const nav = letter(f, 13);
  const bad = timeOfDay(f, 1) | angle(f, 3, 90) | angle(f, 5, 180) | decimal(f, 7) | decimal(f, 8) | date(f, 9) | decimal(f, 10);
  if (bad !== FIELD_OK || (status !== 65 && status !== 86) || ew < 0 || mode < 0 || nav < 0) return NmeaReject.BAD_FIELD;
  const v = NUM;
  s.timeOfDayMs = v[1] as number;
  s.status = charOf(status);
  s.latitude = v[3] as number;
  s.longitude = v[5] as number;
  s.speedKnots = v[7] as number;
  s.courseTrueDeg = v[8] as number;
  s.day = YMD[0] as number;
  s.month = YMD[1] as number;
  s.year = YMD[2] as number;
  // The E/W letter gives the direction, the number only the size: gpsd's own NMEA output keeps the minus sign
  // of a west variation ('-15.9,W', gpsd's u-blox-m8t-time and skytraq-A8 captures), which negated read as east.
  const mv = v[10] as number;
  s.magneticVariationDeg = ew === 87 ? -Math.abs(mv) : ew === 69 ? Math.abs(mv) : mv;
  s.mode = charOf(mode);
  s.navigationalStatus = charOf(nav);
  s.positionValid = status === 65 && mode !== 78 && s.latitude === s.latitude && s.longitude === s.longitude;
  return 0;
}

/** Sets every field decodeRmc writes back to absent (the decoder calls it when the next sentence is of another type). */
export function clearRmc(s: NmeaSentence): void {
  s.timeOfDayMs = NaN;
  s.latitude = NaN;
  s.longitude = NaN;
  s.speedKnots = NaN;
  s.courseTrueDeg = NaN;
  s.day = NaN;
  s.month = NaN;
  s.year = NaN;
  s.magneticVariationDeg = NaN;
  s.positionValid = false;
  s.status = ABSENT_CHAR;
  s.mode = ABSENT_CHAR;
  s.navigationalStatus = ABSENT_CHAR;
}
