// GET /api/audit?newest=1: the newest `limit` entries in one request (one audited read), oldest first, beside the
// unchanged `after`/`limit` paging (a contract other programs use).
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../../gateway/store/event-store.js';
import { startEdge, type Edge } from './harness.js';

let edge: Edge;
let cookie: string;
beforeEach(async () => {
  edge = await startEdge();
  cookie = await edge.login('super');
  for (let i = 1; i <= 20; i++) await edge.store.appendAudit({ actor: 'handler', action: 'incident.read', subject: `incident:inc-${i}` });
});
afterEach(async () => {
  await edge.close();
});

type Entry = { seq: number; actor: string; action: string; subject: string; detail: string; hash: string };
const get = (url: string) => edge.server.app.inject({ method: 'GET', url, headers: { cookie } });
const all = () => edge.store.readAudit(0, 10_000);

describe('GET /api/audit?newest=1', () => {
  it('answers the newest `limit` entries oldest first, ending with its own audit.read: one entry per request', async () => {
    const before = (await all()).length; // 21: the login, then 20 reads
    const r = await get('/api/audit?newest=1&limit=5');
    expect(r.statusCode).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    const { entries, verification } = r.json() as { entries: Entry[]; verification: unknown };
    const after = await all();
    expect(after.length - before).toBe(1);
    expect(entries.map((e) => e.seq)).toEqual([18, 19, 20, 21, 22]);
    expect(entries[4]).toMatchObject({ actor: 'super', action: 'audit.read', subject: 'audit:newest', detail: 'role=supervisor; after=0; limit=5' });
    expect(entries[4]?.hash).toBe(after[21]?.hash);
    // verification covers the whole chain, as for a page by `after`.
    expect(verification).toEqual({ ok: true, entries: 22, head: { seq: 22, hash: after[21]?.hash } });
  });

  it('a limit larger than the log lists it whole; the default limit is 100; `after` still bounds it from below', async () => {
    const whole = (await get('/api/audit?newest=1')).json() as { entries: Entry[] };
    expect(whole.entries.map((e) => e.seq)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    const bounded = (await get('/api/audit?newest=1&after=20&limit=100')).json() as { entries: Entry[] };
    expect(bounded.entries.map((e) => e.seq)).toEqual([21, 22, 23]);
    expect(bounded.entries[2]).toMatchObject({ subject: 'audit:newest', detail: 'role=supervisor; after=20; limit=100' });
    const past = (await get('/api/audit?newest=1&after=999&limit=3')).json() as { entries: Entry[] };
    expect(past.entries).toEqual([]);
  });

  it('rejects any other value with the 400 bad-request shape naming `newest`, and audits nothing for it', async () => {
    const before = (await all()).length;
    const bad: [string, string][] = [
      ['newest=0', 'newest'], ['newest=true', 'newest'], ['newest=', 'newest'], ['newest=1&newest=1', 'newest'], ['newest=01', 'newest'],
      ['newest=1&limit=0', 'limit'], ['newest=1&limit=1001', 'limit'], ['newest=1&after=-1', 'after'],
    ];
    for (const [q, field] of bad) {
      const r = await get(`/api/audit?${q}`);
      expect(r.statusCode, q).toBe(400);
      const body = r.json() as { error: string; message: string; fields: string[] };
      expect(body.error).toBe('bad-request');
      expect(body.fields, q).toEqual([field]);
      expect(body.message.startsWith(`${field}: `), body.message).toBe(true);
    }
    expect((await all()).length).toBe(before);
  });

  it('never answers 500 to any `newest` text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (a) => {
        const r = await get(`/api/audit?newest=${encodeURIComponent(a)}&limit=3`);
        expect(r.statusCode, r.body).toBe(a === '1' ? 200 : 400);
      }),
      { numRuns: 50 },
    );
  });

  it('entries written after its own (another read landing meanwhile) are left for the next refresh', async () => {
    await edge.close();
    // The store appends a second entry right after the read's own, before the page is read.
    const meddle = (s: EventStore): EventStore =>
      new Proxy(s, {
        get(target, prop, receiver) {
          if (prop !== 'appendAudit') return Reflect.get(target, prop, receiver) as unknown;
          return async (e: Parameters<EventStore['appendAudit']>[0]) => {
            const own = await target.appendAudit(e);
            if (e.action === 'audit.read') await target.appendAudit({ actor: 'handler', action: 'incident.read', subject: 'incident:later' });
            return own;
          };
        },
      });
    edge = await startEdge({ wrapStore: meddle });
    cookie = await edge.login('super');
    const { entries } = (await get('/api/audit?newest=1&limit=3')).json() as { entries: Entry[] };
    expect(entries.map((e) => `${e.seq} ${e.action}`)).toEqual(['1 login', '2 audit.read']);
    const next = (await get('/api/audit?newest=1&limit=3')).json() as { entries: Entry[] };
    expect(next.entries.map((e) => `${e.seq} ${e.action} ${e.subject}`)).toEqual(['2 audit.read audit:newest', '3 incident.read incident:later', '4 audit.read audit:newest']);
  });
});

describe('GET /api/audit without newest (the contract, unchanged)', () => {
  it('pages from `after`, oldest first, one audit.read entry with subject audit:after=N', async () => {
    const r = await get('/api/audit?after=0&limit=3');
    expect(r.statusCode).toBe(200);
    const { entries, verification } = r.json() as { entries: Entry[]; verification: { ok: boolean; entries: number } };
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verification).toMatchObject({ ok: true, entries: 22 });
    const last = (await all()).at(-1);
    expect(last).toMatchObject({ actor: 'super', action: 'audit.read', subject: 'audit:after=0', detail: 'role=supervisor; limit=3' });
    expect((await get('/api/audit?after=0&limit=3&other=1')).statusCode).toBe(400);
  });
});
