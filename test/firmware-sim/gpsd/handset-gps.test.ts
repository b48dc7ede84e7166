// External check (issue 4, DESIGN.md): gpsd, a program no one here wrote, reads a simulated handset's GPS output
// as an engineer would capture it: from the running simulation, over the handset's USB serial on TCP (the
// authenticated console's raw NMEA stream, AT+TSGPS=1), put on a pty by socat. gpsd runs in the foreground as a
// child on a free port, read-only (-b); a TCP client on its port asks for JSON (?WATCH) and every TPV position
// must lie within 1 m of where the route says she was at that second.
//
// test/firmware-sim/gps/gpsd.test.ts checks the receiver part alone (SimGps straight into a pty, gpspipe); this
// one checks the handset's own output path through the assembled simulator. Wall-clock pacing (40 ms per
// simulated second) only lets gpsd keep up; nothing is timed, every wait is bounded, children die in afterEach.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { distanceM } from '../../../firmware-sim/gps/geo.js';
import { authMessage } from '../../../firmware-sim/provisioning/signature.js';
import { parseSimConfig } from '../../../firmware-sim/sim/config.js';
import { Simulation } from '../../../firmware-sim/sim/simulation.js';
import { LineClient } from '../sim/harness.js';

const START = Date.UTC(2026, 10, 23, 7, 30, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function child(cmd: string, args: string[]): ChildProcess {
  const c = spawn(cmd, args, { stdio: ['pipe', 'ignore', 'pipe'], detached: true });
  cleanups.push(() => {
    if (c.exitCode === null && c.pid !== undefined) {
      try {
        process.kill(-c.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  return c;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

interface Tpv {
  class: string;
  mode?: number;
  time?: string;
  lat?: number;
  lon?: number;
}

describe('gpsd reads a simulated handset GPS output', () => {
  it('TPV positions from gpsd are within 1 m of the route at those times', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tecsos-gpsd-sim-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const fleetKey = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url').toString('hex');

    // A walk through central Leeds at a brisk 8 m/s so positions change visibly each second.
    const route = {
      waypoints: [
        { lat: 53.79575, lon: -1.54655, speedMps: 8 },
        { lat: 53.79585, lon: -1.5442, speedMps: 8 },
        { lat: 53.79618, lon: -1.54178, speedMps: 0 },
      ],
    };
    const config = parseSimConfig({ seed: 3, fleetKey, gpsColdStartS: 0, ports: { bankBase: 0, usbBase: 0, control: 0 } });
    const clock = new ManualClock(START);
    const sim = await Simulation.start({ config, clock });
    cleanups.push(() => sim.close());
    sim.setRoute('TS-0001', route);
    const handset = sim.handsets.get('TS-0001');
    const run = async (ms: number) => {
      await clock.advanceAsync(ms, 20);
      await new Promise((r) => setImmediate(r));
    };

    // The engineer's side: authenticate on the USB console and start the raw NMEA stream.
    const usb = await LineClient.connect(handset?.usb?.port as number);
    cleanups.push(() => usb.close());
    usb.send('AT+TSAUTH?\r');
    const nonce = (await usb.until(/\+TSAUTH: "([0-9a-f]{32})"/, run))[1] as string;
    let from = usb.received.length;
    usb.send(`AT+TSAUTH=${sign(null, authMessage('TS-0001', nonce), privateKey).toString('hex')}\r`);
    await usb.until(/^\r\nOK\r\n/, run, from);
    from = usb.received.length;
    usb.send('AT+TSGPS=1\r');
    const ok = await usb.until(/^\r\nOK\r\n/, run, from);
    const streamFrom = from + ok.index + ok[0].length;

    // socat puts what the USB serial carries on a pty (the stream only: the console's answers stay here).
    const pty = join(dir, 'handset-gps');
    const socat = child('socat', ['-d', `pty,raw,echo=0,link=${pty}`, 'STDIO']);
    for (let i = 0; i < 100 && !existsSync(pty); i++) await sleep(50);
    expect(existsSync(pty)).toBe(true);
    let forwarded = streamFrom;
    const forward = () => {
      if (usb.received.length > forwarded) socat.stdin?.write(Buffer.from(usb.received.slice(forwarded), 'latin1'));
      forwarded = usb.received.length;
    };

    const port = await freePort();
    const gpsd = child('gpsd', ['-N', '-n', '-b', '-S', String(port), '-F', join(dir, 'gpsd.sock'), pty]);
    let gpsdErr = '';
    gpsd.stderr?.on('data', (b: Buffer) => (gpsdErr += b.toString('utf8')));
    // gpsd needs a moment to open the pty and its port.
    let client: net.Socket | undefined;
    for (let i = 0; i < 100 && client === undefined; i++) {
      await sleep(50);
      client = await new Promise<net.Socket | undefined>((resolve) => {
        const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
        s.once('error', () => resolve(undefined));
      });
    }
    if (client === undefined) throw new Error(`gpsd did not listen: ${gpsdErr}`);
    const gpsdClient = client;
    cleanups.push(() => gpsdClient.destroy());
    const tpvs: Tpv[] = [];
    let buffered = '';
    gpsdClient.on('data', (b: Buffer) => {
      buffered += b.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const l of lines) {
        const m = JSON.parse(l) as Tpv;
        if (m.class === 'TPV' && (m.mode ?? 0) >= 2) tpvs.push(m);
      }
    });
    gpsdClient.write('?WATCH={"enable":true,"json":true}\n');

    for (let i = 0; i < 200 && tpvs.length < 20; i++) {
      await run(1000);
      forward();
      await sleep(40);
    }
    expect(tpvs.length, gpsdErr).toBeGreaterThanOrEqual(20);
    let compared = 0;
    for (const t of tpvs) {
      const at = Date.parse(t.time ?? '');
      expect(Number.isFinite(at)).toBe(true);
      const want = handset?.device.gps.truth(at);
      if (want === undefined) throw new Error('no route');
      expect(distanceM({ lat: t.lat as number, lon: t.lon as number }, want)).toBeLessThan(1);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(20);
    // She moved: the positions gpsd reported are not one point.
    const first = tpvs[0] as Tpv;
    const last = tpvs[tpvs.length - 1] as Tpv;
    expect(distanceM({ lat: first.lat as number, lon: first.lon as number }, { lat: last.lat as number, lon: last.lon as number })).toBeGreaterThan(100);
  });
});
