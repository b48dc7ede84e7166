// Fan-out throughput and latency: events appended to the real SQLite store (in memory, so that disk fsync does
// not hide the fan-out's own cost) and delivered over /ws to local WebSocket consoles (bench/support/consoles.ts:
// each message JSON.parse'd and its seq recorded, as the console does), which run in worker threads (so that
// their parsing does not share the gateway's event loop; on 2 cores they do share the CPU).
//
//   saturation: 20 000 call.ringing events appended in batches of 100 as fast as the store takes them, to 10
//               and to 50 consoles; events/s = events / (first append .. last event received by every console)
//   paced:      2 000 call.ringing events at 1 000 events/s (batches of 10 every 10 ms); append-to-receive
//               latency per event per console, p50 / p99 / max (the time before append() to the 'message')
//   ingest:     the shape of issue 8's report ingest: per report, report.accepted + fix + handset.status (the
//               fields of gateway/reports/tsr1-intake.ts), 20 000 reports = 60 000 events, appended in commits
//               of 300 and of 900 events, to 10 consoles in 1 and in 2 worker threads
//
// Beside each wall-clock figure: the CPU time of the gateway's thread alone (the main thread runs the store
// and the fan-out; the consoles run in other threads), read from /proc/self/task/<pid>/stat (10 ms ticks),
// and what that CPU time would allow on its own: `gatewayEventsPerCpuSecond` = events / gateway-thread CPU
// seconds. On this shared 2-core machine the consoles' parsing (600 000 messages/s for issue 8) and other
// people's work compete with the gateway for the CPU, so the wall figure is a floor; the CPU figure is the
// gateway's own cost. The ingest shape is also run with 0 consoles: the store's share of that cost.
//
//   paced ingest: issue 8's latency case, 1,000 reports/s = 3,000 events/s of the ingest shape (commits of 30
//               every 10 ms) for 2 s, to 50 consoles (2 worker threads): append-to-receive p50 / p99 / max
//   stubbed:    the fan-out's JavaScript alone: a Fanout fed the ingest shape in commits of 900 events, 10
//               clients whose socket write is a no-op; CPU microseconds per event (process.cpuUsage, this
//               thread only runs it), with the schema check and, in the same process, without it; three
//               alternating rounds, the median
//
// Each run opens fresh consoles and first sends them 3,000 events of its shape, not measured (a new worker
// thread's first second is several times slower: it showed as a p99 of 200-300 ms at 50 consoles).
// Every run also checks that every console got every event once, in seq order, with nothing else between.
// Writes bench/results/fanout.json.
import { openConsoles } from './support/consoles.js';
import { envNumber, loadNow, machine, mainThreadCpu, now, summarise, writeResult } from './support/common.js';

type NewEvent = { type: string; at: string; [k: string]: unknown };
type Shape = 'call.ringing' | 'ingest';

const CONSOLE_WORKERS = envNumber('BENCH_FANOUT_CONSOLE_WORKERS', 1);
/** Events sent to fresh consoles before each measured run (not counted). */
const WARM_UP = 3000;
/** Which runs: `saturation`, `paced` (call.ringing), `ingest`, `stubbed`; default all. */
const RUNS = (process.env.BENCH_FANOUT_RUNS ?? 'saturation,paced,ingest,stubbed').split(',');

let index = 0;

