// Projections in memory, no store and no I/O: what the core's state costs (gateway/core/state.ts).
//
// 1. Memory held by the incidents' fixes: heap after a full GC once 1,000 open incidents have each received
//    F fixes (F = 60: 10 min at one fix per 10 s; F = 360: an hour), the events shaped as the core writes them.
//    An incident keeps only its newest RECENT_FIXES, so this should not grow with F.
// 2. A snapshot of a large state (gateway/core/snapshot.ts): 10,000 registered handsets with full replay
//    windows, 1,000 open incidents, 1,000 calls: JSON size, CPU time of snapshotState and of restoreState
//    (5 runs), against the CPU time of applying the 2.1 million events that built the state.
// 3. Closed incidents, which stay in memory and in every snapshot for good (docs/gateway.md): heap after a full GC
//    and snapshot size of 10,000 of them (an alarm, 20 fixes, acknowledged, closed), while retention still keeps
//    their fixes (retentionDays, a year by default) and once it has forgotten them.
// CPU time (process.cpuUsage), not wall time: the machine is shared. Run with --expose-gc (bench/run.ts does).
import { snapshotState, restoreState } from '../gateway/core/snapshot.js';
import { CoreState, type CoreConfig } from '../gateway/core/state.js';
import { RECENT_FIXES } from '../gateway/incidents/incidents.js';
import { ManualClock } from '../protocol/time/clock.js';
import { fleet } from '../test/support/fleet.js';
import { loadNow, machine, mb, summarise, writeResult } from './support/common.js';

const T0 = Date.UTC(2026, 10, 23, 6);
const CONFIG: CoreConfig = { countryCode: '44', tecsosRanges: [], retentionDays: 365, heartbeatGraceMinutes: 60 };
const iso = (ms: number) => new Date(ms).toISOString();
const incidentId = (i: number) => `INC-${String(i + 1).padStart(6, '0')}`;

