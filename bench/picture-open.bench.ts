// Consoles opening at once on a big picture (a shift change in a busy control room): the gateway's memory while
// BENCH_PICTURE_CONSOLES (default 10) consoles ask for the picture together (`/ws?since=0&batch=1&view=1`), against
// one console alone, in the same run: rounds alternate 1 and N consoles, BENCH_PICTURE_ROUNDS each (default 2).
//
// The picture: BENCH_PICTURE_INCIDENTS (default 1,000) open incidents with BENCH_PICTURE_FIXES (default 300) fixes
// each, the case docs/api.md gives (63 MB of JSON text). The gateway side is the real Fanout (gateway/fanout) over
// an in-memory log (the store's cost is not what is measured) and a real `ws` server on 127.0.0.1; the consoles
// run in a child process (bench/support/view-clients.ts), so that what they receive does not count in the
// gateway's memory; each reads its messages and keeps only a hash of its picture's text.
//
// Printed per round: the gateway process's peak RSS and peak heap + external + array buffers above what it held
// before the round (sampled every 5 ms, after a full GC), the time from the first connection to every console
// live, the gateway process's CPU time meanwhile (the consoles' process excluded; on a shared machine the wall
// time depends on the load, the CPU time much less), and whether every console got the same picture (the hash of its joined `text` parts, and its parts
// count). Then the ratio of the N-console peak to the one-console peak: N when every console makes its own
// copy of the picture's text, near 1 when they share one. Writes bench/results/picture-open.json.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { Fanout } from '../gateway/fanout/fanout.js';
import type { EventListener, StoredEvent } from '../gateway/store/event-store.js';
import { systemClock } from '../protocol/time/clock.js';
import { envNumber, machine, mb, now, writeResult } from './support/common.js';

const INCIDENTS = envNumber('BENCH_PICTURE_INCIDENTS', 1000);
const FIXES = envNumber('BENCH_PICTURE_FIXES', 300);
const CONSOLES = envNumber('BENCH_PICTURE_CONSOLES', 10);
const ROUNDS = envNumber('BENCH_PICTURE_ROUNDS', 2);

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

/** The log: `INCIDENTS` open incidents (an alarm each), then `FIXES` rounds of a fix for each. */
function history(): StoredEvent[] {
  const out: StoredEvent[] = [];
  const push = (event: StoredEvent['event']) => out.push({ seq: out.length + 1, storedAt: 0, redacted: false, event });
  const incidentId = (i: number) => `INC-${String(i + 1).padStart(6, '0')}`;
  const handsetId = (i: number) => `TS-${String(i + 1).padStart(4, '0')}`;
  for (let i = 0; i < INCIDENTS; i++) {
    push({ type: 'incident.opened', at: iso(T0 + i), incidentId: incidentId(i), handsetId: handsetId(i), cause: 'alarm', priority: 'tecsos', callId: null, force: 'West Yorkshire Police' });
  }
  let counter = 0;
  for (let k = 0; k < FIXES; k++) {
    for (let i = 0; i < INCIDENTS; i++) {
      const t = T0 + 60_000 + k * 30_000 + i;
      push({
        type: 'fix', at: iso(t), incidentId: incidentId(i), handsetId: handsetId(i), callId: null, lat: 53.79 + k * 1e-5, lon: -1.54 - i * 1e-5, accuracyM: 5,
        fixTime: iso(t - 2000), receivedAt: iso(t), source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1.2, courseDeg: 90, sats: 8, hdop: 1, reportCounter: ++counter,
      });
    }
  }
  return out;
}

/** An in-memory log: everything written before the start; nothing appended while measuring. */
class MemoryLog {
  constructor(private readonly events: readonly StoredEvent[]) {}
  async readSince(after: number, limit = 1000): Promise<StoredEvent[]> {
    await Promise.resolve();
    return this.events.slice(after, after + limit);
  }
  async lastSeq(): Promise<number> {
    return this.events.length;
  }
  subscribe(_l: EventListener): () => void {
    return () => undefined;
  }
}

type ClientResult = { ms: number; consoles: { parts: number; chars: number; hash: string; live: boolean; messageBytes: number }[] };

