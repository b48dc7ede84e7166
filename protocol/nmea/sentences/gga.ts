// GGA: Global Positioning System fix data.
//
//   $GPGGA,hhmmss.ss,llll.ll,a,yyyyy.yy,a,q,nn,h.h,a.a,M,g.g,M,t.t,iiii*hh
//   $GNGGA,171926.00,4404.14063,N,12118.85478,W,1,12,0.91,1147.2,M,-21.3,M,,*44
//    1 time  2-3 latitude  4-5 longitude  6 quality  7 satellites used  8 HDOP
//    9-10 altitude above MSL, M  11-12 geoid separation, M  13 DGPS age s  14 DGPS station id
//
// Receivers that stop early (saab-r4 sends 14 fields with the tail empty, old Garmins stop after the altitude)
// are accepted from the altitude on; a quality of 0 means the position, if any, is not a fix.
import * as fields from '../fields.js';
import type { NmeaFields } from '../fields.js';
import { NmeaReject } from '../reject.js';
import type { NmeaSentence } from '../sentence.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { FIELD_OK, NUM, angle, decimal, integer, timeOfDay, unitIs } = fields;

export function decodeGga(f: NmeaFields, s: NmeaSentence): number {
  const bad =
    timeOfDay(f, 1) |
    angle(f, 2, 90) |
    angle(f, 4, 180) |
    integer(f, 6) |
    integer(f, 7) |
    decimal(f, 8) |
    decimal(f, 9) |
    decimal(f, 11) |
    decimal(f, 13) |
    integer(f, 14);
  if (bad !== FIELD_OK || !unitIs(f, 10, 77) || !unitIs(f, 12, 77)) return NmeaReject.BAD_FIELD;
  const v = NUM;
  s.timeOfDayMs = v[1] as number;
  s.latitude = v[2] as number;
  s.longitude = v[4] as number;
  s.fixQuality = v[6] as number;
  s.satellitesUsed = v[7] as number;
  s.hdop = v[8] as number;
  s.altitudeM = v[9] as number;
  s.geoidSeparationM = v[11] as number;
  s.dgpsAgeS = v[13] as number;
  s.dgpsStationId = v[14] as number;
  s.positionValid = (v[6] as number) > 0 && s.latitude === s.latitude && s.longitude === s.longitude;
  return 0;
}

/** Sets every field decodeGga writes back to absent (the decoder calls it when the next sentence is of another type). */
export function clearGga(s: NmeaSentence): void {
  s.timeOfDayMs = NaN;
  s.latitude = NaN;
  s.longitude = NaN;
  s.fixQuality = NaN;
  s.satellitesUsed = NaN;
  s.hdop = NaN;
  s.altitudeM = NaN;
  s.geoidSeparationM = NaN;
  s.dgpsAgeS = NaN;
  s.dgpsStationId = NaN;
  s.positionValid = false;
}
