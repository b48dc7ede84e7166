// External check (DESIGN.md): gpsd, a program no one here wrote, reads the simulated receiver's raw NMEA over a
// pty and must report the route's positions. socat makes the pty and feeds it from its stdin; gpsd reads the pty;
// gpspipe -w prints gpsd's TPV reports. Wall-clock pacing is only there to let gpsd keep up; nothing is timed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { distanceM } from '../../../firmware-sim/gps/geo.js';
import { SimGps } from '../../../firmware-sim/gps/gps.js';

const children: ChildProcess[] = [];
const dir = mkdtempSync(join(tmpdir(), 'tecsos-gpsd-'));

afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface Tpv {
  class: string;
  mode: number;
  time?: string;
  lat?: number;
  lon?: number;
}

describe('gpsd reads the simulated GPS over a pty', () => {
  it('gpspipe -w reports positions within 1 m of the route', async () => {
    const pty = join(dir, 'gps0');
    const socat = spawn('socat', ['-d', `pty,raw,echo=0,link=${pty}`, 'STDIO'], { stdio: ['pipe', 'ignore', 'ignore'] });
    children.push(socat);
    for (let i = 0; i < 100 && !existsSync(pty); i++) await sleep(50);
    expect(existsSync(pty)).toBe(true);

    const port = await freePort();
    const gpsd = spawn('gpsd', ['-N', '-n', '-S', String(port), '-F', join(dir, 'gpsd.sock'), pty], { stdio: 'ignore' });
    children.push(gpsd);

    const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 0));
    const gps = new SimGps(clock, new SeededRandom(3), { coldStartS: 0 });
    gps.setRoute({
      waypoints: [
        { lat: 51.5007, lon: -0.1218, speedMps: 8 },
        { lat: 51.5033, lon: -0.1195, speedMps: 8 },
        { lat: 51.508, lon: -0.1167, speedMps: 0 },
      ],
    });
    const truth = new Map<string, { lat: number; lon: number }>();
    gps.onSentence((s) => socat.stdin?.write(s));
    gps.onEpoch((r) => truth.set(new Date(r.epoch.timeMs).toISOString(), gps.truth(r.epoch.timeMs) as { lat: number; lon: number }));
    gps.powerOn();

    await sleep(300);
    const pipe = spawn('gpspipe', ['-w', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(pipe);
    const tpvs: Tpv[] = [];
    let buffered = '';
    pipe.stdout?.on('data', (b: Buffer) => {
      buffered += b.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) {
        try {
          const m = JSON.parse(l) as Tpv;
          if (m.class === 'TPV' && m.mode >= 2) tpvs.push(m);
        } catch {
          // gpspipe prints only JSON lines with -w; anything else is not a report
        }
      }
    });

    for (let i = 0; i < 200 && tpvs.length < 20; i++) {
      clock.advance(1000);
      await sleep(40);
    }
    expect(tpvs.length).toBeGreaterThanOrEqual(20);
    let compared = 0;
    for (const t of tpvs) {
      const want = truth.get(t.time ?? '');
      if (want === undefined) continue;
      expect(distanceM({ lat: t.lat as number, lon: t.lon as number }, want)).toBeLessThan(1);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(20);
  });
});
