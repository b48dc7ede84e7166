// The incident list after a year of operation: `GET /api/incidents?state=closed` (and `state=all`) on a gateway
// holding BENCH_LIST_CLOSED (default 10,000) closed incidents and BENCH_LIST_OPEN (default 20) open ones.
//
// The log is written straight to an SQLite file before the gateway opens it (test/support/in-process-gateway
// seedRegistrations, seedIncidents): 300 registered handsets, and per closed incident its incident.opened,
// 3 fixes, incident.acknowledged and incident.closed, one incident opened every 50 minutes. Then the whole gateway in this process
// (gateway/core/gateway-app.ts: store, projections, the real HTTP edge on 127.0.0.1), a supervisor logged in,
// and each request made BENCH_LIST_ROUNDS times (default 5) over real HTTP (fetch): the answer's size in bytes,
// how many incidents it holds, whether it names a `next` page, and the wall time from request to the last byte
// (p50, min-max; the machine is shared, so read the wall time with the load average printed beside it); a
// query the gateway refuses (400: a gateway without paging) is printed as refused.
// Then the closed list read page after page (`limit=1000` following `next`): pages, and the time of the walk.
// Writes bench/results/incident-list.json.
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fleet } from '../test/support/fleet.js';
import { login } from '../test/support/gateway-process.js';
import { seedIncidents, seedRegistrations, startInProcessGateway } from '../test/support/in-process-gateway.js';
import { envNumber, loadNow, machine, now, summarise, writeResult } from './support/common.js';

const CLOSED = envNumber('BENCH_LIST_CLOSED', 10_000);
const OPEN = envNumber('BENCH_LIST_OPEN', 20);
const ROUNDS = envNumber('BENCH_LIST_ROUNDS', 5);
const HANDSETS = 300;

const T0 = Date.UTC(2025, 10, 25, 6);
const iso = (ms: number) => new Date(ms).toISOString();

/** `CLOSED` closed incidents, one opened every 50 minutes (a year: about 10,500), then `OPEN` open ones. */
async function seed(db: string): Promise<void> {
  const handsets = fleet(HANDSETS);
  await seedRegistrations(db, handsets, iso(T0 - 86_400_000));
  await seedIncidents(db, handsets, { closed: CLOSED, open: OPEN, openedAt: (i) => T0 + i * 3_000_000 });
}

type Read = { bytes: number; incidents: number; next: unknown; ms: number };

async function read(url: string, cookie: string): Promise<Read> {
  const t = now();
  const r = await fetch(url, { headers: { cookie } });
  const text = await r.text();
  const ms = now() - t;
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${text.slice(0, 200)}`);
  const body = JSON.parse(text) as { incidents: unknown[]; next?: unknown };
  return { bytes: Buffer.byteLength(text), incidents: body.incidents.length, next: body.next, ms };
}

async function measure(url: string, cookie: string) {
  const probe = await fetch(url, { headers: { cookie } });
  if (probe.status === 400) return { status: 400, answer: await probe.text() };
  await probe.arrayBuffer();
  const reads: Read[] = [];
  for (let r = 0; r < ROUNDS; r++) reads.push(await read(url, cookie));
  const last = reads[reads.length - 1]!;
  return { bytes: last.bytes, incidents: last.incidents, next: last.next ?? null, wallMs: summarise(reads.map((x) => x.ms)) };
}

async function main(): Promise<void> {
  const conditions = machine();
  console.log(`incident-list: ${CLOSED} closed + ${OPEN} open incidents, ${ROUNDS} reads each over HTTP; load average at start ${(conditions.loadAverageAtStart as number[]).join(' ')} on ${String(conditions.cpus)} cpus`);
  const dir = mkdtempSync(path.join(import.meta.dirname, 'results', '.incident-list-'));
  try {
    const db = path.join(dir, 'tecsos.db');
    await seed(db);
    const gw = await startInProcessGateway({ db });
    try {
      const cookie = await login(gw.url, 'supervisor');
      const results: Record<string, unknown> = {};
      for (const q of ['', '?state=open', '?state=closed', '?state=all', '?state=closed&limit=100', '?state=closed&limit=1000']) {
        const m = await measure(`${gw.url}/api/incidents${q}`, cookie);
        results[q === '' ? '(none)' : q] = m;
        if ('answer' in m) {
          console.log(`GET /api/incidents${q}: 400 ${m.answer}`);
          continue;
        }
        console.log(`GET /api/incidents${q}: ${m.incidents} incidents, ${m.bytes} bytes (${(m.bytes / 1048576).toFixed(1)} MB), next ${JSON.stringify(m.next)}; wall p50 ${m.wallMs.p50} ms (${m.wallMs.min}-${m.wallMs.max})`);
      }
      // The whole closed list, page after page, as a client following `next` would read it.
      const seen = new Set<string>();
      let pages = 0;
      let bytes = 0;
      const t = now();
      for (let before: string | null = null, guard = 0; guard < 1000; guard++) {
        const r = await fetch(`${gw.url}/api/incidents?state=closed&limit=1000${before === null ? '' : `&before=${encodeURIComponent(before)}`}`, { headers: { cookie } });
        const text = await r.text();
        if (r.status !== 200) {
          console.log(`paging: ${r.status} ${text.slice(0, 200)} (no paging on this gateway)`);
          break;
        }
        const body = JSON.parse(text) as { incidents: { id: string }[]; next?: string | null };
        pages++;
        bytes += Buffer.byteLength(text);
        for (const i of body.incidents) seen.add(i.id);
        if (typeof body.next !== 'string') break;
        before = body.next;
      }
      const walkMs = Math.round(now() - t);
      results['walk limit=1000'] = { pages, incidents: seen.size, bytes, wallMs: walkMs };
      console.log(`closed list page after page (limit=1000): ${pages} pages, ${seen.size} distinct incidents, ${bytes} bytes, ${walkMs} ms; load average now ${loadNow().join(' ')}`);
      writeResult('incident-list', { conditions: { ...conditions, closed: CLOSED, open: OPEN, rounds: ROUNDS }, result: results });
    } finally {
      await gw.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
