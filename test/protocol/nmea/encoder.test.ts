// The encoder feeds the handset simulator's GPS (and through it gpsd): its output must decode back to the fix
// (ours and nmea-simple's decoders), carry a correct checksum and CRLF, and have the field counts gpsd expects.
import fc from 'fast-check';
import { parseNmeaSentence, type GGAPacket, type RMCPacket } from 'nmea-simple';
import { describe, expect, it } from 'vitest';
import {
  decodeSentence,
  encodeGga,
  encodeGll,
  encodeGsa,
  encodeGsv,
  encodeRmc,
  encodeVtg,
  encodeZda,
  type NmeaFix,
  type NmeaSentenceData,
} from '../../../protocol/nmea/index.js';

function decode(text: string): NmeaSentenceData {
  const r = decodeSentence(text);
  if (!r.ok) throw new Error(`refused (${r.reason}): ${JSON.stringify(text)}`);
  return r.sentence;
}
const dataFields = (s: string): number => s.slice(0, s.indexOf('*')).split(',').length - 1;
/** An independent checksum check: XOR of the characters between '$' and '*' against the two hex digits. */
function checksumOk(s: string): boolean {
  const star = s.indexOf('*');
  let x = 0;
  for (const ch of s.slice(1, star)) x ^= ch.charCodeAt(0);
  return s.slice(star + 1, star + 3) === x.toString(16).toUpperCase().padStart(2, '0');
}
const withoutChecksum = (s: string): string => s.slice(0, s.indexOf('*'));

const DAY = 86_400_000;
const fixArb = fc.record({
  timeMs: fc.integer({ min: Date.UTC(1980, 0, 6), max: Date.UTC(2079, 11, 31) }).map((t) => Math.round(t / 10) * 10),
  latitude: fc.double({ min: -89.999999, max: 89.999999, noNaN: true }),
  longitude: fc.double({ min: -179.999999, max: 179.999999, noNaN: true }),
  altitudeM: fc.integer({ min: -4000, max: 90000 }).map((a) => a / 10),
  hdop: fc.integer({ min: 1, max: 5000 }).map((h) => h / 100),
  satellitesUsed: fc.integer({ min: 0, max: 40 }),
  speedKnots: fc.integer({ min: 0, max: 200000 }).map((v) => v / 1000),
  courseTrueDeg: fc.integer({ min: 0, max: 35999 }).map((v) => v / 100),
});

const SAMPLE: NmeaFix = {
  timeMs: Date.UTC(2026, 10, 23, 6, 30, 1, 250),
  latitude: 51.5007,
  longitude: -0.1246,
  altitudeM: 12.3,
  geoidSeparationM: 45.9,
  hdop: 0.9,
  pdop: 1.6,
  vdop: 1.3,
  satellitesUsed: 8,
  speedKnots: 1.5,
  courseTrueDeg: 90,
  magneticVariationDeg: -1.2,
  usedPrns: [3, 7, 11, 19],
};

