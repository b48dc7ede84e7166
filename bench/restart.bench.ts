// Restart: the gateway (gateway/main.ts, a real child process) holding BENCH_RESTART_MB of history
// (default 100 MB; the figure is 1 GB: BENCH_RESTART_MB=1024) is killed with SIGKILL while a console
// is connected, and started again. Measured from the restart's spawn: the HTTP edge listening (projections
// rebuilt from the whole log first), the console's WebSocket `hello` (with the session cookie it had before the
// kill: sessions are kept in the store), and its backlog since its last seq done (`live`). The console resumes
// 1,000 events behind the head (what it missed while down).
//
// History: 1,000 registered handsets and a realistic report mix written straight into the store file
// (sms.received x2, report.accepted, fix, handset.status per report, as the core writes them; about 1.5 KB of
// JSON per report), dated over the last 30 days up to the kill, as a running gateway's log is. (It once ended 30
// days before the kill: the start-up clock check (docs/operations.md "A clock that jumps") then read the wall clock
// as jumped 30 days ahead of the log, and the restart measured was a held one, purging by the trusted time.)
//
// Projection snapshots (gateway/core/snapshot.ts): the first start finds none and rebuilds from the whole log,
// then saves one; the bench waits for its "snapshot saved" log line before the SIGKILL (a running gateway
// has one), so the restart restores it and reads only the log after it. Printed for each start: what the
// core's start-up log line says (restored or rebuilt, events applied, ms).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { openEventStore, type NewEvent } from '../gateway/store/index.js';
import { deliverPdus, fleet, reportText } from '../test/support/fleet.js';
import { login, startGatewayProcess } from '../test/support/gateway-process.js';
import { seedRegistrations } from '../test/support/in-process-gateway.js';
import { connect } from '../test/gateway/http/ws-client.js';
import { envNumber, machine, mb, now, writeResult } from './support/common.js';

const TARGET_MB = envNumber('BENCH_RESTART_MB', 100);
const BEHIND = 1000;
/** How long to wait for the first start's snapshot before killing it anyway. */
const SNAPSHOT_WAIT_MS = 120_000;

/** The core's start-up line (pino JSON) in a gateway's output: restored from a snapshot or rebuilt. */
function startLine(output: string): Record<string, unknown> | null {
  for (const line of output.split('\n')) {
    if (!line.includes('"msg":"projections')) continue;
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      return { msg: j['msg'], fromSnapshot: j['fromSnapshot'] ?? null, applied: j['applied'] ?? null, ms: j['ms'] ?? null, lastSeq: j['lastSeq'] ?? null };
    } catch {
      // not JSON: ignore
    }
  }
  return null;
}

/** The gateway's log lines (pino JSON) as [ms since spawn, msg], to see where a start's time goes. */
function timeline(output: string, spawnedAt: number): [number, string][] {
  const out: [number, string][] = [];
  for (const line of output.split('\n')) {
    try {
      const j = JSON.parse(line) as Record<string, unknown>;
      if (typeof j['time'] === 'number' && typeof j['msg'] === 'string') out.push([Math.round(j['time'] - spawnedAt), j['msg'].slice(0, 80)]);
    } catch {
      // not a log line
    }
  }
  return out.slice(0, 20);
}

async function waitFor(output: () => string, text: string, ms: number): Promise<boolean> {
  for (const end = now() + ms; now() < end; await new Promise((r) => setTimeout(r, 50))) if (output().includes(text)) return true;
  return false;
}

function fileSize(db: string): number {
  let total = 0;
  for (const f of [db, `${db}-wal`]) {
    try {
      total += statSync(f).size;
    } catch {
      // no WAL
    }
  }
  return total;
}

async function writeHistory(db: string): Promise<{ reports: number; events: number }> {
  const handsets = fleet(1000);
  await seedRegistrations(db, handsets, new Date(Date.now() - 31 * 86_400_000).toISOString());
  const templates = handsets.map((h) => deliverPdus(reportText(h, 1, Date.now()), h.number, 1, Date.now()));
  const store = openEventStore({ path: db });
  let reports = 0;
  let events = 0;
  const counters = new Array<number>(handsets.length).fill(0);
  // Spread over the 30 days before now: about 1.85 KB on disk per report gives how many reports there will be.
  const spanMs = 30 * 86_400_000;
  const expected = Math.max(1, Math.ceil((TARGET_MB * 1048576) / 1850));
  const stepMs = Math.max(1, Math.floor(spanMs / expected));
  const t0 = Date.now() - spanMs;
  try {
    // ~1.6 KB of stored row per report; check the file size every 20 batches.
    for (let batch = 0; ; batch++) {
      const out: NewEvent[] = [];
      for (let k = 0; k < 400; k++) {
        const i = reports % handsets.length;
        const h = handsets[i]!;
        const n = ++counters[i]!;
        const at = new Date(Math.min(t0 + reports * stepMs, Date.now() - 1000)).toISOString();
        const [p1, p2] = templates[i] as string[];
        out.push(
          { type: 'sms.received', at, lineId: 'L1', pdu: p1, index: 1, receivedAt: at },
          { type: 'sms.received', at, lineId: 'L1', pdu: p2, index: 2, receivedAt: at },
          { type: 'report.accepted', at, handsetId: h.id, counter: n, event: 'TRK', batteryPct: 80, csq: 20, incidentId: null, receivedAt: at, fromNumber: h.number, mac: 'qMsP-c9HGHc' },
          { type: 'fix', at, incidentId: null, handsetId: h.id, callId: null, lat: h.lat, lon: h.lon, accuracyM: 4.5, fixTime: at, gpsStatus: 'valid', speedKnots: 1.2, courseDeg: 87, sats: 9, hdop: 0.9, receivedAt: at, source: 'gps', amlMethod: null, reportCounter: n },
          { type: 'handset.status', at, handsetId: h.id, batteryPct: 80, csq: 20, lastReportAt: at, lastEvent: 'TRK', lastCounter: n },
        );
        reports++;
      }
      await store.append(out);
      events += out.length;
      if (batch % 20 === 19 && fileSize(db) >= TARGET_MB * 1048576) break;
    }
  } finally {
    await store.close();
  }
  return { reports, events };
}