/** `p`, or a failure after `ms` (a console that never gets an event must not hang the benchmark). */
async function within(p: Promise<void> | undefined, ms: number, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${ms / 1000} s`)), ms)));
  try {
    await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** One call.ringing (~250 bytes on the wire). */
function ringing(): NewEvent[] {
  index++;
  return [{ type: 'call.ringing', at: new Date().toISOString(), callId: `c${index}`, lineId: 'line1', callerNumber: '+447700900123', priority: 'tecsos', handsetId: 'TS-0001', incidentId: 'inc-1', force: 'Bench Force' }];
}

/** The three public events of one accepted TRK report, with the fields tsr1-intake.ts gives them. */
function report(): NewEvent[] {
  index++;
  const at = new Date().toISOString();
  const handsetId = `TS-${String(index % 1000).padStart(4, '0')}`;
  const counter = 1000 + Math.floor(index / 1000);
  const incidentId = `inc-${index % 1000}`;
  return [
    { type: 'report.accepted', at, handsetId, counter, event: 'TRK', batteryPct: 87, csq: 21, incidentId, receivedAt: at, fromNumber: '+447700900123', mac: 'Q2xhaW1lZE1BQw' },
    {
      type: 'fix', at, incidentId, handsetId, callId: null, lat: 53.7997 + (index % 100) * 1e-4, lon: -1.5492 - (index % 100) * 1e-4, accuracyM: 7.5,
      fixTime: at, receivedAt: at, source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 0.4, courseDeg: 231.5, sats: 9, hdop: 0.9, reportCounter: counter,
    },
    { type: 'handset.status', at, handsetId, batteryPct: 87, csq: 21, lastReportAt: at, lastEvent: 'TRK', lastCounter: counter },
  ];
}

/** The fan-out with stub sockets (no I/O): CPU us per event for the ingest shape, 10 clients of one role. */
async function stubbed(check: boolean): Promise<number> {
  const { Fanout } = await import('../gateway/fanout/fanout.js');
  const { ManualClock } = await import('../protocol/time/clock.js');
  const { EventEmitter } = await import('node:events');
  type Stored = { seq: number; storedAt: number; redacted: boolean; event: NewEvent };
  let listener: ((events: readonly Stored[]) => void) | undefined;
  const log = { readSince: async () => [], lastSeq: async () => 0, subscribe: (l: typeof listener) => ((listener = l), () => undefined) };
  const fanout = new Fanout({ log: log as never, clock: new ManualClock(Date.UTC(2026, 10, 23, 6)), limits: { maxBufferedBytes: Infinity }, ...(!check && { validate: () => true }) });
  await fanout.start();
  class StubSocket extends EventEmitter {
    readonly readyState = 1;
    readonly extensions = '';
    readonly bufferedAmount = 0;
    readonly _socket = { write: () => true };
    send(_d: unknown, _o?: unknown, cb?: () => void) { cb?.(); }
    close() {}
    terminate() {}
    ping() {}
  }
  for (let c = 0; c < 10; c++) fanout.attach(new StubSocket() as never, { username: `u${c}`, role: 'supervisor' }, 0);
  for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
  let seq = 0;
  const commits = (n: number) => Array.from({ length: n }, () => {
    const out: Stored[] = [];
    while (out.length < 900) for (const event of report()) out.push({ seq: ++seq, storedAt: 0, redacted: false, event });
    return out;
  });
  for (const b of commits(40)) listener?.(b); // warm-up
  const measured = commits(67);
  const c0 = process.cpuUsage();
  for (const b of measured) listener?.(b);
  const c = process.cpuUsage(c0);
  fanout.stop();
  return (c.user + c.system) / (measured.length * 900);
}

async function main(): Promise<void> {
  const conditions = machine();
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
    config: { port: 0, fanout: { pageSize: 500, maxBufferedBytes: 256 * 1024 * 1024, catchUpHighWater: 256 * 1024, heartbeatMs: 30_000, closeGraceMs: 5_000 } },
  });
  const base = await server.listen();
  const login = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench password 1' }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  console.log(`fanout: load average at start ${(conditions.loadAverageAtStart as number[]).join(' ')} on ${String(conditions.cpus)} cpus`);

  /** `units` calls of `make` (1 or 3 events each), `perCommit` events per store append, every `intervalMs`. */
  async function run(opts: { mode: string; shape: Shape; consoles: number; events: number; perCommit: number; intervalMs: number; workers: number }) {
    const make = opts.shape === 'ingest' ? report : ringing;
    const events: NewEvent[] = [];
    while (events.length < opts.events) events.push(...make());
    const from = await store.lastSeq();
    const consoles = opts.consoles === 0 ? undefined : await openConsoles({ wsUrl: `${base.replace(/^http/, 'ws')}/ws?since=${from}`, cookie, origin: base, count: opts.consoles, capacity: WARM_UP + events.length + 10, workers: opts.workers });
    // Warm the fresh console threads (JIT) before measuring: their first second is several times slower.
    const warm: NewEvent[] = [];
    while (warm.length < WARM_UP) warm.push(...make());
    for (let i = 0; i < warm.length; i += 100) await store.append(warm.slice(i, i + 100));
    const since = from + warm.length;
    await consoles?.reached(since);
    const sent = new Float64Array(events.length);
    const cpu0 = mainThreadCpu();
    const proc0 = process.cpuUsage();
    const t0 = now();
    for (let i = 0; i < events.length; i += opts.perCommit) {
      const batch = events.slice(i, i + opts.perCommit);
      const t = now();
      sent.fill(t, i, i + batch.length);
      await store.append(batch);
      if (opts.intervalMs > 0) await new Promise((r) => setTimeout(r, Math.max(0, t + opts.intervalMs - now())));
    }
    const lastSeq = since + events.length;
    await within(consoles?.reached(lastSeq), 300_000, `${opts.mode} ${opts.shape}: the consoles did not all reach seq ${lastSeq}`);
    const proc = process.cpuUsage(proc0);
    const cpu1 = mainThreadCpu();
    const user = cpu1.user - cpu0.user;
    const system = cpu1.system - cpu0.system;
    const cpuSeconds = user + system;
    let t1 = consoles === undefined ? now() : t0;
    const stats = (await consoles?.stats()) ?? { seqs: [], times: [], counts: [], closes: [] };
    await consoles?.stop();
    let exact = true;
    const lat = new Float64Array(events.length * opts.consoles);
    let n = 0;
    stats.seqs.forEach((seqs, c) => {
      const count = (stats.counts[c] as number) - WARM_UP;
      if (count !== events.length) exact = false;
      for (let k = 0; k < Math.min(count, seqs.length - WARM_UP); k++) {
        if (seqs[WARM_UP + k] !== since + k + 1) exact = false;
        const t = (stats.times[c] as Float64Array)[WARM_UP + k] as number;
        t1 = Math.max(t1, t);
        lat[n++] = t - (sent[k] as number);
      }
    });
    const seconds = (t1 - t0) / 1000;
    return {
      mode: opts.mode, shape: opts.shape, consoles: opts.consoles, consoleWorkers: opts.workers, events: events.length, eventsPerCommit: opts.perCommit, intervalMs: opts.intervalMs,
      seconds: +seconds.toFixed(3),
      eventsPerSecond: Math.round(events.length / seconds),
      deliveriesPerSecond: Math.round((events.length * opts.consoles) / seconds),
      ...(opts.shape === 'ingest' && { reportsPerSecond: Math.round(events.length / 3 / seconds) }),
      gatewayThreadCpuSeconds: +cpuSeconds.toFixed(2),
      gatewayThreadCpuSplit: { user: +user.toFixed(2), system: +system.toFixed(2) },
      gatewayEventsPerCpuSecond: Math.round(events.length / cpuSeconds),
      /** CPU of every other thread of the process (the consoles' workers, plus GC and libuv helpers) per message delivered. */
      otherThreadsCpuMicrosecondsPerDelivery: opts.consoles === 0 ? null : +(((proc.user + proc.system) / 1e6 - cpuSeconds) * 1e6 / (events.length * opts.consoles)).toFixed(2),
      latencyMs: summarise(lat.subarray(0, n)),
      everyConsoleEveryEventOnceInOrder: exact,
      closes: stats.closes,
      loadAverageAtEnd: loadNow(),
    };
  }

  const line = (r: Awaited<ReturnType<typeof run>>) =>
    console.log(`${r.mode} ${r.shape} ${r.consoles} consoles (${r.consoleWorkers} worker${r.consoleWorkers > 1 ? 's' : ''}), ${r.eventsPerCommit}/commit: ` +
      `${r.eventsPerSecond} events/s (${r.deliveriesPerSecond} deliveries/s${'reportsPerSecond' in r ? `, ${r.reportsPerSecond} reports/s` : ''}), ` +
      `gateway thread ${r.gatewayThreadCpuSeconds} CPU s (user ${r.gatewayThreadCpuSplit.user} sys ${r.gatewayThreadCpuSplit.system}) = ${r.gatewayEventsPerCpuSecond} events per CPU s; ` +
      `consoles ${r.otherThreadsCpuMicrosecondsPerDelivery} µs CPU per message; ` +
      `latency p50 ${r.latencyMs.p50} p99 ${r.latencyMs.p99} max ${r.latencyMs.max} ms; exact ${r.everyConsoleEveryEventOnceInOrder}; load ${r.loadAverageAtEnd.join(' ')}`);

  const results = [];
  for (const consoles of RUNS.includes('saturation') || RUNS.includes('paced') ? [10, 50] : []) {
    await run({ mode: 'warm-up', shape: 'call.ringing', consoles, events: 2000, perCommit: 100, intervalMs: 0, workers: CONSOLE_WORKERS });
    const runs = [];
    if (RUNS.includes('saturation')) runs.push(await run({ mode: 'saturation', shape: 'call.ringing', consoles, events: 20_000, perCommit: 100, intervalMs: 0, workers: CONSOLE_WORKERS }));
    if (RUNS.includes('paced')) runs.push(await run({ mode: 'paced-1000/s', shape: 'call.ringing', consoles, events: 2000, perCommit: 10, intervalMs: 10, workers: CONSOLE_WORKERS }));
    for (const r of runs) {
      line(r);
      results.push(r);
    }
  }
  if (RUNS.includes('paced')) {
    const r = await run({ mode: 'paced-1000-reports/s', shape: 'ingest', consoles: 50, events: 6000, perCommit: 30, intervalMs: 10, workers: 2 });
    line(r);
    results.push(r);
  }
  const ingestEvents = envNumber('BENCH_FANOUT_INGEST_EVENTS', 60_000);
  for (const [consoles, workers] of RUNS.includes('ingest') ? ([[0, 0], [10, 1], [10, 2]] as const) : []) {
    for (const perCommit of [300, 900]) {
      const r = await run({ mode: 'saturation', shape: 'ingest', consoles, events: ingestEvents, perCommit, intervalMs: 0, workers });
      line(r);
      results.push(r);
    }
  }
  if (RUNS.includes('stubbed')) {
    const rounds: { checked: number[]; unchecked: number[] } = { checked: [], unchecked: [] };
    for (let i = 0; i < 3; i++) {
      rounds.checked.push(+(await stubbed(true)).toFixed(2));
      rounds.unchecked.push(+(await stubbed(false)).toFixed(2));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1] as number;
    const r = { mode: 'stubbed', shape: 'ingest', consoles: 10, eventsPerCommit: 900, cpuMicrosecondsPerEvent: median(rounds.checked), withoutSchemaCheck: median(rounds.unchecked), rounds, loadAverageAtEnd: loadNow() };
    console.log(`stubbed ingest, 10 clients, 900/commit: ${r.cpuMicrosecondsPerEvent} us CPU per event (without the schema check: ${r.withoutSchemaCheck}; rounds ${JSON.stringify(r.rounds)}); load ${r.loadAverageAtEnd.join(' ')}`);
    results.push(r as never);
  }
  await server.close();
  await store.close();
  writeResult('fanout', {
    conditions: {
      ...conditions, store: 'SQLite :memory: (group commit, no fsync cost)',
      transport: 'ws over loopback, consoles in worker threads (JSON.parse of every message)', roles: 'supervisor',
      events: 'call.ringing ~250 bytes on the wire; ingest: report.accepted ~270, fix ~420, handset.status ~230 bytes',
    },
    results,
  });
}

await main();
