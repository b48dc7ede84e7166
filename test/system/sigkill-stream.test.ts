// The gateway (gateway/main.ts, a child process) is killed with SIGKILL at random points of a stream of
// reports and restarted each time, on the same store, over tcp:// to four simulated bank modems in this
// process (firmware-sim: network, SimModem behind TcpSerialServer). A console resumes after each restart with
// ?since=<the last seq it received>, with the session cookie it got at the first start (sessions are kept in
// the store). Extends test/gateway/e2e/sigkill.test.ts (one kill, one handset) to
// several kills at seeded random moments and a stream of over 5,000 stored events from 20 handsets.
//
// Asserted: zero lost (every report the network delivered is accepted, each once: what a killed gateway had
// not stored stayed in the modem's SIM storage and was read at restart); zero duplicated (no counter accepted
// twice; second copies are `duplicate` rejections); and the resuming console saw every public event of the
// log exactly once, in order.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_EVENT_TYPES } from '../../protocol/schemas/events.js';
import { SeededRandom } from '../../protocol/time/random.js';
import { openEventStore } from '../../gateway/store/index.js';
import { fleet, manifestOf, reportText, submitParts } from '../support/fleet.js';
import { login, startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { readAll } from '../support/in-process-gateway.js';
import { startSimBank } from '../support/sim-bank.js';
import { tmpDir } from '../gateway/core/harness.js';
import { connect, type Recorder } from '../gateway/http/ws-client.js';

const PUBLIC = new Set<string>(GATEWAY_EVENT_TYPES);
const HANDSETS = 20;
const TARGET_EVENTS = Number(process.env['SYSTEM_SIGKILL_EVENTS'] ?? 5000);
const KILLS = 4;

describe('gateway SIGKILLed at random points of a stream, restarted each time', () => {
  it('loses nothing, duplicates nothing, and a resuming console sees every event once, in order', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'tecsos.db');
    const manifest = path.join(dir, 'registry.json');
    const handsets = fleet(HANDSETS);
    writeFileSync(manifest, manifestOf(handsets));
    const bank = await startSimBank({ lines: 4, seed: 5 });
    const random = new SeededRandom(99);
    // The stream: ~3 public + 2 internal events per 2-part report.
    const reports = Math.ceil(TARGET_EVENTS / 5) + 50;
    const killAt = Array.from({ length: KILLS }, (_, i) => Math.floor(((i + 0.2 + random.next() * 0.6) * reports) / (KILLS + 1))).sort((a, b) => a - b);
    const sent: string[] = [];
    let running = true;
    let accepted = 0;
    // The radio world runs by itself, ~10x faster than the wall clock; the feeder keeps ~40 reports in flight.
    const world = (async () => {
      let n = 0;
      while (running) {
        while (n < reports && n - accepted < 40) {
          const h = handsets[n % HANDSETS]!;
          const counter = Math.floor(n / HANDSETS) + 1;
          const to = bank.numbers[n % bank.numbers.length] as string;
          for (const part of submitParts(to, reportText(h, counter, bank.clock.now()), counter)) bank.network.submitFromOutside(h.number, to, part);
          sent.push(`${h.id}:${counter}`);
          n++;
        }
        bank.clock.advance(10);
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const args = ['--db', db, '--http', '127.0.0.1:0', '--lines', bank.specs.join(','), '--registry', manifest];
    const sessions: Recorder[] = [];
    const acceptedSeen = () => new Set(sessions.flatMap((s) => s.messages.filter((m) => m['type'] === 'report.accepted').map((m) => `${String(m['handsetId'])}:${String(m['counter'])}`))).size;
    const waitFor = async (what: string, pred: () => boolean, ms: number, gw?: GatewayProcess) => {
      const end = Date.now() + ms;
      while (!pred()) {
        if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}\n${gw?.output().slice(-1500) ?? ''}`);
        await new Promise((r) => setTimeout(r, 20));
        accepted = acceptedSeen();
      }
    };
    let gw: GatewayProcess | undefined;
    let lastSeq = 0;
    let cookie: string | undefined;
    try {
      for (let life = 0; life <= KILLS; life++) {
        gw = startGatewayProcess(args);
        const url = await gw.url;
        // One login for the whole test: the session is kept in the store and survives each SIGKILL.
        cookie ??= await login(url);
        const ws = connect(`${url.replace('http', 'ws')}/ws?since=${lastSeq}`, { cookie, origin: url });
        sessions.push(ws);
        if (life < KILLS) {
          await waitFor(`${killAt[life]} reports accepted (life ${life})`, () => accepted >= (killAt[life] as number), 60_000, gw);
          // A random extra moment inside the stream: 0-300 ms more.
          await new Promise((r) => setTimeout(r, Math.floor(random.next() * 300)));
          await gw.kill();
          await ws.ended;
          lastSeq = Math.max(lastSeq, ...ws.seqs());
        } else {
          await waitFor('every report accepted', () => accepted >= reports, 90_000, gw);
        }
      }
      running = false;
      await world;
      await new Promise((r) => setTimeout(r, 300));
      sessions.at(-1)?.ws.close();
      expect(await gw!.stop()).toBe(0);
    } finally {
      running = false;
      await gw?.kill();
      await bank.close();
    }

    const store = openEventStore({ path: db });
    try {
      const all = await readAll(store);
      const acceptedKeys = all.filter((e) => e.event.type === 'report.accepted').map((e) => `${String(e.event['handsetId'])}:${String(e.event['counter'])}`);
      expect(all.length).toBeGreaterThanOrEqual(TARGET_EVENTS);
      // Zero lost, zero duplicated.
      expect(new Set(acceptedKeys).size).toBe(acceptedKeys.length);
      expect([...acceptedKeys].sort()).toEqual([...sent].sort());
      expect(all.filter((e) => e.event.type === 'report.rejected' && e.event['reason'] !== 'duplicate')).toEqual([]);
      // The resuming console: every public event once, in order (up to the end of what it was sent).
      const publicSeqs = all.filter((e) => PUBLIC.has(e.event.type)).map((e) => e.seq);
      const received = sessions.flatMap((s) => s.seqs());
      expect(received).toEqual(publicSeqs.slice(0, received.length));
      expect(received.length).toBeGreaterThan(publicSeqs.length - 50);
    } finally {
      await store.close();
    }
  }, 240_000);
});
