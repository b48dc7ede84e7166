// The incident list in pages (docs/api.md, GET /api/incidents), against the whole gateway in this process (real
// core, SQLite file store, fastify): 1,000 closed incidents and 3 open ones, written to the log before it
// starts (test/support/in-process-gateway seedIncidents). Two incidents open in each 10 minutes, at the same
// millisecond, and every 50th one was stamped an hour and a half early (a clock put right), so that time order
// and log order differ: the list is newest first by the time an incident opened, equal times in log order.
// Every open incident still comes in one answer; the closed list comes `limit` at a time, each page naming the
// next; a bad `limit` or `before` is a 400 that reads and audits nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleet } from '../../support/fleet.js';
import { login } from '../../support/gateway-process.js';
import { seedIncidents, seedRegistrations, startInProcessGateway, type InProcessGateway } from '../../support/in-process-gateway.js';
import { tmpDirFor } from '../../support/tmp.js';

const CLOSED = 1000;
const OPEN = 3;
const T0 = Date.UTC(2025, 10, 25, 6);
const openedAt = (i: number) => T0 + Math.floor(i / 2) * 600_000 - (i % 50 === 49 ? 5_400_000 : 0);
const idOf = (i: number) => `INC-${String(i + 1).padStart(6, '0')}`;
/** The ids of incidents `from`..`to` - 1, newest first (equal times: the first in the log first). */
const newestFirst = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => from + k).sort((a, b) => openedAt(b) - openedAt(a) || a - b).map(idOf);

const tmp = tmpDirFor('incident-pages');
let gw: InProcessGateway;
let cookie: string;

beforeAll(async () => {
  const db = `${tmp.dir}/tecsos.db`;
  const handsets = fleet(50);
  await seedRegistrations(db, handsets, new Date(T0 - 86_400_000).toISOString());
  await seedIncidents(db, handsets, { closed: CLOSED, open: OPEN, openedAt });
  gw = await startInProcessGateway({ db });
  cookie = await login(gw.url, 'supervisor');
});
afterAll(async () => {
  await gw?.close();
  tmp.remove();
});

async function get(query: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(`${gw.url}/api/incidents${query}`, { headers: { cookie } });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

const ids = (body: Record<string, unknown>) => (body['incidents'] as { id: string }[]).map((i) => i.id);

/** Every page from `query`, following `next`. */
async function walk(query: string): Promise<{ pages: string[][]; nexts: unknown[] }> {
  const pages: string[][] = [];
  const nexts: unknown[] = [];
  let before: unknown = undefined;
  do {
    const r = await get(`${query}${before === undefined ? '' : `&before=${String(before)}`}`);
    expect(r.status).toBe(200);
    pages.push(ids(r.body));
    before = r.body['next'];
    nexts.push(before);
  } while (before !== undefined && pages.length <= 20);
  return { pages, nexts };
}

async function auditEntries() {
  return (await gw.app.store.readAudit(0, 100_000)).filter((e) => e.action === 'incident.read');
}

describe('GET /api/incidents in pages', () => {
  it('without parameters and with ?state=open: every open incident in one answer, {incidents} only, as before', async () => {
    for (const q of ['', '?state=open']) {
      const r = await get(q);
      expect(r.status).toBe(200);
      expect(Object.keys(r.body)).toEqual(['incidents']);
      expect(ids(r.body)).toEqual(newestFirst(CLOSED, CLOSED + OPEN));
    }
  });

  it('1,000 closed incidents come in pages of `limit` that together hold each exactly once, newest first; each page audited', async () => {
    const before = (await auditEntries()).length;
    const { pages, nexts } = await walk('?state=closed&limit=300');
    expect(pages.map((p) => p.length)).toEqual([300, 300, 300, 100]);
    expect(pages.flat()).toEqual(newestFirst(0, CLOSED));
    // `next` names the last incident of its page; the last page has none.
    expect(nexts).toEqual([...pages.slice(0, 3).map((p) => p.at(-1)), undefined]);
    const audited = (await auditEntries()).slice(before);
    expect(audited.map((e) => [e.actor, e.subject])).toEqual(pages.map(() => ['supervisor', 'incidents:closed']));
    expect(audited.map((e) => e.detail)).toEqual([
      'role=supervisor; list; 300 incidents',
      `role=supervisor; list; 300 incidents; before=${String(nexts[0])}`,
      `role=supervisor; list; 300 incidents; before=${String(nexts[1])}`,
      `role=supervisor; list; 100 incidents; before=${String(nexts[2])}`,
    ]);
  });

  it('state=all in pages holds the open and the closed ones, each once, newest first', async () => {
    const { pages } = await walk('?state=all&limit=1000');
    expect(pages.map((p) => p.length)).toEqual([1000, 3]);
    expect(pages.flat()).toEqual(newestFirst(0, CLOSED + OPEN));
  });

  it('?state=closed and ?state=all without a limit: the newest 1000, and the cursor of the rest when more remain', async () => {
    // The 1,000 closed incidents fit the default page: the whole list, no cursor, as before paging.
    const closed = await get('?state=closed');
    expect(ids(closed.body)).toEqual(newestFirst(0, CLOSED));
    expect(closed.body).not.toHaveProperty('next');
    const all = await get('?state=all');
    expect(ids(all.body)).toEqual(newestFirst(0, CLOSED + OPEN).slice(0, 1000));
    expect(all.body['next']).toBe(newestFirst(0, CLOSED + OPEN)[999]);
    // The closed list from an open incident of `all` on: the closed ones opened before it.
    const open = newestFirst(CLOSED, CLOSED + OPEN)[0] as string;
    const after = newestFirst(0, CLOSED + OPEN);
    const rest = after.slice(after.indexOf(open) + 1).filter((id) => Number(id.slice(4)) <= CLOSED);
    expect(ids((await get(`?state=closed&limit=5&before=${open}`)).body)).toEqual(rest.slice(0, 5));
  });

  it('a bad limit or before is a 400 bad-request naming it; nothing is read or audited', async () => {
    const before = (await auditEntries()).length;
    for (const [q, field] of [
      ['?state=closed&limit=0', 'limit'], ['?state=closed&limit=1001', 'limit'], ['?state=closed&limit=-1', 'limit'],
      ['?state=closed&limit=1.5', 'limit'], ['?state=closed&limit=ten', 'limit'], ['?state=closed&limit=', 'limit'],
      ['?limit=5&limit=6', 'limit'], ['?state=closed&before=INC-999999', 'before'], ['?state=closed&before=a%20b', 'before'],
    ] as const) {
      const r = await get(q);
      expect(r.status, q).toBe(400);
      expect(r.body, q).toMatchObject({ error: 'bad-request', fields: [field] });
      expect(String(r.body['message']), q).toMatch(new RegExp(`^${field}: `));
      expect(r.body['incidents'], q).toBeUndefined();
    }
    expect(await auditEntries()).toHaveLength(before);
  });
});
