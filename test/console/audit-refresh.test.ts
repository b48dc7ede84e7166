// The supervisor's audit list refresh (console/api.ts audit()) against the real HTTP edge: the audit log is kept
// for ever, so one refresh must write one `audit.read` entry, and the list must still be the newest entries.
// fetch is the edge itself (Fastify inject) with the supervisor's cookie, as the browser would send it.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { api } from '../../console/api.js';
import { startEdge, type Edge } from '../gateway/http/harness.js';

let edge: Edge;
let urls: string[];

beforeEach(async () => {
  edge = await startEdge();
  const cookie = await edge.login('super');
  urls = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    urls.push(url);
    const r = await edge.server.app.inject({ method: (init.method ?? 'GET') as 'GET', url, headers: { cookie } });
    return new Response(r.body, { status: r.statusCode, headers: { 'content-type': String(r.headers['content-type'] ?? '') } });
  });
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await edge.close();
});

const auditReads = async () => (await edge.store.readAudit(0, 10_000)).filter((e) => e.action === 'audit.read').length;

it('one refresh of the audit list writes one audit.read entry, and lists the newest entries oldest first', async () => {
  for (let i = 1; i <= 150; i++) await edge.store.appendAudit({ actor: 'handler', action: 'incident.read', subject: `incident:inc-${i}` });
  for (let refresh = 1; refresh <= 3; refresh++) {
    const before = await auditReads();
    const shown = await api.audit(100);
    expect(await auditReads() - before, `refresh ${refresh}: audit.read entries written`).toBe(1);
    expect(shown.chainOk).toBe(true);
    expect(shown.entries).toHaveLength(100);
    const all = await edge.store.readAudit(0, 10_000);
    // The newest entry shown is this refresh's own read (nothing else wrote since); the list is in seq order.
    const last = shown.entries[shown.entries.length - 1];
    expect(last).toMatchObject({ seq: all.length, actor: 'super', action: 'audit.read' });
    expect(shown.entries.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => all.length - 99 + i));
  }
  expect(urls.every((u) => u.startsWith('/api/audit?'))).toBe(true);
  expect(urls).toHaveLength(3);
});

it('a short log is listed whole', async () => {
  await edge.store.appendAudit({ actor: 'handler', action: 'incident.read', subject: 'incident:inc-1' });
  const shown = await api.audit(100);
  const all = await edge.store.readAudit(0, 10_000);
  expect(shown.entries.map((e) => e.seq)).toEqual(all.map((e) => e.seq));
  expect(shown.entries.map((e) => e.action)).toEqual(['login', 'incident.read', 'audit.read']);
  expect(urls).toHaveLength(1);
});
