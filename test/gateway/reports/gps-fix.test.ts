// The position of a TSR1 report from its RMC and GGA (gateway/reports/gps-fix.ts), through the one reused
// decoder: what the fix event says must not depend on what the previous report carried.
import { describe, expect, it } from 'vitest';
import { gpsFix } from '../../../gateway/reports/gps-fix.js';
import { encodeGga, encodeRmc } from '../../../protocol/nmea/encoder.js';

const T = Date.UTC(2026, 10, 23, 6, 14, 0);
const leeds = { timeMs: T, latitude: 53.79648, longitude: -1.54785, speedKnots: 2.5, courseTrueDeg: 90, hdop: 0.9, satellitesUsed: 8 };
const strip = (s: string) => s.replace(/\r\n$/, '');
const rmc = (f: Parameters<typeof encodeRmc>[0]) => strip(encodeRmc(f));
const gga = (f: Parameters<typeof encodeGga>[0]) => strip(encodeGga(f));

describe('gpsFix', () => {
  it('takes a valid RMC position and time, the GGA HDOP as accuracy', () => {
    const f = gpsFix(rmc(leeds), gga(leeds), T + 5000);
    expect(f).toMatchObject({ gpsStatus: 'valid', fixTime: new Date(T).toISOString(), accuracyM: 4.5, speedKnots: 2.5, courseDeg: 90, sats: 8, hdop: 0.9 });
    expect(f?.lat).toBeCloseTo(53.79648, 5);
    expect(f?.lon).toBeCloseTo(-1.54785, 5);
  });

  it('a void RMC with a GGA fix uses the GGA; a void RMC alone is the last known position, flagged invalid', () => {
    const voidRmc = rmc({ ...leeds, valid: false });
    expect(gpsFix(voidRmc, gga(leeds), T)).toMatchObject({ gpsStatus: 'valid' });
    const noFixGga = gga({ ...leeds, valid: false });
    expect(gpsFix(voidRmc, noFixGga, T)).toMatchObject({ gpsStatus: 'invalid' });
  });

  it('a sentence with a bad checksum, two sentences in one field, or junk give no position from it', () => {
    const good = rmc(leeds);
    const badSum = `${good.slice(0, -2)}${good.endsWith('00') ? '01' : '00'}`;
    expect(gpsFix(badSum, '', T)).toBeNull();
    expect(gpsFix(`${good}\r\n${good}`, '', T)).toBeNull();
    expect(gpsFix('\u0000\u00ff$GPRMC,,,', 'x'.repeat(500), T)).toBeNull();
    // An RMC given where the GGA belongs is not read as a GGA.
    expect(gpsFix('', good, T)).toBeNull();
  });

  it('an RMC date after the SMS arrived is not believed: the time of day is kept, on the day before arrival', () => {
    const nextYear = Date.UTC(2027, 10, 23, 6, 14, 0);
    expect(gpsFix(rmc({ ...leeds, timeMs: nextYear }), gga(leeds), T + 5000)).toMatchObject({ gpsStatus: 'valid', fixTime: new Date(T).toISOString() });
    // Just before midnight by the GPS, just after by the gateway, and the date a day ahead: yesterday's time.
    const arrival = Date.UTC(2026, 10, 24, 0, 0, 30);
    const wrongDay = Date.UTC(2026, 10, 25, 23, 59, 50);
    expect(gpsFix(rmc({ ...leeds, timeMs: wrongDay }), gga(leeds), arrival)?.fixTime).toBe('2026-11-23T23:59:50.000Z');
    // An old date stays: a stale fix says how stale it is. Up to a minute ahead is clock skew.
    expect(gpsFix(rmc({ ...leeds, timeMs: T - 3 * 86_400_000 }), gga(leeds), T)?.fixTime).toBe(new Date(T - 3 * 86_400_000).toISOString());
    expect(gpsFix(rmc(leeds), gga(leeds), T - 30_000)?.fixTime).toBe(new Date(T).toISOString());
  });

  it('a gateway clock lagging GPS time by more than the minute of slack dates a fresh fix at its arrival, not a day early', () => {
    for (const lag of [90_000, 10 * 60_000, 59 * 60_000]) {
      const arrival = T + 5000 - lag;
      expect(gpsFix(rmc(leeds), gga(leeds), arrival)?.fixTime, `RMC, clock ${lag / 1000} s slow`).toBe(new Date(arrival).toISOString());
      // A GGA alone (no RMC date): its time of day, the same.
      expect(gpsFix('', gga(leeds), arrival)?.fixTime, `GGA, clock ${lag / 1000} s slow`).toBe(new Date(arrival).toISOString());
    }
    // Further ahead than an hour is no clock lag: the time of day on the day before, as before.
    expect(gpsFix(rmc(leeds), gga(leeds), T - 2 * 3_600_000)?.fixTime).toBe(new Date(T - 86_400_000).toISOString());
  });

  it('a date 1,024 weeks early (a receiver with the GPS week-rollover fault) is corrected; an old date is not', () => {
    const weeks1024 = 1024 * 7 * 86_400_000;
    expect(gpsFix(rmc({ ...leeds, timeMs: T - weeks1024 }), gga(leeds), T + 5000)?.fixTime).toBe(new Date(T).toISOString());
    expect(gpsFix(rmc({ ...leeds, timeMs: T - 2 * weeks1024 }), gga(leeds), T + 5000)?.fixTime).toBe(new Date(T).toISOString());
    // A stale fix from before the arrival by hours, behind a rollover, is corrected to that stale time.
    expect(gpsFix(rmc({ ...leeds, timeMs: T - 3_600_000 - weeks1024 }), gga(leeds), T)?.fixTime).toBe(new Date(T - 3_600_000).toISOString());
    // A year-old date is no rollover: kept, so the fix says how old it is.
    const yearAgo = Date.UTC(2025, 10, 23, 6, 14, 0);
    expect(gpsFix(rmc({ ...leeds, timeMs: yearAgo }), gga(leeds), T)?.fixTime).toBe(new Date(yearAgo).toISOString());
  });

  it('an estimated, manual or simulated position (GGA quality 6-8, RMC mode E/M/S) is kept but flagged invalid, never a live fix', () => {
    for (const mode of ['E', 'M', 'S'] as const) {
      expect(gpsFix(rmc({ ...leeds, mode }), '', T)).toMatchObject({ gpsStatus: 'invalid', lat: 53.79648 });
    }
    for (const fixQuality of [6, 7, 8]) {
      expect(gpsFix(rmc({ ...leeds, valid: false }), gga({ ...leeds, fixQuality }), T)).toMatchObject({ gpsStatus: 'invalid' });
    }
    // Autonomous and differential fixes are measured.
    expect(gpsFix(rmc({ ...leeds, mode: 'D' }), gga({ ...leeds, fixQuality: 2 }), T)).toMatchObject({ gpsStatus: 'valid' });
  });

  it('an NMEA 2.0 RMC (no mode field) with status A is not a live fix when its GGA of the same instant says estimated or simulated', () => {
    // SiRFstar II-era receivers: RMC without the mode letter keeps status A while dead reckoning; GGA says 6.
    const withSum = (body: string) => `$${body}*${[...body].reduce((x, c) => x ^ c.charCodeAt(0), 0).toString(16).toUpperCase().padStart(2, '0')}`;
    const rmc20 = withSum('GPRMC,061400.000,A,5347.7888,N,00132.8710,W,2.50,90.00,231126,,');
    const ggaQ = (q: number, time = '061400.000') => withSum(`GPGGA,${time},5347.7888,N,00132.8710,W,${q},05,1.2,80.0,M,48.0,M,,`);
    for (const q of [6, 7, 8]) expect(gpsFix(rmc20, ggaQ(q), T + 5000)).toMatchObject({ gpsStatus: 'invalid', lat: 53.79648 });
    // Measured, or a GGA of another instant: the RMC's status A stands.
    expect(gpsFix(rmc20, ggaQ(1), T + 5000)).toMatchObject({ gpsStatus: 'valid' });
    expect(gpsFix(rmc20, ggaQ(6, '061359.000'), T + 5000)).toMatchObject({ gpsStatus: 'valid' });
    expect(gpsFix(rmc20, '', T + 5000)).toMatchObject({ gpsStatus: 'valid' });
    // An NMEA 2.3 RMC says for itself: mode A with status A is measured.
    expect(gpsFix(rmc(leeds), ggaQ(1), T + 5000)).toMatchObject({ gpsStatus: 'valid' });
  });

  it('HDOP 0 or 99.99 (a receiver\'s "not known") gives no accuracy, never a 0 m or 500 m circle', () => {
    expect(gpsFix(rmc(leeds), gga({ ...leeds, hdop: 0 }), T)).toMatchObject({ gpsStatus: 'valid', accuracyM: null, hdop: 0 });
    // 99.9 / 99.99 are the other "not known" (u-blox without a fix, BT-451): no 500 m circle either. 50 is real.
    expect(gpsFix(rmc(leeds), gga({ ...leeds, hdop: 99.99 }), T)).toMatchObject({ accuracyM: null, hdop: 99.99 });
    expect(gpsFix(rmc(leeds), gga({ ...leeds, hdop: 99.9 }), T)).toMatchObject({ accuracyM: null });
    expect(gpsFix(rmc(leeds), gga({ ...leeds, hdop: 50 }), T)).toMatchObject({ accuracyM: 250 });
  });

  it('0 N 0 E (a receiver\'s placeholder before its first fix, even with status A) is no position', () => {
    const zero = { ...leeds, latitude: 0, longitude: 0 };
    expect(gpsFix(rmc(zero), gga(zero), T)).toBeNull();
    expect(gpsFix(rmc(zero), gga(leeds), T)).toMatchObject({ gpsStatus: 'valid', lat: 53.79648 });
  });

  it('a field must be exactly one good sentence: a rejected or a second sentence beside a good one refuses it', () => {
    const withSum = (body: string) => `$${body}*${[...body].reduce((x, c) => x ^ c.charCodeAt(0), 0).toString(16).toUpperCase().padStart(2, '0')}`;
    const good = rmc(leeds);
    expect(gpsFix(`$GPTXT,01*00\r\n${good}`, '', T)).toBeNull();
    const short = withSum('GPRMC,061400,A,5347.7888,N,00132.8710,W,,,231126,,');
    expect(gpsFix(short, '', T + 5000)).toMatchObject({ gpsStatus: 'valid' });
    expect(gpsFix(`${short}\r\n${short}`, '', T + 5000)).toBeNull();
  });

  it('a gateway clock lagging GPS time across midnight dates a fresh fix at its arrival, not a day early', () => {
    // The gateway says 23:30, the GPS says 00:10 the next day: the fix is 40 min "ahead", i.e. fresh.
    const arrival = Date.UTC(2026, 10, 23, 23, 30, 0);
    const fix = { ...leeds, timeMs: Date.UTC(2026, 10, 24, 0, 10, 0) };
    expect(gpsFix(rmc(fix), gga(fix), arrival)?.fixTime).toBe(new Date(arrival).toISOString());
  });

  it('an NMEA 2.0 RMC with status A is not a live fix when its GGA says estimated but carries no time', () => {
    const withSum = (body: string) => `$${body}*${[...body].reduce((x, c) => x ^ c.charCodeAt(0), 0).toString(16).toUpperCase().padStart(2, '0')}`;
    const rmc20 = withSum('GPRMC,061400.000,A,5347.7888,N,00132.8710,W,2.50,90.00,231126,,');
    const gga6 = withSum('GPGGA,,5347.7888,N,00132.8710,W,6,05,1.2,80.0,M,48.0,M,,');
    expect(gpsFix(rmc20, gga6, T + 5000)).toMatchObject({ gpsStatus: 'invalid', lat: 53.79648 });
    // An NMEA 2.3 RMC speaks for itself: mode A (measured) stands whatever its GGA says.
    const g6 = gga({ ...leeds, fixQuality: 6 });
    expect(gpsFix(rmc(leeds), g6, T + 5000)).toMatchObject({ gpsStatus: 'valid' });
  });

  it('RTK fixes (GGA quality 4 and 5) are measured, live fixes', () => {
    for (const fixQuality of [4, 5]) {
      expect(gpsFix(rmc({ ...leeds, valid: false }), gga({ ...leeds, fixQuality }), T)).toMatchObject({ gpsStatus: 'valid' });
    }
  });

  it('a position on the prime meridian or the equator is a position (only 0 N 0 E together is the placeholder)', () => {
    const greenwich = { ...leeds, latitude: 51.4779, longitude: 0 };
    expect(gpsFix(rmc(greenwich), gga(greenwich), T)).toMatchObject({ gpsStatus: 'valid', lat: 51.4779, lon: 0 });
    const equator = { ...leeds, latitude: 0, longitude: 32.58 };
    expect(gpsFix(rmc(equator), gga(equator), T)).toMatchObject({ gpsStatus: 'valid', lat: 0, lon: 32.58 });
  });

  it('HDOP 99 is "not known" too: no accuracy circle', () => {
    expect(gpsFix(rmc(leeds), gga({ ...leeds, hdop: 99 }), T)).toMatchObject({ accuracyM: null });
  });

  it('a handset in a moving car keeps its speed and course, and a receiver using many satellites its count', () => {
    const car = { ...leeds, speedKnots: 60, courseTrueDeg: 359.5, satellitesUsed: 14 };
    expect(gpsFix(rmc(car), gga(car), T)).toMatchObject({ speedKnots: 60, courseDeg: 359.5, sats: 14 });
  });

  it('what one report carried never leaks into the next', () => {
    expect(gpsFix(rmc(leeds), gga(leeds), T)?.hdop).toBe(0.9);
    // A cut-off sentence (no checksum) after a good one: nothing of the good one is reused.
    expect(gpsFix(rmc(leeds).slice(0, 30), '', T)).toBeNull();
    const f = gpsFix(rmc(leeds), '', T);
    expect(f).toMatchObject({ accuracyM: null, hdop: null, sats: null });
  });
});
