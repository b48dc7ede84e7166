// Service centre time stamp (3GPP TS 23.040 9.2.3.11), also the format of TP-DT and absolute TP-VP.
//
//   62 70 32 21 41 50 00   = 2026-07-23 12:14:05 +00:00
//   YY MM DD hh mm ss TZ, each octet two BCD digits swapped (0x62 = "26").
//   TZ: quarter hours from UTC, swapped BCD too; bit 3 of the raw octet (the high bit of the tens digit,
//   which sits in the low nibble) is the sign: 0x40 = +1 h, 0x8A = -7 h (tens 2 | sign, units 8: -28/4).
//   A zone units digit above 9 is not refused: a real SC sent 0xC2 (tens 2, units 12) in a status report
//   whose TP-DT zone was a correct 0x82 (python-gsmmodem issue 15), and a phone shows such messages. It is
//   read as tens x 10 + units (32 quarters = +8 h), as python-gsmmodem does; the date and time digits stay
//   strict. (The gateway does not use the SC time; refusing the message for it would lose a report.)
// The digits are the local time of the SC; the instant is that local time minus the zone offset.
// Years: YY 90..99 are 1990..1999 (GSM SMS began in 1992; classic published vectors are from 1999), the rest
// 2000..2089.

import { SmsEncodeError, SmsEncodeReason, SmsReason, ok, reject, type SmsResult } from './result.js';

/** A decoded time stamp: the instant, and the zone offset the sender wrote (minutes east of UTC). */
export interface SmsTimestamp {
  readonly date: Date;
  readonly offsetMinutes: number;
}

/** Days in month 1..12 of a common year (index 0 unused). */
const DAYS_IN_MONTH: readonly number[] = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function bcd(octet: number): number {
  const lo = octet & 15;
  const hi = octet >> 4;
  return lo > 9 || hi > 9 ? -1 : lo * 10 + hi;
}

/** Decodes 7 octets at `pos` (the caller has checked they are there). */
export function decodeTimestamp(b: Uint8Array, pos: number, field: string): SmsResult<SmsTimestamp> {
  const y = bcd(b[pos] as number);
  const mo = bcd(b[pos + 1] as number);
  const d = bcd(b[pos + 2] as number);
  const h = bcd(b[pos + 3] as number);
  const mi = bcd(b[pos + 4] as number);
  const s = bcd(b[pos + 5] as number);
  const tz = b[pos + 6] as number;
  const tzTens = tz & 7;
  const tzUnits = tz >> 4;
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) {
    return reject(SmsReason.BadTimestamp, `${field}: not a valid BCD date/time`);
  }
  const quarters = tzTens * 10 + tzUnits;
  const offsetMinutes = (tz & 8 ? -quarters : quarters) * 15;
  const year = y >= 90 ? 1900 + y : 2000 + y;
  // Refuse dates that do not exist (Date.UTC would roll 31 February into March). Years are 1990..2089,
  // where every fourth year is a leap year (2000 included).
  if (d > (mo === 2 && year % 4 === 0 ? 29 : (DAYS_IN_MONTH[mo] as number))) {
    return reject(SmsReason.BadTimestamp, `${field}: day ${d} not in month ${mo}`);
  }
  const local = Date.UTC(year, mo - 1, d, h, mi, s);
  return ok({ date: new Date(local - offsetMinutes * 60_000), offsetMinutes });
}

function swapped(n: number): number {
  return ((n % 10) << 4) | Math.floor(n / 10);
}

/**
 * Encodes an instant as the local time of a zone `offsetMinutes` east of UTC (a multiple of 15 within
 * +-19:45). Milliseconds are dropped.
 */
export function encodeTimestamp(at: Date | number, offsetMinutes = 0): number[] {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new SmsEncodeError(SmsEncodeReason.BadOption, 'time stamp is not a valid date');
  if (!Number.isInteger(offsetMinutes) || offsetMinutes % 15 !== 0 || Math.abs(offsetMinutes) > 79 * 15) {
    throw new SmsEncodeError(SmsEncodeReason.BadOption, `zone offset ${offsetMinutes} min is not a multiple of 15 within +-19:45`);
  }
  const t = new Date(ms + offsetMinutes * 60_000);
  const year = t.getUTCFullYear();
  if (year < 1990 || year > 2089) throw new SmsEncodeError(SmsEncodeReason.BadOption, `year ${year} outside 1990..2089`);
  const q = Math.abs(offsetMinutes) / 15;
  return [
    swapped(year % 100),
    swapped(t.getUTCMonth() + 1),
    swapped(t.getUTCDate()),
    swapped(t.getUTCHours()),
    swapped(t.getUTCMinutes()),
    swapped(t.getUTCSeconds()),
    swapped(q) | (offsetMinutes < 0 ? 8 : 0),
  ];
}