/** `count` consoles at once, in a child process; resolves with what each got. */
async function openConsoles(url: string, count: number): Promise<ClientResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'support', 'view-clients.ts'), url, String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`view-clients exited ${String(code)}`);
  return JSON.parse(out) as ClientResult;
}

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  if (gc === undefined) throw new Error('run with --expose-gc (npm run bench -- picture-open does)');
  const conditions = machine();
  const events = history();
  const fanout = new Fanout({ log: new MemoryLog(events), clock: systemClock, pictureDelayMs: 0 });
  await fanout.start();
  const t = now();
  await fanout.picturesBuilt();
  console.log(`picture-open: ${INCIDENTS} open incidents x ${FIXES} fixes (${events.length} events); pictures built in ${Math.round(now() - t)} ms; load average at start ${(conditions.loadAverageAtStart as number[]).join(' ')} on ${String(conditions.cpus)} cpus`);
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(wss, 'listening');
  wss.on('connection', (ws) => fanout.attach(ws, { username: 'handler', role: 'call-handler', batch: true, view: true }, 0));
  const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws?since=0&batch=1&view=1`;

  const rounds: { consoles: number; peakRssMb: number; peakHeapMb: number; baseRssMb: number; msToAllLive: number; cpuS: number; cpuUserS: number; cpuSystemS: number; samePicture: boolean; parts: number; textMb: number; hash: string; messageBytes: number }[] = [];
  const order: number[] = [];
  for (let r = 0; r < ROUNDS; r++) order.push(1, CONSOLES);
  for (const n of order) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 200));
    gc();
    const base = process.memoryUsage();
    const baseHeap = base.heapUsed + base.external;
    let peakRss = base.rss;
    let peakHeap = baseHeap;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed + m.external);
    }, 5);
    const cpu0 = process.cpuUsage();
    const got = await openConsoles(url, n);
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    const cpuS = +((cpu.user + cpu.system) / 1e6).toFixed(2);
    const first = got.consoles[0];
    const samePicture = got.consoles.every((c) => c.live && c.hash === first?.hash && c.parts === first.parts && c.messageBytes === first.messageBytes);
    const round = {
      consoles: n, baseRssMb: mb(base.rss), peakRssMb: mb(peakRss - base.rss), peakHeapMb: mb(peakHeap - baseHeap), msToAllLive: got.ms, cpuS, cpuUserS: +(cpu.user / 1e6).toFixed(2), cpuSystemS: +(cpu.system / 1e6).toFixed(2), samePicture,
      parts: first?.parts ?? 0, textMb: mb(first?.chars ?? 0), hash: first?.hash ?? '', messageBytes: first?.messageBytes ?? 0,
    };
    rounds.push(round);
    console.log(`${String(n).padStart(3)} console(s) at once: peak RSS +${round.peakRssMb} MB (from ${round.baseRssMb} MB), peak heap+external +${round.peakHeapMb} MB; all live after ${got.ms} ms, gateway CPU ${cpuS} s (user ${(cpu.user / 1e6).toFixed(2)}, system ${(cpu.system / 1e6).toFixed(2)}); picture ${round.parts} parts, ${round.textMb} M chars, sha256 ${first?.hash.slice(0, 12) ?? ''}, ${first?.messageBytes ?? 0} message bytes, ${samePicture ? 'the same for every console' : 'NOT THE SAME FOR EVERY CONSOLE'}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const of = (n: number, k: 'peakRssMb' | 'peakHeapMb' | 'msToAllLive' | 'cpuS') => median(rounds.filter((r) => r.consoles === n).map((r) => r[k]));
  const ratio = { rss: +(of(CONSOLES, 'peakRssMb') / of(1, 'peakRssMb')).toFixed(2), heap: +(of(CONSOLES, 'peakHeapMb') / of(1, 'peakHeapMb')).toFixed(2), time: +(of(CONSOLES, 'msToAllLive') / of(1, 'msToAllLive')).toFixed(2), cpu: +(of(CONSOLES, 'cpuS') / of(1, 'cpuS')).toFixed(2) };
  console.log(`${CONSOLES} consoles against 1 (medians): peak RSS ${ratio.rss}x, peak heap+external ${ratio.heap}x, time to all live ${ratio.time}x, gateway CPU ${ratio.cpu}x`);
  writeResult('picture-open', { conditions, incidents: INCIDENTS, fixes: FIXES, events: events.length, consoles: CONSOLES, rounds, ratio });
  fanout.stop();
  wss.close();
}

await main();
