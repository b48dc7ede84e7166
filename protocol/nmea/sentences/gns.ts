// GNS: GNSS fix data (NMEA 3.0+), the multi-constellation successor of GGA.
//
//   $GNGNS,hhmmss.ss,llll.ll,a,yyyyy.yy,a,c--c,nn,h.h,a.a,g.g,t.t,iiii,s*hh
//   $GNGNS,213712.000,4111.59903,N,11156.54809,W,AANN,13,0.93,01482.5,-016.5,,*52
//    1 time  2-3 latitude  4-5 longitude  6 mode, one letter per constellation (GPS, GLONASS, Galileo, BeiDou,
//    ...: A autonomous, D differential, N no fix, ...)  7 satellites used  8 HDOP  9 altitude MSL m
//    10 geoid separation m  11 DGPS age s  12 DGPS station id  13 navigational status (NMEA 4.1+)
//
// Not in the list, but gpsd takes positions and times from it (quectel-eg25-g, ericsson-gru04), so the
// golden tests need it. `mode` holds the first constellation's letter that is not 'N' (else 'N');
// positionValid is true when any constellation has a fix.
import * as fields from '../fields.js';
import type { NmeaFields } from '../fields.js';
import * as codes from '../codes.js';
import { NmeaReject } from '../reject.js';
import type { NmeaSentence } from '../sentence.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { AT, FIELD_OK, NUM, angle, decimal, integer, letter, timeOfDay } = fields;
const { ABSENT_CHAR, charOf } = codes;

export function decodeGns(f: NmeaFields, s: NmeaSentence): number {
  const nav = letter(f, 13);
  const bad =
    timeOfDay(f, 1) | angle(f, 2, 90) | angle(f, 4, 180) | integer(f, 7) | decimal(f, 8) | decimal(f, 9) |
    decimal(f, 10) | decimal(f, 11) | integer(f, 12);
  if (bad !== FIELD_OK || nav < 0) return NmeaReject.BAD_FIELD;
  let mode = 0;
  const b = f.buf;
  for (let p = AT[6] as number, e = (AT[7] as number) - 1; p < e; p++) {
    const c = b[p] as number;
    if (c < 65 || c > 90) return NmeaReject.BAD_FIELD;
    if (mode === 0 || (mode === 78 && c !== 78)) mode = c;
  }
  const v = NUM;
  s.timeOfDayMs = v[1] as number;
  s.latitude = v[2] as number;
  s.longitude = v[4] as number;
  s.mode = charOf(mode);
  s.satellitesUsed = v[7] as number;
  s.hdop = v[8] as number;
  s.altitudeM = v[9] as number;
  s.geoidSeparationM = v[10] as number;
  s.dgpsAgeS = v[11] as number;
  s.dgpsStationId = v[12] as number;
  s.navigationalStatus = charOf(nav);
  s.positionValid = mode !== 0 && mode !== 78 && s.latitude === s.latitude && s.longitude === s.longitude;
  return 0;
}

/** Sets every field decodeGns writes back to absent (the decoder calls it when the next sentence is of another type). */
export function clearGns(s: NmeaSentence): void {
  s.timeOfDayMs = NaN;
  s.latitude = NaN;
  s.longitude = NaN;
  s.satellitesUsed = NaN;
  s.hdop = NaN;
  s.altitudeM = NaN;
  s.geoidSeparationM = NaN;
  s.dgpsAgeS = NaN;
  s.dgpsStationId = NaN;
  s.positionValid = false;
  s.mode = ABSENT_CHAR;
  s.navigationalStatus = ABSENT_CHAR;
}
