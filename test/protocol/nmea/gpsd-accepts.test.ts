// The encoder's output must be something gpsd accepts (the handset simulator's GPS feeds gpsd). gpsd's own
// NMEA parser, run as `gpsdecode` (Debian gpsd-clients, installed by `make test`), reads a track we encoded;
// every fix must come back as a TPV with our position, time and altitude.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { encodeGga, encodeGll, encodeGsa, encodeGsv, encodeRmc, encodeVtg, encodeZda, type NmeaFix } from '../../../protocol/nmea/index.js';

interface Tpv {
  class: 'TPV';
  mode: number;
  time?: string;
  lat?: number;
  lon?: number;
  altMSL?: number;
  speed?: number;
  track?: number;
}

function gpsdecode(input: string): Tpv[] {
  const r = spawnSync('gpsdecode', [], { input, encoding: 'utf8' });
  if (r.error) throw new Error(`gpsdecode (Debian gpsd-clients) is needed: ${r.error.message}; run make test to install it`);
  return r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{"class":"TPV"'))
    .map((l) => JSON.parse(l) as Tpv);
}

/** A walk through central London, one fix a second, crossing the prime meridian (negative to positive longitude). */
const TRACK: NmeaFix[] = Array.from({ length: 40 }, (_, k) => ({
  timeMs: Date.UTC(2026, 10, 23, 23, 59, 40) + k * 1000, // crosses midnight into 24 November
  latitude: 51.5007 + k * 0.000123,
  longitude: -0.0023 + k * 0.000111,
  altitudeM: 12.3 + k / 10,
  geoidSeparationM: 45.9,
  hdop: 0.9,
  pdop: 1.6,
  vdop: 1.3,
  satellitesUsed: 8,
  speedKnots: 2.5,
  courseTrueDeg: 45,
  usedPrns: [3, 7, 11, 19, 22, 25, 31, 32],
}));

describe('gpsd accepts the encoder output', () => {
  it('a track of RMC, GGA, GSA, VTG, GLL, ZDA and GSV comes back from gpsd as the same fixes', () => {
    const sky = encodeGsv([3, 7, 11, 19, 22].map((prn) => ({ prn, elevationDeg: 30, azimuthDeg: prn * 10, snrDb: 35 }))).join('');
    const input = TRACK.map((f) => encodeRmc(f) + encodeGga(f) + encodeGsa(f) + encodeVtg(f) + encodeGll(f) + encodeZda(f) + sky).join('');
    const tpvs = gpsdecode(input).filter((t) => t.lat !== undefined && t.time !== undefined);
    // gpsd reports a cycle when it sees the next one start, so the first fix has no TPV of its own.
    for (const fix of TRACK.slice(1)) {
      const time = new Date(fix.timeMs).toISOString();
      const t = tpvs.find((x) => x.time === time);
      expect(t, `no TPV for ${time}`).toBeDefined();
      if (t === undefined) continue;
      expect(t.mode).toBe(3);
      expect(Math.abs((t.lat as number) - fix.latitude)).toBeLessThan(1e-6);
      expect(Math.abs((t.lon as number) - fix.longitude)).toBeLessThan(1e-6);
      expect(t.altMSL).toBeCloseTo(fix.altitudeM as number, 3);
      expect(t.track).toBeCloseTo(45, 3);
      expect(t.speed).toBeCloseTo((2.5 * 1852) / 3600, 3); // gpsd reports m/s
    }
  });

  it('a receiver without a fix: gpsd reports each cycle with no position', () => {
    const cycles = [0, 1, 2].map((k) => ({ timeMs: Date.UTC(2026, 10, 23, 12, 0, k), latitude: NaN, longitude: NaN }));
    const tpvs = gpsdecode(cycles.map((f) => encodeRmc(f) + encodeGga(f) + encodeGsa(f)).join(''));
    expect(tpvs).toHaveLength(2);
    for (const t of tpvs) {
      expect(t.lat).toBeUndefined();
      expect(t.mode).toBe(1);
    }
  });

  it('gpsd takes a GGA without a satellite count as no fix: the simulator must give satellitesUsed', () => {
    const cycles = (extra: Partial<NmeaFix>): string =>
      [0, 1, 2]
        .map((k) => ({ timeMs: Date.UTC(2026, 10, 23, 10, 0, k), latitude: 51.5, longitude: -0.0023, altitudeM: 12, ...extra }))
        .map((f) => encodeRmc(f) + encodeGga(f))
        .join('');
    expect(gpsdecode(cycles({})).map((t) => t.mode)).toEqual([1, 1]);
    expect(gpsdecode(cycles({ satellitesUsed: 8 })).map((t) => t.mode)).toEqual([3, 3]);
  });
});
