// Fan-out throughput and latency: events appended to the real SQLite store (in memory, so that disk fsync does
// not hide the fan-out's own cost) and delivered over /ws to 10 and 50 local WebSocket clients, which run in a
// worker thread (so that their JSON parsing does not share the gateway's event loop).
//
//   saturation: 20 000 call.ringing events appended in batches of 100 as fast as the store takes them;
//               events/s = events / (first append .. last event received by every client)
//   paced:      2 000 events at 1 000 events/s (batches of 10 every 10 ms); append-to-receive latency per
//               event per client, p50 / p99 / max (the time before append() to the client's 'message')
//
// Writes bench/results/fanout.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import os from 'node:os';
import WebSocket from 'ws';

type ClientJob = { url: string; cookie: string; origin: string; clients: number; total: number; firstIndex: number };

const now = () => performance.timeOrigin + performance.now();

/** Worker: opens the clients, records the receive time of every event by its index, reports when all are in. */
async function clientWorker(job: ClientJob): Promise<void> {
  const recv = Array.from({ length: job.clients }, () => new Float64Array(job.total));
  const counts = new Array<number>(job.clients).fill(0);
  let done = 0;
  await Promise.all(
    recv.map(
      (times, c) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(job.url, { headers: { cookie: job.cookie, origin: job.origin } });
          ws.on('error', reject);
          ws.on('message', (data) => {
            const t = now();
            const m = JSON.parse(data.toString()) as { type: string; callId?: string };
            if (m.type === 'live') resolve();
            if (m.type !== 'call.ringing' || m.callId === undefined) return;
            const i = Number(m.callId.slice(1)) - job.firstIndex;
            if (i < 0 || i >= job.total) return;
            times[i] = t;
            if (++counts[c]! === job.total && ++done === job.clients) {
              parentPort?.postMessage({ kind: 'done', recv: recv.map((r) => r.buffer) }, recv.map((r) => r.buffer as ArrayBuffer));
            }
          });
        }),
    ),
  );
  parentPort?.postMessage({ kind: 'ready' });
}

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

async function main(): Promise<void> {
  const { pino } = await import('pino');
  const { openEventStore } = await import('../gateway/store/open-store.js');
  const { LogUserDirectory } = await import('../gateway/auth/users.js');
  const { hashPassword } = await import('../gateway/auth/password.js');
  const { createHttpServer } = await import('../gateway/http/server.js');

  const store = openEventStore({ path: ':memory:' });
  const users = new LogUserDirectory(store, () => Date.now());
  await users.create({ username: 'bench', displayName: 'Bench', role: 'supervisor', passwordHash: await hashPassword('bench password 1'), by: 'bench' });
  const noActions = new Proxy({}, { get: () => () => ({ linesUp: 1, linesTotal: 1, storeOk: true }) });
  const server = await createHttpServer({
    store, users, actions: noActions as never, logger: pino({ level: 'silent' }),
    config: { port: 0, fanout: { pageSize: 500, maxBufferedBytes: 64 * 1024 * 1024, catchUpHighWater: 256 * 1024, heartbeatMs: 30_000, closeGraceMs: 5_000 } },
  });
  const base = await server.listen();
  const login = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench password 1' }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  let index = 0;
  const event = () => {
    index++;
    return { type: 'call.ringing', at: new Date().toISOString(), callId: `c${index}`, lineId: 'line1', callerNumber: '+447700900123', priority: 'tecsos', handsetId: 'TS-0001', incidentId: 'inc-1', force: 'Bench Force' };
  };

  async function run(clients: number, total: number, batch: number, intervalMs: number) {
    const firstIndex = index + 1;
    const sent = new Float64Array(total);
    // A worker does not inherit `--import tsx`: register tsx's loader in it first, then load this file.
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(boot, {
      eval: true,
      workerData: { url: `${base.replace(/^http/, 'ws')}/ws?since=${await store.lastSeq()}`, cookie, origin: base, clients, total, firstIndex } satisfies ClientJob,
    });
    const finished = new Promise<Float64Array[]>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: { kind: string; recv?: ArrayBuffer[] }) => {
        if (m.kind === 'done') resolve((m.recv ?? []).map((b) => new Float64Array(b)));
      });
    });
    await new Promise<void>((resolve) => worker.on('message', (m: { kind: string }) => m.kind === 'ready' && resolve()));
    const t0 = now();
    for (let i = 0; i < total; i += batch) {
      const n = Math.min(batch, total - i);
      const events = Array.from({ length: n }, event);
      const t = now();
      for (let k = 0; k < n; k++) sent[i + k] = t;
      await store.append(events);
      if (intervalMs > 0) await new Promise((r) => setTimeout(r, Math.max(0, t + intervalMs - now())));
    }
    const recv = await finished;
    const t1 = Math.max(...recv.map((r) => Math.max(...r)));
    await worker.terminate();
    const lat = new Float64Array(total * clients);
    recv.forEach((r, c) => r.forEach((t, i) => (lat[c * total + i] = t - (sent[i] as number))));
    lat.sort();
    const seconds = (t1 - t0) / 1000;
    return {
      clients, events: total, batch, intervalMs, seconds: +seconds.toFixed(3),
      eventsPerSecond: Math.round(total / seconds), deliveriesPerSecond: Math.round((total * clients) / seconds),
      latencyMs: { p50: +quantile(lat, 0.5).toFixed(2), p99: +quantile(lat, 0.99).toFixed(2), max: +(lat[lat.length - 1] as number).toFixed(2) },
    };
  }

  const results = [];
  for (const clients of [10, 50]) {
    await run(clients, 2000, 100, 0); // warm-up
    const saturation = await run(clients, 20_000, 100, 0);
    const paced = await run(clients, 2000, 10, 10);
    results.push({ mode: 'saturation', ...saturation }, { mode: 'paced-1000/s', ...paced });
    console.log(`${clients} clients: saturation ${saturation.eventsPerSecond} events/s (${saturation.deliveriesPerSecond} deliveries/s), ` +
      `latency p50 ${saturation.latencyMs.p50} ms p99 ${saturation.latencyMs.p99} ms; paced 1000/s: p50 ${paced.latencyMs.p50} ms p99 ${paced.latencyMs.p99} ms max ${paced.latencyMs.max} ms`);
  }
  await server.close();
  await store.close();
  const out = {
    bench: 'fanout',
    conditions: {
      node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, store: 'SQLite :memory: (group commit, no fsync cost)',
      transport: 'ws over loopback, clients in one worker thread', event: 'call.ringing, ~250 bytes on the wire', roles: 'supervisor',
    },
    results,
  };
  const dir = path.join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'fanout.json'), JSON.stringify(out, null, 2) + '\n');
  console.log(`wrote ${path.join(dir, 'fanout.json')}`);
}

if (isMainThread) {
  await main();
} else {
  await clientWorker(workerData as ClientJob);
}
