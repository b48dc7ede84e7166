// Bad input at the gateway's HTTP and WebSocket edge, against the whole gateway in this process (real SQLite
// file store, real fastify + ws): fuzzed JSON and non-JSON bodies on every state-changing route, as the right
// role and as nobody; oversized bodies and frames; fuzzed WebSocket frames; every route without a session.
// Each gets a clear 4xx (or the WebSocket close code the API documents), the gateway keeps answering, and
// the store is unchanged: the event log's lastSeq is the same, and the audit chain still verifies with only
// the entries the design writes for refused access (login.failed) and for the sessions the test opened.
// The last two cases make the targets exist (an incident from a handset's ALM, a ringing call), so that a
// refusal is the edge's doing and not a 404 for a missing id: a signed-in user of a role that may not call a
// route, and bodies of the wrong shape on an incident and a call that would otherwise change.
import path from 'node:path';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverPdus, fleet, registrationOf, reportText } from '../support/fleet.js';
import { login } from '../support/gateway-process.js';
import { startInProcessGateway, type InProcessGateway } from '../support/in-process-gateway.js';
import { tmpDirFor } from '../support/tmp.js';
import { connect } from '../gateway/http/ws-client.js';

let gw: InProcessGateway;
const tmp = tmpDirFor('bad-input');
let url: string;
const cookies: Record<string, string> = {};
/** A role that may not call a route allowed to `role` (docs/api.md: operational, engineer, supervisor routes). */
const WRONG_ROLE: Record<string, string> = { handler: 'engineer', engineer: 'handler', supervisor: 'handler' };

/** Routes that change state, with the role allowed to call them (ids of the right form; the incident and the call exist only from the last case on). */
const WRITE_ROUTES: { path: string; role: string }[] = [
  { path: '/api/incidents/INC-000001/acknowledge', role: 'handler' },
  { path: '/api/incidents/INC-000001/close', role: 'handler' },
  { path: '/api/incidents/INC-000001/stop-tracking', role: 'handler' },
  { path: '/api/incidents/INC-000001/locate', role: 'handler' },
  { path: '/api/calls/CALL-000001/answer', role: 'handler' },
  { path: '/api/calls/CALL-000001/hangup', role: 'handler' },
  { path: '/api/handsets', role: 'engineer' },
  { path: '/api/handsets/TS-00001/command', role: 'engineer' },
  { path: '/api/users', role: 'supervisor' },
  { path: '/api/users/handler/disable', role: 'supervisor' },
  { path: '/api/login', role: 'nobody' },
];

const READ_ROUTES = ['/api/me', '/api/incidents', '/api/incidents/INC-000001', '/api/incidents/INC-000001/track', '/api/incidents/INC-000001/track.geojson', '/api/incidents/INC-000001/track.gpx', '/api/calls', '/api/handsets', '/api/handsets/health', '/api/users', '/api/audit'];

async function snapshot() {
  const chain = await gw.app.store.verifyAuditChain();
  const audit = await gw.app.store.readAudit(0, 100_000);
  return { lastSeq: await gw.app.store.lastSeq(), chainOk: chain.ok, audit };
}

beforeAll(async () => {
  gw = await startInProcessGateway({ db: path.join(tmp.dir, 'tecsos.db') });
  url = gw.url;
  const [h] = fleet(1);
  await gw.app.core.importRegistrations([registrationOf(h!)]);
  for (const role of ['handler', 'supervisor', 'engineer']) cookies[role] = await login(url, role);
}, 60_000);

afterAll(async () => {
  await gw?.close();
  tmp.remove();
});