describe('encoder', () => {
  it('writes sentences gpsd accepts: checksum, CRLF, field counts', () => {
    expect(withoutChecksum(encodeRmc(SAMPLE))).toBe('$GPRMC,063001.25,A,5130.04200,N,00007.47600,W,1.500,90.00,231126,1.2,W,A');
    expect(withoutChecksum(encodeGga(SAMPLE))).toBe('$GPGGA,063001.25,5130.04200,N,00007.47600,W,1,08,0.90,12.3,M,45.9,M,,');
    const counts: Array<[string, number]> = [
      [encodeGga(SAMPLE), 14],
      [encodeRmc(SAMPLE), 12],
      [encodeGll(SAMPLE), 7],
      [encodeVtg(SAMPLE), 9],
      [encodeGsa(SAMPLE), 17],
      [encodeZda(SAMPLE), 6],
    ];
    for (const [s, n] of counts) {
      expect(s.endsWith('\r\n')).toBe(true);
      expect(s.indexOf('*')).toBe(s.length - 5);
      expect(checksumOk(s), s).toBe(true);
      expect(s.length).toBeLessThanOrEqual(82);
      expect(dataFields(s), s).toBe(n);
      expect(decodeSentence(s).ok, s).toBe(true);
    }
  });

  it('every sentence type decodes back to the fix', () => {
    const gga = decode(encodeGga(SAMPLE));
    expect(gga).toMatchObject({ fixQuality: 1, satellitesUsed: 8, hdop: 0.9, altitudeM: 12.3, geoidSeparationM: 45.9, timeOfDayMs: 23401250 });
    const rmc = decode(encodeRmc(SAMPLE));
    expect(rmc).toMatchObject({ status: 'A', mode: 'A', speedKnots: 1.5, courseTrueDeg: 90, magneticVariationDeg: -1.2, day: 23, month: 11, year: 2026 });
    expect(decode(encodeGll(SAMPLE))).toMatchObject({ status: 'A', mode: 'A', timeOfDayMs: 23401250, positionValid: true });
    expect(decode(encodeVtg(SAMPLE))).toMatchObject({ courseTrueDeg: 90, speedKnots: 1.5, speedKmh: 2.778 });
    const gsa = decode(encodeGsa(SAMPLE));
    expect(gsa).toMatchObject({ fixType: 3, pdop: 1.6, hdop: 0.9, vdop: 1.3, usedPrns: [3, 7, 11, 19] });
    expect(decode(encodeZda(SAMPLE))).toMatchObject({ day: 23, month: 11, year: 2026, timeOfDayMs: 23401250 });
    const gsv = encodeGsv([{ prn: 3, elevationDeg: 40, azimuthDeg: 120, snrDb: 38 }, { prn: 7 }, { prn: 11 }, { prn: 19 }, { prn: 22, snrDb: 20 }]);
    expect(gsv).toHaveLength(2);
    expect(decode(gsv[0] as string)).toMatchObject({ gsvTotal: 2, gsvIndex: 1, satellitesInView: 5, svCount: 4 });
    expect(decode(gsv[1] as string).svSnrDb).toEqual([20]);
  });

  it('a fix without a position: status V, mode N, empty position fields', () => {
    const none: NmeaFix = { timeMs: SAMPLE.timeMs, latitude: NaN, longitude: NaN };
    const rmc = decode(encodeRmc(none));
    expect(rmc).toMatchObject({ status: 'V', mode: 'N', positionValid: false, latitude: NaN, longitude: NaN });
    const gga = decode(encodeGga(none));
    expect(gga).toMatchObject({ fixQuality: 0, positionValid: false, latitude: NaN });
  });

  it('rounds minutes up to a whole degree without writing 60 minutes', () => {
    const s = encodeGga({ ...SAMPLE, latitude: 10.9999999999, longitude: -0.99999999999 });
    expect(s).toContain(',1100.00000,N,00100.00000,W,');
  });

  it('round trip: encode -> decode equals the fix (1e-6 deg, exact time)', () => {
    fc.assert(
      fc.property(fixArb, (fix) => {
        for (const text of [encodeGga(fix), encodeRmc(fix)]) {
          const s = decode(text);
          expect(Math.abs(s.latitude - fix.latitude)).toBeLessThan(1e-6);
          expect(Math.abs(s.longitude - fix.longitude)).toBeLessThan(1e-6);
          expect(s.timeOfDayMs).toBe(fix.timeMs % DAY);
          expect(s.positionValid).toBe(true);
        }
        const gga = decode(encodeGga(fix));
        expect([gga.altitudeM, gga.hdop, gga.satellitesUsed]).toEqual([fix.altitudeM, fix.hdop, fix.satellitesUsed]);
        const rmc = decode(encodeRmc(fix));
        const d = new Date(fix.timeMs);
        expect([rmc.day, rmc.month, rmc.year]).toEqual([d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear()]);
        expect([rmc.speedKnots, rmc.courseTrueDeg]).toEqual([fix.speedKnots, fix.courseTrueDeg]);
      }),
      { numRuns: 500 },
    );
  });

  it('nmea-simple accepts the output and reads the same fix', () => {
    fc.assert(
      fc.property(fixArb, (fix) => {
        const gga = parseNmeaSentence(encodeGga(fix).trimEnd()) as GGAPacket;
        expect(gga.sentenceId).toBe('GGA');
        expect(Math.abs(gga.latitude - fix.latitude)).toBeLessThan(1e-6);
        expect(Math.abs(gga.longitude - fix.longitude)).toBeLessThan(1e-6);
        expect(gga.altitudeMeters).toBe(fix.altitudeM);
        const rmc = parseNmeaSentence(encodeRmc(fix).trimEnd()) as RMCPacket;
        expect(rmc.status).toBe('valid');
        expect(Math.abs(rmc.latitude - fix.latitude)).toBeLessThan(1e-6);
        // nmea-simple pivots two-digit years at 73, so compare within its window only.
        const year = new Date(fix.timeMs).getUTCFullYear();
        if (year >= 1973 && year < 2073) expect(rmc.datetime.getTime()).toBe(fix.timeMs);
      }),
      { numRuns: 300 },
    );
  });
});
