// Report ingest through the whole gateway path: SMS-DELIVER PDUs handed to the core as IncomingSms through
// the line bank's listener (exactly what gateway/lines does after AT+CMGR; the serial/AT layer is EXCLUDED),
// then PDU decode, UDH reassembly (2 parts per report), TSR1 decode, HMAC, replay window, NMEA, the durable
// store (SQLite file, WAL, synchronous=FULL) and the WebSocket fan-out to consoles in a worker thread.
//
//   full       1,000 registered handsets, 2-part TRK reports, as fast as the gateway takes them (at most
//              BENCH_INGEST_INFLIGHT parts waiting), for BENCH_INGEST_SECONDS: reports/s accepted and delivered
//              to every one of 10 consoles
//   store      the same with 0 consoles (core + store alone)
//   memory     the same, 10 consoles, store in memory (no fsync: the CPU cost of the path)
//   fanout     the fan-out alone: the public events of the same reports (report.accepted, fix, handset.status)
//              appended straight to the store (in memory), 10 consoles: events/s and reports/s equivalent
//   paced      1,000 reports/s for BENCH_INGEST_PACED_SECONDS, 50 consoles: report-to-console latency
//              (last part handed to the core -> report.accepted received), p50/p99/max
//
// Every run first feeds BENCH_INGEST_WARMUP reports (default 3,000) as fast as they are taken, waits until
// every console has them, and only then measures: the figures are the sustained rate, not V8 compiling the path.
// The latency is also printed in two halves: to the store's commit (the gateway's decision and fsync), and
// from there to the console (the fan-out, the sockets, the console's parsing).
//
// The consoles ask for `batch` messages (`batch=1`) as the real console does, so a commit of several events
// reaches each as one message; BENCH_INGEST_CONSOLE_BATCH=0: one message per event (as before 2026-11-23).
// Every figure counts events either way (bench/support/consoles.ts records each event of a batch).
//
// Target (issue 8): >= 20,000 reports/s sustained; p99 < 50 ms at 1,000 reports/s with 50 consoles.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fleet, deliverPdus, reportText, type FleetHandset } from '../test/support/fleet.js';
import { seedRegistrations, startInProcessGateway, type InProcessGateway } from '../test/support/in-process-gateway.js';
import { login } from '../test/support/gateway-process.js';
import { GATEWAY_EVENT_TYPES } from '../protocol/schemas/events.js';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.js';
import type { NewEvent } from '../gateway/store/index.js';
import { openConsoles, type ConsoleStats } from './support/consoles.js';
import { envNumber, loadNow, machine, mainThreadCpu, now, sleep, summarise, writeResult } from './support/common.js';

const HANDSETS = 1000;
const SECONDS = envNumber('BENCH_INGEST_SECONDS', 8);
const PACED_SECONDS = envNumber('BENCH_INGEST_PACED_SECONDS', 5);
const INFLIGHT = envNumber('BENCH_INGEST_INFLIGHT', 500);
/** Reports fed before each run's measurement, not counted (JIT warm-up: the first ~10,000 run slower). */
const WARMUP = process.env['BENCH_INGEST_WARMUP'] === '0' ? 0 : envNumber('BENCH_INGEST_WARMUP', 3000);
/** The fan-out-alone run appends at most this many events ahead of the slowest console (a live console
 * more than 1 MB behind is dropped as a slow consumer, and would then measure nothing). */
const FANOUT_AHEAD = envNumber('BENCH_INGEST_FANOUT_AHEAD', 3000);
/** Threads the simulated consoles are spread over (bench/support/consoles.ts). */
const CONSOLE_WORKERS = envNumber('BENCH_INGEST_CONSOLE_WORKERS', 1);
/** Whether the consoles ask for `batch` messages (`/ws?...&batch=1`), as console/connection.ts does. */
const CONSOLE_BATCH = process.env['BENCH_INGEST_CONSOLE_BATCH'] !== '0';
const START = Date.now();
const PUBLIC = new Set<string>(GATEWAY_EVENT_TYPES);

type Prepared = { pdus: string[][]; handset: number[]; counter: number[] };

