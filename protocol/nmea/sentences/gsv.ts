// GSV: GNSS satellites in view, four per sentence.
//
//   $GPGSV,t,n,s,pp,ee,aaa,rr,pp,ee,aaa,rr,...,g*hh
//   $GPGSV,4,4,13,32,76,331,31*48
//    1 sentences in group  2 this sentence's number  3 satellites in view
//    then per satellite: PRN, elevation deg, azimuth deg, SNR dB-Hz (empty when not tracking)
//    then (NMEA 4.10+) signal id, one hex digit (u-blox F9 sends 'B' for BeiDou B2I);
//    Quectel's $PQGSV adds a system id after it.
import * as fields from '../fields.js';
import type { NmeaFields } from '../fields.js';
import { NmeaReject } from '../reject.js';
import { GSV_MAX_SATS, type NmeaSentence } from '../sentence.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { FIELD_OK, NUM, hexDigit, integer, numbers } = fields;

/** GSV_MAX_SATS under a module-private name (an imported binding is a cell load in optimised code). */
const MAX_SATS = GSV_MAX_SATS;

/**
 * Bits of the fields read by decimal() in numbers(f, 1, ...): the azimuths (fields 6, 10, 14, 18) may carry
 * decimals, and the elevations (fields 5, 9, 13, 17) a sign: receivers report satellites just below the horizon
 * with a negative elevation (Quectel L76K: `77,-3,293,23`; gpsd keeps them, el -3).
 */
const DECIMALS = (1 << 4) | (1 << 5) | (1 << 8) | (1 << 9) | (1 << 12) | (1 << 13) | (1 << 16) | (1 << 17);

export function decodeGsv(f: NmeaFields, s: NmeaSentence): number {
  const rest = f.count - 4; // fields after "satellites in view"
  const sats = rest >> 2;
  const extra = rest & 3;
  if (sats > MAX_SATS || extra === 3) return NmeaReject.BAD_FIELD;
  const tail = 4 + sats * 4; // index of the signal id, if any
  // Fields 1 .. tail-1 in one call; elevations and azimuths (bits 4-5, 8-9, 12-13, 16-17 from field 1) go to
  // decimal() when they are not one to three digits (a sign, a point), the rest are integers.
  let bad = numbers(f, 1, tail, DECIMALS);
  if (extra >= 1) bad |= hexDigit(f, tail);
  if (extra === 2) bad |= integer(f, tail + 1);
  if (bad !== FIELD_OK) return NmeaReject.BAD_FIELD;
  const v = NUM;
  s.gsvTotal = v[1] as number;
  s.gsvIndex = v[2] as number;
  s.satellitesInView = v[3] as number;
  // Written whatever the layout: the record is not cleared between two sentences of the same type.
  s.signalId = extra >= 1 ? (v[tail] as number) : NaN;
  s.systemId = extra === 2 ? (v[tail + 1] as number) : NaN;
  // Unrolled, not a loop: without a loop turn between them V8 checks each array once, not once per satellite.
  if (sats > 0) {
    const prn = s.svPrn;
    const el = s.svElevationDeg;
    const az = s.svAzimuthDeg;
    const snr = s.svSnrDb;
    prn[0] = v[4] as number;
    el[0] = v[5] as number;
    az[0] = v[6] as number;
    snr[0] = v[7] as number;
    if (sats > 1) {
      prn[1] = v[8] as number;
      el[1] = v[9] as number;
      az[1] = v[10] as number;
      snr[1] = v[11] as number;
      if (sats > 2) {
        prn[2] = v[12] as number;
        el[2] = v[13] as number;
        az[2] = v[14] as number;
        snr[2] = v[15] as number;
        if (sats > 3) {
          prn[3] = v[16] as number;
          el[3] = v[17] as number;
          az[3] = v[18] as number;
          snr[3] = v[19] as number;
        }
      }
    }
  }
  s.svCount = sats;
  return 0;
}

/** Sets every field decodeGsv writes back to absent (the decoder calls it when the next sentence is of another type). */
export function clearGsv(s: NmeaSentence): void {
  s.gsvTotal = NaN;
  s.gsvIndex = NaN;
  s.satellitesInView = NaN;
  s.signalId = NaN;
  s.systemId = NaN;
  s.svCount = 0;
}
