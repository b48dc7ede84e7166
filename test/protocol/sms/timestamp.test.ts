import { describe, expect, it } from 'vitest';
import { decodeTimestamp, encodeTimestamp } from '../../../protocol/sms/timestamp.js';
import { relativeMinutes, relativeOctet } from '../../../protocol/sms/validity.js';
import { fromHex, toHex } from '../../../protocol/sms/hex.js';

function dec(hex: string) {
  return decodeTimestamp(fromHex(hex)!, 0, 'TP-SCTS');
}

// python-gsmmodem's time stamp vectors (local time + zone).
const STAMPS: ReadonlyArray<readonly [string, string, number]> = [
  ['51117200000000', '2015-11-27T00:00:00.000Z', 0],
  ['51117200000080', '2015-11-26T22:00:00.000Z', 120],
  ['70402132522423', '2007-04-12T15:25:42.000Z', 480],
  ['7040213252242B', '2007-04-13T07:25:42.000Z', -480],
];

describe('time stamps', () => {
  it.each(STAMPS)('%s is %s (zone %i min) and encodes back', (hex, iso, offset) => {
    const r = dec(hex);
    expect(r).toEqual({ ok: true, value: { date: new Date(iso), offsetMinutes: offset } });
    expect(toHex(Uint8Array.from(encodeTimestamp(new Date(iso), offset)))).toBe(hex);
  });

  it('keeps quarter-hour zones and the sign bit in the tens nibble', () => {
    // -07:00 = -28 quarters: tens 2 | sign 8 = A, units 8 -> 8A. +05:45 (Nepal) = 23 quarters -> 32.
    expect(toHex(Uint8Array.from(encodeTimestamp(Date.UTC(2026, 6, 23, 19, 14, 5), -420)))).toBe('6270322141508A');
    expect(dec('6270322141508A')).toMatchObject({ ok: true, value: { offsetMinutes: -420 } });
    expect(dec('62703270955032')).toMatchObject({ ok: true, value: { date: new Date('2026-07-23T02:14:05Z'), offsetMinutes: 345 } });
  });

  it('refuses non-BCD digits and dates that do not exist', () => {
    expect(dec('6231322141500A')).toMatchObject({ ok: false, reason: 'bad-timestamp' }); // month 13
    expect(dec('62200321415000')).toMatchObject({ ok: false, reason: 'bad-timestamp' }); // 30 February
    expect(dec('6A703221415000')).toMatchObject({ ok: false, reason: 'bad-timestamp' });
  });

  it('reads a zone units digit above 9 as tens x 10 + units instead of refusing the message', () => {
    // A real SC wrote C2 (tens 2, units 12) beside a correct 82 (+07:00) in the same status report
    // (python-gsmmodem issue 15); python-gsmmodem reads it as 32 quarters. The date digits stay strict.
    expect(dec('610103409544C2')).toEqual({ ok: true, value: { date: new Date('2016-10-29T20:59:44.000Z'), offsetMinutes: 480 } });
    expect(dec('627032214150A0')).toMatchObject({ ok: true, value: { offsetMinutes: 150 } });
    expect(dec('627032214150F8')).toMatchObject({ ok: true, value: { offsetMinutes: -15 * (0 * 10 + 15) } });
  });

  it('knows the length of every month and the leap years 1990..2089 (2000 is one)', () => {
    const bcd2 = (n: number): string => `${n % 10}${Math.floor(n / 10)}`;
    for (const year of [1996, 1999, 2000, 2024, 2026, 2089]) {
      for (let month = 1; month <= 12; month++) {
        const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
        const stamp = (day: number): string => `${bcd2(year % 100)}${bcd2(month)}${bcd2(day)}00000000`;
        expect(dec(stamp(days))).toMatchObject({ ok: true, value: { date: new Date(Date.UTC(year, month - 1, days)) } });
        if (days < 31) expect(dec(stamp(days + 1))).toMatchObject({ ok: false, reason: 'bad-timestamp' });
      }
    }
  });

  it('refuses to encode a zone that is not a whole quarter hour', () => {
    expect(() => encodeTimestamp(0, 10)).toThrow(/multiple of 15/);
  });
});

describe('relative validity period', () => {
  it('maps the four ranges (python-gsmmodem: 30 min = 5, 16 h = 151, 3 days = 169, 5 weeks = 197)', () => {
    expect(relativeOctet(30)).toBe(5);
    expect(relativeOctet(16 * 60)).toBe(151);
    expect(relativeOctet(3 * 1440)).toBe(169);
    expect(relativeOctet(5 * 10080)).toBe(197);
    expect(relativeMinutes(0xa7)).toBe(1440);
    expect(relativeMinutes(0xff)).toBe(63 * 10080);
    expect(relativeMinutes(143)).toBe(720);
    expect(relativeMinutes(144)).toBe(750);
  });

  it('rounds a period up to the next one it can say', () => {
    expect(relativeMinutes(relativeOctet(7))).toBe(10);
    expect(relativeMinutes(relativeOctet(25 * 60))).toBe(2 * 1440);
  });
});