/** `n` reports, round-robin over the fleet, counters from `firstCounter`. */
function prepare(handsets: FleetHandset[], n: number, firstCounter: number): Prepared {
  const out: Prepared = { pdus: [], handset: [], counter: [] };
  for (let i = 0; i < n; i++) {
    const hi = i % handsets.length;
    const h = handsets[hi] as FleetHandset;
    const counter = firstCounter + Math.floor(i / handsets.length);
    // Flat strings, as a modem line hands them over (read from a byte buffer); the encoder builds ropes.
    out.pdus.push(deliverPdus(reportText(h, counter, START + counter * 10_000), h.number, counter, START).map((pdu) => Buffer.from(pdu, 'latin1').toString('latin1')));
    out.handset.push(hi);
    out.counter.push(counter);
  }
  return out;
}

function tmpDb(): { db: string; done: () => void } {
  // The repository's file system (fsync is real), not /tmp (may be tmpfs).
  const dir = mkdtempSync(path.join(import.meta.dirname, 'results', '.ingest-'));
  return { db: path.join(dir, 'tecsos.db'), done: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Counts report.accepted as they are committed; remembers each one's seq, and with `keepPublic` every public
 * event (for the fan-out-alone run). Only then: holding every event of a run keeps ~100 MB alive that the
 * gateway itself would have let go, and each young-generation GC of the gateway thread then copies it.
 */
function watchAccepted(gw: InProcessGateway, keepPublic: boolean) {
  const seqOf = new Map<string, number>();
  /** When the store's listener was told of each committed seq (the moment the fan-out is handed the event). */
  const committedAt = new Map<number, number>();
  const publicEvents: Record<string, unknown>[] = [];
  let accepted = 0;
  let rejected = 0;
  // The watcher subscribes after the fan-out (the gateway is running), so `t` is taken once the broadcast
  // to every console has been written: a console thread can stamp an event a little before it.
  gw.app.store.subscribe((events) => {
    const t = now();
    for (const e of events) {
      if (keepPublic && PUBLIC.has(e.event.type) && publicEvents.length < 200_000) publicEvents.push(e.event);
      if (e.event.type === 'report.accepted') {
        accepted++;
        committedAt.set(e.seq, t);
        seqOf.set(`${String(e.event['handsetId'])}:${String(e.event['counter'])}`, e.seq);
      } else if (e.event.type === 'report.rejected') rejected++;
    }
  });
  return {
    seqOf,
    committedAt,
    publicEvents,
    get accepted() { return accepted; },
    get rejected() { return rejected; },
    /** Forgets the warm-up: counts and public events from here on. */
    reset() {
      accepted = rejected = 0;
      publicEvents.length = 0;
    },
  };
}

/** Feeds prepared reports; `rate` reports/s (0 = as fast as it takes them, bounded in-flight); stops at `seconds`. */
async function feed(gw: InProcessGateway, p: Prepared, rate: number, seconds: number) {
  const fedAt = new Float64Array(p.pdus.length);
  let inflight = 0;
  let fed = 0;
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const t0 = now();
  const end = t0 + seconds * 1000;
  for (let i = 0; i < p.pdus.length && now() < end; i++) {
    if (rate > 0) {
      const due = t0 + (i * 1000) / rate;
      const wait = due - now();
      if (wait > 1) await sleep(wait);
    } else {
      while (inflight >= INFLIGHT) await new Promise((r) => setImmediate(r));
      if (i % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    const parts = p.pdus[i] as string[];
    for (const pdu of parts) {
      inflight++;
      void gw.lines.sms(pdu, Date.now()).released.then(() => inflight--);
    }
    fedAt[i] = now();
    fed++;
  }
  const fedUntil = now();
  while (inflight > 0) await new Promise((r) => setTimeout(r, 5));
  const drainedAt = now();
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpu();
  const gatewayThreadCpuSeconds = main1.user + main1.system - main0.user - main0.system;
  return { fed, fedAt, t0, fedUntil, drainedAt, cpuSeconds: (cpu.user + cpu.system) / 1e6, gatewayThreadCpuSeconds };
}

async function consolesFor(gw: InProcessGateway, count: number, capacity: number) {
  if (count === 0) return undefined;
  const cookie = await login(gw.url, 'supervisor');
  const since = await gw.app.store.lastSeq();
  return openConsoles({ wsUrl: `${gw.url.replace('http', 'ws')}/ws?since=${since}`, cookie, origin: gw.url, count, capacity, workers: CONSOLE_WORKERS, batch: CONSOLE_BATCH });
}

async function waitDelivered(consoles: Awaited<ReturnType<typeof consolesFor>>, lastSeq: number, maxMs: number): Promise<ConsoleStats | undefined> {
  if (consoles === undefined) return undefined;
  const end = Date.now() + maxMs;
  for (;;) {
    const s = await consoles.stats();
    const done = s.seqs.every((seqs, c) => (s.counts[c] as number) > 0 && (seqs[(s.counts[c] as number) - 1] as number) >= lastSeq);
    if (done || Date.now() > end) return s;
    await sleep(50);
  }
}

async function ingestRun(name: string, handsets: FleetHandset[], warm: Prepared, p: Prepared, opts: { consoles: number; memory: boolean; rate: number; seconds: number; keepPublic?: boolean }) {
  const tmp = tmpDb();
  const db = opts.memory ? ':memory:' : tmp.db;
  if (!opts.memory) await seedRegistrations(db, handsets);
  const gw = await startInProcessGateway({ db, ...(opts.memory && { registry: undefined }) });
  try {
    if (opts.memory) await gw.app.core.importRegistrations(handsets.map((h) => ({ id: h.id, number: h.number, imei: h.imei, key: h.key, force: 'West Yorkshire Police', victim: { name: `Victim ${h.id}`, safetyNotes: '', riskMarkers: [] }, testMode: false, replace: false })));
    const watch = watchAccepted(gw, opts.keepPublic === true);
    const consoles = await consolesFor(gw, opts.consoles, (warm.pdus.length + p.pdus.length) * 4 + 1000);
    // Warm-up (not measured): the same path, fed as fast as it takes them, until every console has it all,
    // so that the figures are the sustained rate and not the JIT compiling the path.
    let warmEvents: number[] = [];
    let warmMessages: number[] = [];
    let warmConsoleCpu = 0;
    if (warm.pdus.length > 0) {
      await feed(gw, warm, 0, 600);
      await gw.app.core.idle();
      const warmStats = await waitDelivered(consoles, await gw.app.store.lastSeq(), 60_000);
      warmEvents = warmStats?.counts ?? [];
      warmMessages = warmStats?.messages ?? [];
      warmConsoleCpu = warmStats?.cpuSeconds ?? 0;
    }
    watch.reset();
    const stats0 = gw.app.store.stats();
    const f = await feed(gw, p, opts.rate, opts.seconds);
    await gw.app.core.idle();
    const lastSeq = await gw.app.store.lastSeq();
    const stats = await waitDelivered(consoles, lastSeq, 60_000);
    const deliveredAt = stats === undefined ? f.drainedAt : Math.max(...stats.times.map((t, c) => t[(stats.counts[c] as number) - 1] as number));
    const seconds = (f.drainedAt - f.t0) / 1000;
    const stats1 = gw.app.store.stats();
    const e2eSeconds = (deliveredAt - f.t0) / 1000;
    const result: Record<string, unknown> = {
      run: name,
      consoles: opts.consoles,
      ...(opts.consoles > 0 && { consoleBatch: CONSOLE_BATCH }),
      store: opts.memory ? 'SQLite :memory:' : 'SQLite file on the repository disk (WAL, synchronous=FULL)',
      offeredRate: opts.rate === 0 ? 'saturation' : `${opts.rate}/s`,
      reportsFed: f.fed,
      smsParts: f.fed * 2,
      accepted: watch.accepted,
      rejected: watch.rejected,
      seconds: +seconds.toFixed(2),
      reportsPerSecondStored: Math.round(watch.accepted / seconds),
      // CPU seconds of the whole process while feeding and draining (the consoles' worker thread included when
      // there are consoles): the figure that does not depend on what else the shared machine is running.
      cpuSeconds: +f.cpuSeconds.toFixed(2),
      reportsPerCpuSecond: Math.round(watch.accepted / f.cpuSeconds),
      // The gateway's own thread (core, store, fan-out; the consoles run in another thread): its share of the CPU.
      gatewayThreadCpuSeconds: +f.gatewayThreadCpuSeconds.toFixed(2),
      reportsPerGatewayThreadCpuSecond: Math.round(watch.accepted / f.gatewayThreadCpuSeconds),
      reportsPerSecondDelivered: Math.round(watch.accepted / e2eSeconds),
      // Store transactions (each one fsync on the file store, and one call of the fan-out).
      transactions: stats1.transactions - stats0.transactions,
      loadAverageAfter: loadNow(),
    };
    if (stats !== undefined) {
      // Report-to-console latency per report.accepted, every console.
      const idx = new Map<number, number>();
      for (let i = 0; i < f.fed; i++) {
        const seq = watch.seqOf.get(`${(handsets[p.handset[i] as number] as FleetHandset).id}:${p.counter[i] as number}`);
        if (seq !== undefined) idx.set(seq, i);
      }
      const lat: number[] = [];
      const toCommit: number[] = [];
      const commitToConsole: number[] = [];
      for (const [seq, i] of idx) {
        const c = watch.committedAt.get(seq);
        if (c !== undefined) toCommit.push(c - (f.fedAt[i] as number));
      }
      let events = 0;
      stats.seqs.forEach((seqs, c) => {
        const n = Math.min(stats.counts[c] as number, seqs.length);
        const first = warmEvents[c] ?? 0;
        events += n - first;
        for (let k = first; k < n; k++) {
          const i = idx.get(seqs[k] as number);
          if (i === undefined) continue;
          const at = (stats.times[c] as Float64Array)[k] as number;
          lat.push(at - (f.fedAt[i] as number));
          commitToConsole.push(at - (watch.committedAt.get(seqs[k] as number) as number));
        }
      });
      result.eventsPerConsole = Math.round(events / opts.consoles);
      // WebSocket messages that carried them (fewer than the events when the consoles ask for batches).
      result.messagesPerConsole = Math.round(stats.messages.reduce((a, m, c) => a + m - (warmMessages[c] ?? 0), 0) / opts.consoles);
      // The consoles' threads from the end of the warm-up until every console had every report (polling included).
      result.consoleThreadsCpuSeconds = +(stats.cpuSeconds - warmConsoleCpu).toFixed(2);
      result.reportToConsoleMs = summarise(lat);
      // The same latency in two halves: the gateway's decision and durable commit (last part handed to the
      // core -> the store's listener told), then the fan-out, the sockets and the console's own parsing.
      result.reportToCommitMs = summarise(toCommit);
      result.commitToConsoleMs = summarise(commitToConsole);
      result.everyConsoleGotEveryReport = lat.length === watch.accepted * opts.consoles;
      result.consoleCloses = stats.closes;
      await consoles?.stop();
    }
    return { result, publicEvents: watch.publicEvents };
  } finally {
    await gw.close();
    tmp.done();
  }
}

/** The fan-out alone: the public events the core would append for each report, straight into the store. */
async function fanoutRun(events: Record<string, unknown>[], reports: number, consolesN: number) {
  const gw = await startInProcessGateway({ db: ':memory:' });
  try {
    const consoles = await consolesFor(gw, consolesN, events.length + 100);
    const store = gw.app.store;
    const t0 = now();
    const main0 = mainThreadCpu();
    const seq0 = await store.lastSeq();
    for (let i = 0; i < events.length; i += 300) {
      // Flow control: never more than FANOUT_AHEAD events ahead of the slowest console.
      if (consoles !== undefined && i >= FANOUT_AHEAD) await consoles.reached(seq0 + i - FANOUT_AHEAD);
      await store.append(events.slice(i, i + 300) as NewEvent[]);
    }
    const lastSeq = await store.lastSeq();
    const stats = await waitDelivered(consoles, lastSeq, 60_000);
    const t1 = stats === undefined ? now() : Math.max(...stats.times.map((t, c) => t[(stats.counts[c] as number) - 1] as number));
    const main1 = mainThreadCpu();
    const gatewayThreadCpuSeconds = main1.user + main1.system - main0.user - main0.system;
    await consoles?.stop();
    const seconds = (t1 - t0) / 1000;
    return {
      run: 'fanout',
      consoles: consolesN,
      consoleBatch: CONSOLE_BATCH,
      store: `SQLite :memory: (the public events the memory run committed, appended directly, 300 per append, at most ${FANOUT_AHEAD} ahead of the slowest console)`,
      reports,
      eventsAppended: events.length,
      eventsPerConsole: stats === undefined ? 0 : Math.round(stats.counts.reduce((a, b) => a + b, 0) / consolesN),
      everyConsoleGotEveryEvent: stats !== undefined && stats.counts.every((n) => n === events.length),
      consoleCloses: stats?.closes ?? [],
      seconds: +seconds.toFixed(2),
      reportsPerSecondDelivered: Math.round(reports / seconds),
      eventsPerSecondDelivered: Math.round(events.length / seconds),
      // The gateway's own cost (store append, framing, socket writes); the consoles' parsing is another thread,
      // and with 10 consoles on the same two cores it is what sets the rate above.
      gatewayThreadCpuSeconds: +gatewayThreadCpuSeconds.toFixed(2),
      eventsToEveryConsolePerGatewayThreadCpuSecond: Math.round(events.length / gatewayThreadCpuSeconds),
    };
  } finally {
    await gw.close();
  }
}

async function main(): Promise<void> {
  const conditions = machine();
  console.log(`ingest: ${HANDSETS} handsets, 2-part TRK reports fed as IncomingSms through the line-bank listener (serial/AT layer excluded); saturation runs ${SECONDS} s, paced ${PACED_SECONDS} s, each after ${WARMUP} reports of warm-up (not measured); consoles ask for ${CONSOLE_BATCH ? 'batch messages (batch=1; BENCH_INGEST_CONSOLE_BATCH=0 for one message per event)' : 'one message per event (BENCH_INGEST_CONSOLE_BATCH=0)'}; load average at start ${(conditions.loadAverageAtStart as number[]).join(' ')} on ${String(conditions.cpus)} cpus; node flags: ${(conditions.nodeFlags as string[]).join(' ') || 'none'} (the gateway's: ${GATEWAY_NODE_FLAGS.join(' ')}, gateway/node-flags.ts)`);
  const handsets = fleet(HANDSETS);
  const t = now();
  const warm = prepare(handsets, WARMUP, 1);
  const firstCounter = 1 + Math.ceil(WARMUP / HANDSETS);
  const big = prepare(handsets, envNumber('BENCH_INGEST_REPORTS', 20_000), firstCounter);
  const paced = prepare(handsets, PACED_SECONDS * 1000, firstCounter);
  console.log(`prepared ${big.pdus.length} reports (${((now() - t) / 1000).toFixed(1)} s)`);
  const results: Record<string, unknown>[] = [];
  const show = (r: Record<string, unknown>) => {
    results.push(r);
    console.log(JSON.stringify(r));
  };
  // BENCH_INGEST_ONLY=paced-1000/s,store: only the runs named (the fanout run needs the memory run's events).
  const only = process.env['BENCH_INGEST_ONLY']?.split(',').map((s) => s.trim());
  const wanted = (run: string) => only === undefined || only.includes(run) || (run === 'memory' && only.includes('fanout'));
  if (wanted('full')) show((await ingestRun('full', handsets, warm, big, { consoles: 10, memory: false, rate: 0, seconds: SECONDS })).result);
  if (wanted('store')) show((await ingestRun('store', handsets, warm, big, { consoles: 0, memory: false, rate: 0, seconds: SECONDS })).result);
  if (wanted('memory')) {
    const memory = await ingestRun('memory', handsets, warm, big, { consoles: 10, memory: true, rate: 0, seconds: SECONDS, keepPublic: wanted('fanout') });
    show(memory.result);
    if (wanted('fanout')) show(await fanoutRun(memory.publicEvents, memory.result.accepted as number, 10));
  }
  if (wanted('memory-no-consoles')) show((await ingestRun('memory-no-consoles', handsets, warm, big, { consoles: 0, memory: true, rate: 0, seconds: SECONDS })).result);
  if (wanted('paced-1000/s')) show((await ingestRun('paced-1000/s', handsets, warm, paced, { consoles: 50, memory: false, rate: 1000, seconds: PACED_SECONDS })).result);
  if (wanted('paced-50/s')) show((await ingestRun('paced-50/s', handsets, warm, paced, { consoles: 50, memory: false, rate: 50, seconds: PACED_SECONDS })).result);
  if (only !== undefined) return; // a partial run does not overwrite the results file
  writeResult('ingest', {
    conditions: { ...conditions, handsets: HANDSETS, reportParts: 2, path: 'IncomingSms -> core (PDU, UDH, TSR1, HMAC, window, NMEA) -> store -> fan-out; serial/AT layer excluded', consolesIn: `${CONSOLE_WORKERS} worker thread(s), same machine`, consoleBatch: CONSOLE_BATCH, inflightParts: INFLIGHT, warmupReports: WARMUP },
    target: { reportsPerSecond: 20_000, p99MsAt1000PerSecond50Consoles: 50 },
    results,
  });
}

await main();
