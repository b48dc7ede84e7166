// Scale: 10,000 registered handsets, 1,000 of them tracking at once, one 2-part report each every 10 s
// (100 reports/s, 200 SMS parts/s), on the wall clock, for BENCH_SCALE_MINUTES (default 1; the issue's
// figure is 10). Reports are fed as IncomingSms through the line bank's listener (serial/AT layer excluded),
// through the whole core into the SQLite file store and to 2 WebSocket consoles (worker thread).
// Printed: RSS and heap (after a full GC) at start and end, and every 10 s; reports sent, stored
// (report.accepted in the log), rejected, and delivered to each console: no event may be lost.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { deliverPdus, fleet, reportText, type FleetHandset } from '../test/support/fleet.js';
import { login } from '../test/support/gateway-process.js';
import { seedRegistrations, startInProcessGateway } from '../test/support/in-process-gateway.js';
import { openConsoles } from './support/consoles.js';
import { envNumber, machine, mb, now, sleep, writeResult } from './support/common.js';

const REGISTERED = envNumber('BENCH_SCALE_HANDSETS', 10_000);
const TRACKING = envNumber('BENCH_SCALE_TRACKING', 1000);
const INTERVAL_S = 10;
const MINUTES = envNumber('BENCH_SCALE_MINUTES', 1);
const CONSOLES = 2;

function memory() {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external) };
}

async function main(): Promise<void> {
  const conditions = machine();
  const version = MINUTES >= 10 ? `long version (${MINUTES} min)` : `short version (${MINUTES} min; BENCH_SCALE_MINUTES=10 for the issue's 10 minutes)`;
  console.log(`scale: ${REGISTERED} registered, ${TRACKING} tracking, 1 report / ${INTERVAL_S} s each (${TRACKING / INTERVAL_S} reports/s), ${CONSOLES} consoles, ${version}; load average at start ${(conditions.loadAverageAtStart as number[]).join(' ')} on ${String(conditions.cpus)} cpus`);
  const dir = mkdtempSync(path.join(import.meta.dirname, 'results', '.scale-'));
  const db = path.join(dir, 'tecsos.db');
  const handsets = fleet(REGISTERED);
  await seedRegistrations(db, handsets);
  const gw = await startInProcessGateway({ db });
  try {
    let accepted = 0;
    let rejected = 0;
    gw.app.store.subscribe((events) => {
      for (const e of events) {
        if (e.event.type === 'report.accepted') accepted++;
        else if (e.event.type === 'report.rejected') rejected++;
      }
    });
    const expected = Math.ceil((MINUTES * 60) / INTERVAL_S) * TRACKING;
    const cookie = await login(gw.url, 'supervisor');
    const consoles = await openConsoles({ wsUrl: `${gw.url.replace('http', 'ws')}/ws?since=${await gw.app.store.lastSeq()}`, cookie, origin: gw.url, count: CONSOLES, capacity: expected * 4 + 10_000 });
    const start = memory();
    console.log(`start: ${JSON.stringify(start)}`);
    const samples: Record<string, unknown>[] = [{ t: 0, ...start }];
    const tracking = handsets.slice(0, TRACKING);
    const counters = new Array<number>(TRACKING).fill(0);
    let sent = 0;
    let released = 0;
    let refused = 0;
    const t0 = now();
    const end = t0 + MINUTES * 60_000;
    // Each handset reports at its own phase in the 10 s cycle.
    let tick = 0;
    const perTick = TRACKING / (INTERVAL_S * 10); // 100 ms ticks
    let nextSample = t0 + 10_000;
    while (now() < end) {
      const due = t0 + tick * 100;
      if (due > now()) await sleep(due - now());
      for (let k = Math.round(tick * perTick); k < Math.round((tick + 1) * perTick); k++) {
        const i = k % TRACKING;
        const h = tracking[i] as FleetHandset;
        const n = ++counters[i]!;
        const text = reportText(h, n, Date.now(), n === 1 ? 'ALM' : 'TRK');
        for (const pdu of deliverPdus(text, h.number, n, Date.now())) {
          gw.lines.sms(pdu, Date.now()).released.then(
            () => released++,
            () => refused++,
          );
        }
        sent++;
      }
      tick++;
      if (now() >= nextSample) {
        nextSample += 10_000;
        const m = memory();
        const s = { t: Math.round((now() - t0) / 1000), sent, accepted, backlogParts: sent * 2 - released, ...m };
        samples.push(s);
        console.log(`  ${JSON.stringify(s)}`);
      }
    }
    const fedSeconds = (now() - t0) / 1000;
    console.log(`fed ${sent} reports in ${fedSeconds.toFixed(1)} s; draining...`);
    while (released + refused < sent * 2) await sleep(50);
    await gw.app.core.idle();
    const drainSeconds = (now() - t0) / 1000 - fedSeconds;
    const lastSeq = await gw.app.store.lastSeq();
    let stats = await consoles.stats();
    for (let i = 0; i < 600 && !stats.seqs.every((s, c) => (s[(stats.counts[c] as number) - 1] ?? 0) >= lastSeq); i++) {
      await sleep(100);
      stats = await consoles.stats();
    }
    await consoles.stop();
    const finish = memory();
    const storedAccepted = (await gw.app.store.readSince(0, 1)).length >= 0 ? accepted : 0;
    // Delivered report.accepted per console: every public event of the log up to lastSeq reached it once.
    const deliveredOnce = stats.seqs.map((s, c) => {
      const n = stats.counts[c] as number;
      const set = new Set(Array.from(s.subarray(0, n)));
      return { events: n, distinct: set.size, inOrder: s.subarray(0, n).every((v, i, a) => i === 0 || v > (a[i - 1] as number)) };
    });
    const result = {
      sent,
      storedAccepted,
      rejected,
      lost: sent - storedAccepted,
      consoles: deliveredOnce,
      fedSeconds: +fedSeconds.toFixed(1),
      drainSeconds: +drainSeconds.toFixed(1),
      memoryStart: start,
      memoryEnd: finish,
      rssGrowthMB: +(finish.rssMB - start.rssMB).toFixed(1),
      heapGrowthMB: +(finish.heapUsedMB - start.heapUsedMB).toFixed(1),
      samples,
    };
    console.log(`sent ${sent}, stored ${storedAccepted}, rejected ${rejected}, lost ${sent - storedAccepted}; consoles ${JSON.stringify(deliveredOnce)}; drain after feeding ${drainSeconds.toFixed(1)} s`);
    console.log(`RSS ${start.rssMB} -> ${finish.rssMB} MB, heap used ${start.heapUsedMB} -> ${finish.heapUsedMB} MB (after full GC)`);
    writeResult('scale', {
      conditions: { ...conditions, version, registered: REGISTERED, tracking: TRACKING, intervalS: INTERVAL_S, reportsPerSecond: TRACKING / INTERVAL_S, consoles: CONSOLES, store: 'SQLite file, synchronous=FULL', path: 'IncomingSms -> core -> store -> fan-out (serial/AT layer excluded)' },
      result,
    });
  } finally {
    await gw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