function gc(): void {
  const f = (globalThis as { gc?: () => void }).gc;
  if (f === undefined) throw new Error('run with --expose-gc (npm run bench -- projections)');
  f();
  f();
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A state fed by hand with events shaped as the core stores them. */
function feeder() {
  const state = new CoreState(CONFIG, new ManualClock(T0));
  let seq = 0;
  return {
    state,
    // A JSON round trip gives each event fresh strings, as a read from the store or the intake does.
    apply: (event: Record<string, unknown>) => state.apply({ seq: ++seq, storedAt: T0, redacted: false, event: JSON.parse(JSON.stringify(event)) }),
  };
}

function fixEvent(i: number, k: number, at: string) {
  return { type: 'fix', at, incidentId: incidentId(i), handsetId: `TS-${i}`, callId: null, lat: 53.79 + k * 1e-4, lon: -1.55 + i * 1e-4, accuracyM: 4.5, fixTime: at, receivedAt: at, source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1.2, courseDeg: 87, sats: 9, hdop: 0.9, reportCounter: k };
}

function fixMemory(fixesPerIncident: number) {
  gc();
  const base = process.memoryUsage().heapUsed;
  const f = feeder();
  for (let i = 0; i < 1000; i++) f.apply({ type: 'incident.opened', at: iso(T0), incidentId: incidentId(i), handsetId: `TS-${i}`, cause: 'alarm', priority: 'tecsos', force: 'West Yorkshire Police' });
  for (let k = 1; k <= fixesPerIncident; k++) for (let i = 0; i < 1000; i++) f.apply(fixEvent(i, k, iso(T0 + k * 10_000 + i)));
  gc();
  const held = process.memoryUsage().heapUsed - base;
  if (f.state.incidents.all().length !== 1000) throw new Error('incidents missing');
  return { incidents: 1000, fixesPerIncident, heapHeldMB: mb(held), bytesPerFixReceived: Math.round(held / (1000 * fixesPerIncident)) };
}

function snapshotCost() {
  const f = feeder();
  const handsets = fleet(10_000);
  for (const h of handsets) {
    f.apply({ type: 'handset.registered', at: iso(T0), handsetId: h.id, number: h.number, imei: h.imei, keyHex: Buffer.from(h.key).toString('hex'), force: 'West Yorkshire Police', victim: { name: `Victim ${h.id}`, safetyNotes: 'Abuser has keys to the flat; speak slowly.', riskMarkers: ['weapons'] }, testMode: false, by: 'system' });
  }
  const c0 = cpuMs();
  let events = 0;
  for (let k = 1; k <= 70; k++) {
    for (let i = 0; i < handsets.length; i++) {
      const h = handsets[i]!;
      const at = iso(T0 + k * 10_000 + i);
      const inc = i < 1000 ? incidentId(i) : null;
      if (k === 1 && inc !== null) f.apply({ type: 'incident.opened', at, incidentId: inc, handsetId: h.id, cause: 'alarm', priority: 'tecsos', force: 'West Yorkshire Police' });
      f.apply({ type: 'report.accepted', at, handsetId: h.id, counter: k, event: 'TRK', batteryPct: 80, csq: 20, incidentId: inc, receivedAt: at, fromNumber: h.number, mac: `m${String(k).padStart(10, '0')}` });
      f.apply({ ...fixEvent(i, k, at), incidentId: inc, handsetId: h.id });
      f.apply({ type: 'handset.status', at, handsetId: h.id, batteryPct: 80, csq: 20, lastReportAt: at, lastEvent: 'TRK', lastCounter: k });
      events += 3;
    }
  }
  for (let c = 0; c < 1000; c++) {
    f.apply({ type: 'call.ringing', at: iso(T0 + 800_000 + c), callId: `CALL-${String(c + 1).padStart(6, '0')}`, lineId: `L${c % 8}`, callerNumber: handsets[c]!.number, priority: 'tecsos', handsetId: handsets[c]!.id, incidentId: incidentId(c), force: 'West Yorkshire Police', reason: 'registered TecSOS handset' });
  }
  const applyCpuMs = cpuMs() - c0;
  const snap: number[] = [];
  const restore: number[] = [];
  let bytes = 0;
  for (let r = 0; r < 5; r++) {
    let c = cpuMs();
    const json = snapshotState(f.state);
    snap.push(cpuMs() - c);
    bytes = json.length;
    const fresh = new CoreState(CONFIG, new ManualClock(T0));
    c = cpuMs();
    const ok = restoreState(fresh, json);
    restore.push(cpuMs() - c);
    if (!ok || snapshotState(fresh) !== json) throw new Error('the snapshot did not restore to the same state');
  }
  return {
    handsets: handsets.length,
    openIncidents: f.state.incidents.all().length,
    calls: 1000,
    eventsApplied: f.state.lastSeq,
    applyCpuMs: Math.round(applyCpuMs),
    applyEventsPerCpuSecond: Math.round(events / (applyCpuMs / 1000)),
    snapshotMB: mb(bytes),
    snapshotStateCpuMs: summarise(snap),
    restoreStateCpuMs: summarise(restore),
  };
}

function closedCost(n: number) {
  gc();
  const base = process.memoryUsage().heapUsed;
  const f = feeder();
  for (let i = 0; i < n; i++) {
    const t = T0 + i * 600_000;
    const h = `TS-${i % 300}`;
    f.apply({ type: 'incident.opened', at: iso(t), incidentId: incidentId(i), handsetId: h, cause: 'alarm', priority: 'tecsos', force: 'West Yorkshire Police' });
    for (let k = 1; k <= 20; k++) f.apply({ ...fixEvent(i, k, iso(t + k * 30_000)), handsetId: h });
    f.apply({ type: 'incident.acknowledged', at: iso(t + 60_000), incidentId: incidentId(i), by: 'handler', note: 'units' });
    f.apply({ type: 'incident.closed', at: iso(t + 700_000), incidentId: incidentId(i), by: 'handler', outcome: 'false-alarm' });
  }
  gc();
  const held = process.memoryUsage().heapUsed - base;
  let c = cpuMs();
  const snapshotBytes = snapshotState(f.state).length;
  const snapshotCpuMs = cpuMs() - c;
  f.state.incidents.forgetFixesBefore(T0 + n * 600_000 + 3_600_000);
  gc();
  const heldAfter = process.memoryUsage().heapUsed - base;
  c = cpuMs();
  const snapshotBytesAfter = snapshotState(f.state).length;
  const snapshotCpuMsAfter = cpuMs() - c;
  return {
    closedIncidents: n,
    fixesEach: 20,
    withFixes: { heapHeldMB: mb(held), heapBytesEach: Math.round(held / n), snapshotMB: mb(snapshotBytes), snapshotBytesEach: Math.round(snapshotBytes / n), snapshotStateCpuMs: Math.round(snapshotCpuMs) },
    afterRetention: { heapHeldMB: mb(heldAfter), heapBytesEach: Math.round(heldAfter / n), snapshotMB: mb(snapshotBytesAfter), snapshotBytesEach: Math.round(snapshotBytesAfter / n), snapshotStateCpuMs: Math.round(snapshotCpuMsAfter) },
  };
}

const conditions = machine();
console.log(`projections: in-memory state only (CPU time); load average at start ${(conditions.loadAverageAtStart as number[]).join(' ')} on ${String(conditions.cpus)} cpus`);
const memory = [60, 360].map(fixMemory);
for (const m of memory) console.log(`fixes held: ${m.incidents} incidents x ${m.fixesPerIncident} fixes -> heap held ${m.heapHeldMB} MB (${m.bytesPerFixReceived} B per fix received; RECENT_FIXES = ${RECENT_FIXES})`);
const snapshot = snapshotCost();
console.log(`snapshot of ${snapshot.handsets} handsets, ${snapshot.openIncidents} incidents, ${snapshot.calls} calls (${snapshot.eventsApplied} events, applied in ${snapshot.applyCpuMs} ms CPU): ${snapshot.snapshotMB} MB; snapshotState p50 ${snapshot.snapshotStateCpuMs.p50} ms (${snapshot.snapshotStateCpuMs.min}-${snapshot.snapshotStateCpuMs.max}), restoreState p50 ${snapshot.restoreStateCpuMs.p50} ms (${snapshot.restoreStateCpuMs.min}-${snapshot.restoreStateCpuMs.max}) CPU; load average now ${loadNow().join(' ')}`);
const closed = closedCost(10_000);
console.log(`closed incidents: ${closed.closedIncidents} (${closed.fixesEach} fixes each) -> while retention keeps their fixes ${JSON.stringify(closed.withFixes)}; once it has forgotten them ${JSON.stringify(closed.afterRetention)}`);
writeResult('projections', { conditions: { ...conditions, recentFixes: RECENT_FIXES }, result: { memory, snapshot, closed } });