async function main(): Promise<void> {
  const conditions = machine();
  const version = TARGET_MB >= 1024 ? `long version (${TARGET_MB} MB)` : `short version (${TARGET_MB} MB; BENCH_RESTART_MB=1024 for the issue's 1 GB)`;
  console.log(`restart: gateway/main.ts child, SIGKILL with ${TARGET_MB} MB of history, console resumes ${BEHIND} events behind; ${version}; load average at start ${(conditions.loadAverageAtStart as number[]).join(' ')} on ${String(conditions.cpus)} cpus`);
  const dir = mkdtempSync(path.join(import.meta.dirname, 'results', '.restart-'));
  const db = path.join(dir, 'tecsos.db');
  try {
    const tw = now();
    const history = await writeHistory(db);
    const sizeMB = mb(fileSize(db));
    console.log(`history: ${history.reports} reports, ${history.events} events, ${sizeMB} MB on disk (${((now() - tw) / 1000).toFixed(1)} s to write)`);
    const args = ['--db', db, '--http', '127.0.0.1:0'];
    const r = (x: number) => +x.toFixed(0);

    const first = startGatewayProcess(args);
    const t1 = now();
    const url1 = await first.url;
    const firstStartMs = now() - t1;
    const cookie1 = await login(url1);
    const ws1 = connect(`${url1.replace('http', 'ws')}/ws?since=${history.events}`, { cookie: cookie1, origin: url1 });
    await ws1.until((m) => m['type'] === 'live');
    const head = Number(ws1.messages.find((m) => m['type'] === 'hello')?.['headSeq']);
    const snapshotSaved = await waitFor(() => first.output(), '"msg":"snapshot saved"', SNAPSHOT_WAIT_MS);
    const firstStart = startLine(first.output());
    console.log(`first start: ${r(firstStartMs)} ms to listening; ${JSON.stringify(firstStart)}; snapshot saved before the kill: ${snapshotSaved}`);
    await first.kill();
    const lastSeen = Math.max(0, head - BEHIND);

    const second = startGatewayProcess(args);
    const t0 = now();
    const url = await second.url;
    const listening = now() - t0;
    // The console retries with the cookie it has: its session was kept in the store.
    const ws = connect(`${url.replace('http', 'ws')}/ws?since=${lastSeen}`, { cookie: cookie1, origin: url });
    await ws.until((m) => m['type'] === 'hello');
    const hello = now() - t0;
    await ws.until((m) => m['type'] === 'live');
    const live = now() - t0;
    const backlog = ws.messages.filter((m) => typeof m['seq'] === 'number').length;
    ws.ws.close();
    const secondStart = startLine(second.output());
    const secondTimeline = timeline(second.output(), t0);
    console.log(`second start, log lines (ms since spawn): ${JSON.stringify(secondTimeline)}`);
    const code = await second.stop();
    const result = {
      history: { ...history, sizeMB },
      firstStartMs: r(firstStartMs),
      firstStart,
      snapshotSaved,
      secondStart,
      secondTimeline,
      afterSigkill: { listeningMs: r(listening), helloMs: r(hello), consoleResumedMs: r(live) },
      consoleBacklogEvents: backlog,
      resumedFromSeq: lastSeen,
      secondExit: code,
    };
    console.log(`second start: ${JSON.stringify(secondStart)}`);
    console.log(`restart after SIGKILL with ${sizeMB} MB: listening ${r(listening)} ms, hello (same session cookie) ${r(hello)} ms, console resumed (backlog of ${backlog} public events done) ${r(live)} ms`);
    writeResult('restart', { conditions: { ...conditions, version, targetMB: TARGET_MB, store: 'SQLite file, WAL, synchronous=FULL', behindEvents: BEHIND }, result });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