/** Bodies a confused or hostile client sends. */
const body = fc.oneof(
  fc.json({ maxDepth: 3 }),
  fc.string({ maxLength: 300 }),
  fc.record({ outcome: fc.string(), note: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }).map((o) => JSON.stringify(o)),
  fc.record({ username: fc.string(), password: fc.oneof(fc.string(), fc.integer()) }).map((o) => JSON.stringify(o)),
  fc.record({ id: fc.string(), number: fc.string(), key: fc.string(), imei: fc.string() }).map((o) => JSON.stringify(o)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

describe('bad input at the edge', () => {
  it('fuzzed bodies on every state-changing route: 4xx, alive, store unchanged', async () => {
    const before = await snapshot();
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...WRITE_ROUTES), body, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), fc.boolean(), async (route, b, type, authed) => {
        const headers: Record<string, string> = { 'content-type': type, origin: url };
        if (authed && route.role !== 'nobody') headers['cookie'] = cookies[route.role] as string;
        const r = await fetch(`${url}${route.path}`, { method: 'POST', headers, body: b });
        const text = await r.text();
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        expect(r.status, `${route.path} ${JSON.stringify(b).slice(0, 80)} -> ${r.status} ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(r.status).toBeLessThan(500);
        // Every refusal is the API's error shape.
        expect(JSON.parse(text)).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      }),
      { numRuns: 300, seed: 8 },
    );
    expect((await fetch(`${url}/healthz`)).status).toBeLessThan(600);
    const after = await snapshot();
    expect(after.lastSeq).toBe(before.lastSeq);
    expect(after.chainOk).toBe(true);
    const added = after.audit.slice(before.audit.length);
    // Only failed logins are audited among these refusals (the design audits refused logins, not other 4xx).
    expect(new Set(added.map((a) => a.action))).toEqual(added.length === 0 ? new Set() : new Set(['login.failed']));
    expect(after.audit.slice(0, before.audit.length)).toEqual(before.audit);
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true);
  }, 120_000);

  it('every route without a session is 401 (403 for a foreign Origin), and nothing is stored', async () => {
    const before = await snapshot();
    for (const p of READ_ROUTES) {
      const r = await fetch(`${url}${p}`);
      expect(r.status, p).toBe(401);
    }
    for (const route of WRITE_ROUTES.filter((w) => w.role !== 'nobody')) {
      const r = await fetch(`${url}${route.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(r.status, route.path).toBe(401);
      const foreign = await fetch(`${url}${route.path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie: cookies[route.role] as string }, body: '{}' });
      expect(foreign.status, route.path).toBe(403);
    }
    // A forged cookie is no session.
    expect((await fetch(`${url}/api/incidents`, { headers: { cookie: 'tecsos_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } })).status).toBe(401);
    const ws = connect(`${url.replace('http', 'ws')}/ws?since=0`, { origin: url });
    expect(await ws.ended).toMatchObject({ kind: 'refused', status: 401 });
    const after = await snapshot();
    expect(after.lastSeq).toBe(before.lastSeq);
    expect(after.audit).toEqual(before.audit);
  });

  it('oversized bodies are 413 and an oversized WebSocket frame closes 1009; the gateway keeps answering', async () => {
    const before = await snapshot();
    const big = JSON.stringify({ note: 'x'.repeat(20_000) });
    const r = await fetch(`${url}/api/incidents/INC-000001/acknowledge`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookies['handler'] as string, origin: url }, body: big });
    expect(r.status).toBe(413);
    const huge = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'a'.repeat(2_000_000), password: 'x' }) });
    expect(huge.status).toBe(413);
    const ws = connect(`${url.replace('http', 'ws')}/ws?since=0`, { cookie: cookies['handler'] as string, origin: url });
    await ws.until((m) => m['type'] === 'live');
    ws.ws.send('x'.repeat(70 * 1024));
    expect(await ws.ended).toMatchObject({ kind: 'closed', code: 1009 });
    expect((await fetch(`${url}/api/me`, { headers: { cookie: cookies['handler'] as string } })).status).toBe(200);
    const after = await snapshot();
    expect(after.lastSeq).toBe(before.lastSeq);
    expect(after.chainOk).toBe(true);
    // The WebSocket subscription itself is an audited read (ws.subscribe); nothing else was added.
    expect(after.audit.slice(before.audit.length).map((a) => a.action)).toEqual(['ws.subscribe']);
  });

  it('fuzzed WebSocket frames: the sender is told bad-message and closed 1008; other consoles and the store are untouched', async () => {
    const watcher = connect(`${url.replace('http', 'ws')}/ws?since=0`, { cookie: cookies['supervisor'] as string, origin: url });
    await watcher.until((m) => m['type'] === 'live');
    const before = await snapshot();
    const frames = fc.sample(
      fc.oneof(
        fc.json({ maxDepth: 3 }),
        fc.string({ maxLength: 500 }),
        fc.record({ v: fc.constantFrom(1, 2, '1'), type: fc.constantFrom('ping', 'subscribe', 'answer', 'hello', '__proto__'), nonce: fc.anything() }).map((o) => JSON.stringify(o)),
        fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b)),
      ),
      { numRuns: 60, seed: 4 },
    );
    let refusedClosed = 0;
    let pongs = 0;
    for (const f of frames) {
      const ws = connect(`${url.replace('http', 'ws')}/ws?since=0`, { cookie: cookies['handler'] as string, origin: url });
      await ws.until((m) => m['type'] === 'live');
      ws.ws.send(f);
      // A valid ping gets a pong and the socket stays; anything else is an error and close 1008.
      const settled = await Promise.race([ws.ended, ws.until((m) => m['type'] === 'pong').then(() => 'pong' as const)]);
      if (settled === 'pong') {
        pongs++;
        ws.ws.close();
        continue;
      }
      expect(settled).toMatchObject({ kind: 'closed', code: 1008 });
      expect(ws.messages.some((m) => m['type'] === 'error' && m['code'] === 'bad-message')).toBe(true);
      refusedClosed++;
    }
    expect(refusedClosed).toBeGreaterThan(40);
    expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
    const after = await snapshot();
    expect(after.lastSeq).toBe(before.lastSeq);
    expect(after.chainOk).toBe(true);
    expect(new Set(after.audit.slice(before.audit.length).map((a) => a.action))).toEqual(new Set(['ws.subscribe']));
    void pongs;
    watcher.ws.close();
  }, 60_000);

  it('a signed-in user of the wrong role is 403 on every state-changing route, and nothing is stored', async () => {
    const before = await snapshot();
    for (const route of WRITE_ROUTES.filter((w) => w.role !== 'nobody')) {
      const wrong = WRONG_ROLE[route.role] as string;
      const r = await fetch(`${url}${route.path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url, cookie: cookies[wrong] as string }, body: '{}' });
      expect(r.status, `${wrong} ${route.path}`).toBe(403);
      expect(await r.json()).toMatchObject({ error: 'forbidden' });
    }
    const after = await snapshot();
    expect(after.lastSeq).toBe(before.lastSeq);
    expect(after.audit).toEqual(before.audit);
  });

  it('bodies of the wrong shape on an incident and a call that exist: 400 naming the problem, nothing stored', async () => {
    // The targets exist now: INC-000001 from the handset's ALM, CALL-000001 ringing from its number.
    const [h] = fleet(1);
    const now = Date.now();
    for (const pdu of deliverPdus(reportText(h!, 1, now, 'ALM'), h!.number, 1, now)) gw.lines.sms(pdu, now);
    gw.lines.listener!.onCall({ kind: 'ringing', lineId: 'L1', at: now, number: h!.number, toa: 145 });
    await gw.app.core.idle();
    const cookie = cookies['handler'] as string;
    expect((await fetch(`${url}/api/incidents/INC-000001`, { headers: { cookie } })).status).toBe(200);
    const calls = (await (await fetch(`${url}/api/calls`, { headers: { cookie } })).json()) as unknown;
    expect(JSON.stringify(calls)).toContain('CALL-000001');
    const before = await snapshot();
    const wrongShapes = ['[]', '42', '"acknowledge"', 'true', '{"unexpected":1}'];
    const perRoute: Record<string, string[]> = {
      '/api/incidents/INC-000001/acknowledge': ['{"note":12345}', '{"note":{"a":1}}'],
      '/api/incidents/INC-000001/close': ['{}', '{"outcome":"nonsense"}', '{"outcome":"transferred"}'],
    };
    const targets = WRITE_ROUTES.filter((w) => w.role === 'handler');
    for (const route of targets) {
      for (const b of [...wrongShapes, ...(perRoute[route.path] ?? [])]) {
        const r = await fetch(`${url}${route.path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url, cookie }, body: b });
        const text = await r.text();
        expect(r.status, `${route.path} ${b} -> ${text.slice(0, 200)}`).toBe(400);
        expect(JSON.parse(text)).toMatchObject({ error: 'bad-request', message: expect.any(String) });
      }
    }
    const after = await snapshot();
    expect(after.lastSeq).toBe(before.lastSeq);
    expect(after.chainOk).toBe(true);
    expect(gw.lines.answered).toEqual([]);
    expect(gw.lines.hungUp).toEqual([]);
    expect(gw.lines.sent).toEqual([]);
  });
});
