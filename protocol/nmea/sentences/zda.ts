// ZDA: UTC time and date, local zone.
//
//   $GPZDA,hhmmss.ss,dd,mm,yyyy,zh,zm*hh
//   $GPZDA,160012.71,11,03,2004,-1,00*7D
//    1 time  2 day  3 month  4 year (four digits)  5 local zone hours  6 local zone minutes
import * as fields from '../fields.js';
import type { NmeaFields } from '../fields.js';
import { NmeaReject } from '../reject.js';
import type { NmeaSentence } from '../sentence.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { FIELD_OK, NUM, decimal, integer, timeOfDay } = fields;

export function decodeZda(f: NmeaFields, s: NmeaSentence): number {
  const bad = timeOfDay(f, 1) | integer(f, 2) | integer(f, 3) | integer(f, 4) | decimal(f, 5) | decimal(f, 6);
  if (bad !== FIELD_OK) return NmeaReject.BAD_FIELD;
  const v = NUM;
  const day = v[2] as number;
  const month = v[3] as number;
  if (day < 1 || day > 31 || month < 1 || month > 12) return NmeaReject.BAD_FIELD;
  s.timeOfDayMs = v[1] as number;
  s.day = day;
  s.month = month;
  s.year = v[4] as number;
  s.localZoneHours = v[5] as number;
  s.localZoneMinutes = v[6] as number;
  return 0;
}

/** Sets every field decodeZda writes back to absent (the decoder calls it when the next sentence is of another type). */
export function clearZda(s: NmeaSentence): void {
  s.timeOfDayMs = NaN;
  s.day = NaN;
  s.month = NaN;
  s.year = NaN;
  s.localZoneHours = NaN;
  s.localZoneMinutes = NaN;
}
