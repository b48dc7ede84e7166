import { parseNmeaSentence, type GGAPacket, type RMCPacket } from 'nmea-simple';
import { describe, expect, it } from 'vitest';
import { decodeSentence, type NmeaSentenceData } from '../../../protocol/nmea/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { distanceM } from '../../../firmware-sim/gps/geo.js';
import { SimGps } from '../../../firmware-sim/gps/gps.js';

const START = Date.UTC(2026, 10, 23, 6, 0, 0);
const route = {
  waypoints: [
    { lat: 51.5007, lon: -0.1218, speedMps: 1.4 },
    { lat: 51.5005, lon: -0.1265, speedMps: 12 },
    { lat: 51.5025, lon: -0.134, speedMps: 0 },
  ],
  fixLoss: [{ fromS: 200, toS: 230 }],
};

function decoded(s: string): NmeaSentenceData {
  const r = decodeSentence(s);
  if (!r.ok) throw new Error(`${s} refused: ${r.reason}`);
  return r.sentence;
}

function setup(options = {}) {
  const clock = new ManualClock(START);
  const gps = new SimGps(clock, new SeededRandom(7), { coldStartS: 30, ...options });
  gps.setRoute(route);
  const out: string[] = [];
  gps.onSentence((s) => out.push(s));
  return { clock, gps, out };
}

describe('SimGps', () => {
  it('emits RMC, GGA, GSA and GSV once a second on whole seconds, each with CR LF and a valid checksum', () => {
    const { clock, gps, out } = setup();
    gps.powerOn();
    clock.advance(3000);
    const types = out.map((s) => s.slice(3, 6));
    expect(types.filter((t) => t === 'RMC')).toHaveLength(3);
    expect(types.slice(0, 3)).toEqual(['RMC', 'GGA', 'GSA']);
    for (const s of out) {
      expect(s.endsWith('\r\n')).toBe(true);
      expect(decodeSentence(s).ok).toBe(true);
    }
    expect(decoded(out[0] as string).timeOfDayMs).toBe(((6 * 60 + 0) * 60 + 1) * 1000);
  });

  it('has no fix until the cold start time has passed, then a fix on the route', () => {
    const { clock, gps } = setup();
    gps.powerOn();
    clock.advance(29_000);
    expect(decoded(gps.latest()?.rmc as string).status).toBe('V');
    expect(decoded(gps.latest()?.gga as string).fixQuality).toBe(0);
    clock.advance(1000);
    expect(decoded(gps.latest()?.rmc as string).status).toBe('A');
  });

  it('NMEA decodes back to the route position within 1 m at every epoch, with plausible satellites and HDOP', () => {
    const { clock, gps } = setup({ coldStartS: 0 });
    let checked = 0;
    gps.onEpoch((r) => {
      if (!r.epoch.fix) return;
      const truth = gps.truth() as { lat: number; lon: number; speedMps: number };
      const rmc = decoded(r.rmc);
      const gga = decoded(r.gga);
      expect(distanceM({ lat: rmc.latitude, lon: rmc.longitude }, truth)).toBeLessThan(1);
      expect(distanceM({ lat: gga.latitude, lon: gga.longitude }, truth)).toBeLessThan(1);
      expect(rmc.speedKnots * 0.514444).toBeCloseTo(truth.speedMps, 1);
      expect(gga.satellitesUsed).toBeGreaterThanOrEqual(7);
      expect(gga.hdop).toBeGreaterThan(0.5);
      expect(gga.hdop).toBeLessThan(2);
      checked++;
    });
    gps.powerOn();
    clock.advance(400_000);
    expect(checked).toBeGreaterThan(350);
  });

  it('nmea-simple (a second decoder) reads the same positions from every RMC and GGA', () => {
    const { clock, gps } = setup({ coldStartS: 0 });
    let checked = 0;
    gps.onEpoch((r) => {
      const truth = gps.truth() as { lat: number; lon: number };
      const rmc = parseNmeaSentence(r.rmc) as RMCPacket;
      const gga = parseNmeaSentence(r.gga) as GGAPacket;
      if (!r.epoch.fix) {
        expect(rmc.status).toBe('warning');
        expect(gga.fixType).toBe('none');
        return;
      }
      expect(rmc.status).toBe('valid');
      expect(distanceM({ lat: rmc.latitude, lon: rmc.longitude }, truth)).toBeLessThan(1);
      expect(distanceM({ lat: gga.latitude, lon: gga.longitude }, truth)).toBeLessThan(1);
      checked++;
    });
    gps.powerOn();
    clock.advance(300_000);
    expect(checked).toBeGreaterThan(250);
  });

  it('in a tunnel: RMC status V, GGA quality 0, empty position; the fix comes back after it', () => {
    const { clock, gps } = setup({ coldStartS: 0 });
    gps.powerOn();
    clock.advance(210_000);
    const rmc = gps.latest()?.rmc as string;
    expect(rmc).toMatch(/^\$GPRMC,060330\.00,V,,,,,/);
    expect(decoded(gps.latest()?.gga as string).fixQuality).toBe(0);
    // best() still offers the last fix from before the tunnel, with its older time.
    expect(decoded(gps.best()?.rmc as string).status).toBe('A');
    expect(decoded(gps.best()?.rmc as string).timeOfDayMs).toBe(((6 * 60 + 3) * 60 + 19) * 1000);
    clock.advance(30_000);
    expect(decoded(gps.latest()?.rmc as string).status).toBe('A');
  });

  it('adds seeded noise reproducibly: same seed, same sentences', () => {
    const run = () => {
      const { clock, gps, out } = setup({ coldStartS: 0, noiseM: 3 });
      gps.powerOn();
      clock.advance(10_000);
      return out;
    };
    const a = run();
    expect(run()).toEqual(a);
    const { clock, gps } = setup({ coldStartS: 0, noiseM: 3 });
    gps.powerOn();
    clock.advance(1000);
    const truth = gps.truth() as { lat: number; lon: number };
    const p = decoded(gps.latest()?.rmc as string);
    const off = distanceM({ lat: p.latitude, lon: p.longitude }, truth);
    expect(off).toBeGreaterThan(0.01);
    expect(off).toBeLessThan(20);
  });

  it('stops emitting when powered off, and a later power-on is a hot start', () => {
    const { clock, gps, out } = setup({ coldStartS: 30, hotStartS: 2 });
    gps.powerOn();
    clock.advance(40_000);
    gps.powerOff();
    const n = out.length;
    clock.advance(10_000);
    expect(out.length).toBe(n);
    gps.powerOn();
    clock.advance(2000);
    expect(decoded(gps.latest()?.rmc as string).status).toBe('A');
  });
});
