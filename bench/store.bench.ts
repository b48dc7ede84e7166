// Event store throughput, durable (WAL, synchronous=FULL: every commit fsynced), on the same file system as
// the repository (./data, where the gateway keeps its log; /tmp may be tmpfs, where fsync costs nothing).
//
//   single        one caller, one event per append, awaiting each: one transaction per event
//   batch-10      one caller, 10 events per append, awaiting each
//   concurrent-N  N callers appending one event each in a loop: group commit puts whatever is queued in one
//                 transaction; also the latency from append() to its promise resolving (p50/p99)
//   audit         concurrent audit entries (hash-chained) through the same group commit
//   audit-verify  verifyAuditChain over 100,000 entries: the first walk (every entry hashed) and the next one
//                 after 100 more entries (a supervisor's next GET /api/audit page: only those re-hashed)
//
// Writes bench/results/store.json.
import { mkdirSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openEventStore, type SqliteEventStore } from '../gateway/store/index.js';

const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, 'data', `bench-store-${process.pid}`);
mkdirSync(dir, { recursive: true });

const event = (i: number) => ({ type: 'report.fix', at: '2026-11-23T06:00:00.000Z', handset: 'H-0042', n: i, lat: 51.501234, lon: -0.141567, hdop: 0.9, fix: 'gps', battery: 87, csq: 17 });

let fresh = 0;
function freshStore(): SqliteEventStore {
  return openEventStore({ path: path.join(dir, `s${fresh++}.db`) });
}

type Figure = { eventsPerSec: number; events: number; seconds: number; transactions: number; eventsPerTransaction: number; p50Ms?: number; p99Ms?: number };

function figure(store: SqliteEventStore, events: number, ms: number, extra: Partial<Figure> = {}): Figure {
  const { transactions } = store.stats();
  return {
    eventsPerSec: Math.round((events / ms) * 1000),
    events,
    seconds: +(ms / 1000).toFixed(3),
    transactions,
    eventsPerTransaction: +(events / Math.max(1, transactions)).toFixed(1),
    ...extra,
  };
}

async function single(n: number): Promise<Figure> {
  const store = freshStore();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await store.append([event(i)]);
  const f = figure(store, n, performance.now() - t0);
  await store.close();
  return f;
}

async function batched(n: number, size: number): Promise<Figure> {
  const store = freshStore();
  const t0 = performance.now();
  for (let i = 0; i < n; i += size) await store.append(Array.from({ length: size }, (_, k) => event(i + k)));
  const f = figure(store, n, performance.now() - t0);
  await store.close();
  return f;
}

async function concurrent(n: number, callers: number): Promise<Figure> {
  const store = freshStore();
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < n) {
        const i = next++;
        const s = performance.now();
        await store.append([event(i)]);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const ms = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => +(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(3);
  const f = figure(store, n, ms, { p50Ms: pct(0.5), p99Ms: pct(0.99) });
  await store.close();
  return f;
}

async function audit(n: number, callers: number): Promise<Figure> {
  const store = freshStore();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (next < n) {
        const i = next++;
        await store.appendAudit({ actor: 'jsmith', action: 'track.read', subject: `incident:${i}`, detail: 'format geojson' });
      }
    }),
  );
  const f = figure(store, n, performance.now() - t0);
  await store.close();
  return f;
}

type VerifyFigure = { entries: number; firstWalkMs: number; nextPageMs: number; entriesHashed: number; ratio: number };

async function auditVerify(n: number): Promise<VerifyFigure> {
  const store = freshStore();
  let next = 0;
  await Promise.all(
    Array.from({ length: 256 }, async () => {
      while (next < n) {
        const i = next++;
        await store.appendAudit({ actor: 'jsmith', action: 'incident.read', subject: `incident:${i}`, detail: 'role=handler' });
      }
    }),
  );
  let t0 = performance.now();
  const first = await store.verifyAuditChain();
  const firstWalkMs = performance.now() - t0;
  for (let i = 0; i < 100; i++) await store.appendAudit({ actor: 'akhan', action: 'audit.read', subject: `audit:after=${i}` });
  const hashedBefore = store.stats().auditEntriesVerified;
  t0 = performance.now();
  const again = await store.verifyAuditChain();
  const nextPageMs = performance.now() - t0;
  if (!first.ok || !again.ok || again.entries !== n + 100) throw new Error('audit chain did not verify');
  const f = {
    entries: again.entries,
    firstWalkMs: +firstWalkMs.toFixed(1),
    nextPageMs: +nextPageMs.toFixed(2),
    entriesHashed: store.stats().auditEntriesVerified - hashedBefore,
    ratio: +(firstWalkMs / nextPageMs).toFixed(0),
  };
  await store.close();
  return f;
}

const fsType = (() => {
  const t = statfsSync(dir).type;
  return t === 0xef53 ? 'ext4' : t === 0x01021994 ? 'tmpfs' : t === 0x58465342 ? 'xfs' : t === 0x9123683e ? 'btrfs' : `0x${t.toString(16)}`;
})();
const sqliteVersion = (() => {
  const db = new Database(':memory:');
  const v = db.prepare('SELECT sqlite_version()').pluck().get() as string;
  db.close();
  return v;
})();

try {
  await single(200); // warm-up
  const load = os.loadavg()[0];
  const figures: Record<string, Figure> = {
    single: await single(3000),
    'batch-10': await batched(20_000, 10),
    'concurrent-16': await concurrent(20_000, 16),
    'concurrent-256': await concurrent(60_000, 256),
    'concurrent-2048': await concurrent(100_000, 2048),
    'audit-concurrent-256': await audit(20_000, 256),
  };
  const verify = await auditVerify(100_000);
  const conditions = {
    node: process.version,
    sqlite: sqliteVersion,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    loadAverage1mAtStart: +(load ?? 0).toFixed(2),
    fileSystem: fsType,
    journal: 'WAL',
    synchronous: 'FULL',
    event: `${JSON.stringify(event(0)).length} bytes of JSON`,
    method: 'one run each after a 200-append warm-up; fresh database file per figure',
  };
  console.log('event store, durable appends');
  console.log(JSON.stringify(conditions));
  for (const [name, f] of Object.entries(figures)) {
    const lat = f.p50Ms === undefined ? '' : `  latency p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms`;
    console.log(`${name.padEnd(22)} ${String(f.eventsPerSec).padStart(8)} events/s  ${String(f.eventsPerTransaction).padStart(7)} events/transaction${lat}`);
  }
  console.log(
    `audit-verify           ${verify.entries} entries: first walk ${verify.firstWalkMs} ms; next page's verification ${verify.nextPageMs} ms (${verify.entriesHashed} entries hashed), ${verify.ratio}x faster`,
  );
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(
    path.join(root, 'bench', 'results', 'store.json'),
    `${JSON.stringify({ bench: 'store', at: new Date().toISOString(), conditions, figures, auditVerify: verify }, null, 2)}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
