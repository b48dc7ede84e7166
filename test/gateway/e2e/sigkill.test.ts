// The gateway killed with SIGKILL in the middle of a stream of reports and started again: no report is lost
// (the accepted counters have no gap: what the dead gateway had not stored stayed in the modems' SIM storage
// and was read at restart), and a WebSocket client that resumes with ?since=<last seq seen> receives every
// public event exactly once, in order.
//
// The gateway runs as `gateway/main.ts` in a child process (wall clock) over tcp:// to firmware-sim modems in
// this process; the simulated world (network, modems, handset) runs on its own ManualClock, stepped quickly.
// main.ts is bundled once with esbuild (packages left external) so that each start takes about a second
// instead of tsx compiling the sources again (test/gateway/core/main.test.ts runs it through tsx as npm does).
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it, onTestFinished } from 'vitest';
import { GATEWAY_EVENT_TYPES } from '../../../protocol/schemas/events.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { SimHandset } from '../../../firmware-sim/handset/sim-handset.js';
import { SimModem } from '../../../firmware-sim/modem/index.js';
import { SimNetwork } from '../../../firmware-sim/network/index.js';
import { TcpSerialServer } from '../../../firmware-sim/transport/tcp-serial-server.js';
import { openEventStore } from '../../../gateway/store/index.js';
import { connect, type Recorder } from '../http/ws-client.js';
import { tmpDir } from '../core/harness.js';

const HANDSET_NUMBER = '+447700900123';
const LINES = ['+441632960001', '+441632960002'];
const KEY = new Uint8Array(32).map((_, i) => 0x3c ^ (i * 7));
const PASSWORD = 'e2e-demo-password';

type Gateway = { child: ChildProcess; url: Promise<string>; exited: Promise<number | null>; output: () => string };

/** gateway/main.ts as one ESM file inside node_modules/.cache (so that its bare imports resolve). */
async function bundleMain(): Promise<string> {
  const outfile = path.resolve('node_modules/.cache/tecsos-test', `gateway-main-${process.pid}.mjs`);
  await build({ entryPoints: ['gateway/main.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'error' });
  onTestFinished(() => rmSync(outfile, { force: true }));
  return outfile;
}

function startGateway(main: string, args: string[]): Gateway {
  const child = spawn(process.execPath, [main, ...args], {
    env: { ...process.env, TECSOS_DEMO_USERS: '1', TECSOS_DEMO_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m !== null) {
        clearInterval(t);
        resolve(m[1] as string);
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(t);
      reject(new Error(`gateway exited ${code}: ${out.slice(-2000)}`));
    });
  });
  return { child, url, exited, output: () => out };
}

describe('gateway killed with SIGKILL mid-stream', () => {
  it('loses no report, and a resumed WebSocket client sees every seq exactly once, in order', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'tecsos.db');
    const manifest = path.join(dir, 'sim-registry.json');
    const victim = { name: 'Jane Doe', safetyNotes: '', riskMarkers: [] };
    writeFileSync(manifest, JSON.stringify({ version: 1, handsets: [{ id: 'TS-0001', number: HANDSET_NUMBER, imei: '356938035643809', key: Buffer.from(KEY).toString('hex'), force: 'Met', victim }] }));

    const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 0));
    const random = new SeededRandom(5);
    const network = new SimNetwork({ clock, random, emergencyLines: [LINES[0] as string] });
    const bank = await Promise.all(
      LINES.map(async (msisdn) => {
        const modem = new SimModem({ clock, network, msisdn });
        const server = await TcpSerialServer.listen({ port: 0 });
        modem.connect(server);
        return server;
      }),
    );
    const handset = new SimHandset({
      clock,
      random,
      network,
      msisdn: HANDSET_NUMBER,
      identity: { id: 'TS-0001', firmware: '1.0.0', imei: '356938035643809' },
      provision: { config: { gatewayNumber: LINES[1] as string, intervalS: 10 }, key: KEY },
      route: { waypoints: [{ lat: 51.5007, lon: -0.1218, speedMps: 1.4 }, { lat: 51.5033, lon: -0.1195, speedMps: 1.4 }] },
      gps: { coldStartS: 5 },
      batteryPercent: 90,
    });
    // The simulated world runs on by itself, about 20x faster than the wall clock, whatever the gateway does.
    let running = true;
    const world = (async () => {
      while (running) {
        clock.advance(25);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    const args = ['--db', db, '--http', '127.0.0.1:0', '--lines', bank.map((s) => `tcp://127.0.0.1:${s.port}`).join(','), '--registry', manifest];
    const waitFor = async (what: string, done: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!done()) {
        if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const login = async (url: string) => {
      const r = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'handler', password: PASSWORD }) });
      return String(r.headers.get('set-cookie')).split(';')[0] as string;
    };
    const accepted = (ws: Recorder) => ws.messages.filter((m) => m['type'] === 'report.accepted').length;

    const main = await bundleMain();
    let second: Gateway | undefined;
    const first = startGateway(main, args);
    try {
      const url1 = await first.url;
      const ws1 = connect(`${url1.replace('http', 'ws')}/ws?since=0`, { cookie: await login(url1) });
      await handset.firmware.boot();
      await waitFor('BOT report', () => accepted(ws1) >= 1, 20_000);
      handset.button.setContact(true);
      await new Promise((resolve) => setTimeout(resolve, 400)); // > 2 s simulated hold
      handset.button.setContact(false);
      await waitFor('a stream of reports', () => accepted(ws1) >= 4, 30_000);

      first.child.kill('SIGKILL');
      await first.exited;
      await ws1.ended;
      const lastSeen = Math.max(...ws1.seqs());

      second = startGateway(main, args);
      const url2 = await second.url;
      const ws2 = connect(`${url2.replace('http', 'ws')}/ws?since=${lastSeen}`, { cookie: await login(url2) });
      await waitFor('more reports after the restart', () => accepted(ws2) >= 4, 30_000);
      running = false;
      await world;
      await new Promise((resolve) => setTimeout(resolve, 300));
      ws2.ws.close();
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);

      const store = openEventStore({ path: db });
      try {
        const all = await store.readSince(0, 10_000);
        const publicTypes = new Set<string>(GATEWAY_EVENT_TYPES);
        const publicSeqs = all.filter((e) => publicTypes.has(e.event.type)).map((e) => e.seq);
        const received = [...ws1.seqs(), ...ws2.seqs()];
        // Exactly once, in order, nothing missing up to what the second client was sent.
        expect(received).toEqual(publicSeqs.slice(0, received.length));
        expect(received.length).toBeGreaterThan(8);
        // No report lost: the accepted counters run without a gap from the BOT report on.
        const counters = all.filter((e) => e.event.type === 'report.accepted').map((e) => e.event['counter'] as number).sort((a, b) => a - b);
        expect(counters[0]).toBe(1);
        expect(counters).toEqual(counters.map((_, i) => i + 1));
        expect(all.filter((e) => e.event.type === 'report.rejected' && e.event['reason'] !== 'duplicate')).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      running = false;
      if (first.child.exitCode === null) first.child.kill('SIGKILL');
      if (second !== undefined && second.child.exitCode === null) second.child.kill('SIGKILL');
      for (const s of bank) await s.closeAsync();
    }
  }, 90_000);
});
