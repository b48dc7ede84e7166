// Supervisor and engineer routes: users, audit log with chain verification, handsets; /healthz and /metrics.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from './harness.js';

let edge: Edge;
beforeEach(async () => {
  edge = await startEdge();
});
afterEach(async () => {
  await edge.close();
});

const KEY_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

describe('users (supervisor)', () => {
  it('creates a user who can then log in; lists users without hashes; disables them', async () => {
    const cookie = await edge.login('super');
    const created = await edge.server.app.inject({
      method: 'POST', url: '/api/users', headers: { cookie },
      payload: { username: 'jsmith', displayName: 'J Smith', role: 'call-handler', password: 'a long enough password' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().user).toMatchObject({ username: 'jsmith', role: 'call-handler', disabled: false, createdBy: 'super' });
    const login = await edge.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'jsmith', password: 'a long enough password' } });
    expect(login.statusCode).toBe(200);
    const list = await edge.server.app.inject({ method: 'GET', url: '/api/users', headers: { cookie } });
    expect(list.body).not.toMatch(/scrypt|passwordHash/);
    expect(list.json().users.map((u: { username: string }) => u.username)).toEqual(['eng', 'handler', 'jsmith', 'super']);
    const dup = await edge.server.app.inject({
      method: 'POST', url: '/api/users', headers: { cookie },
      payload: { username: 'jsmith', displayName: 'J', role: 'engineer', password: 'a long enough password' },
    });
    expect(dup.statusCode).toBe(409);
    const short = await edge.server.app.inject({
      method: 'POST', url: '/api/users', headers: { cookie }, payload: { username: 'x1', displayName: 'X', role: 'engineer', password: 'short' },
    });
    expect(short.statusCode).toBe(400);
    expect(short.json().fields).toEqual(['password']);
    const sessionCookie = String(login.headers['set-cookie']).split(';')[0] as string;
    expect((await edge.server.app.inject({ method: 'POST', url: '/api/users/jsmith/disable', headers: { cookie } })).statusCode).toBe(200);
    expect((await edge.server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: sessionCookie } })).statusCode).toBe(401);
    expect((await edge.server.app.inject({ method: 'POST', url: '/api/users/super/disable', headers: { cookie } })).statusCode).toBe(409);
  });

  it('refuses the names the gateway signs its own actions with (system, demo, add-user): they would pass for the gateway', async () => {
    // Incidents the gateway closes, calls it ends, manifest registrations and retention purges are `by: system`;
    // a person's account of that name closing an incident or registering a handset would look automatic.
    const cookie = await edge.login('super');
    // `add-user`: the creator of accounts made on the gateway's machine (gateway/core/add-user.ts).
    for (const username of ['system', 'demo', 'add-user']) {
      const r = await edge.server.app.inject({
        method: 'POST', url: '/api/users', headers: { cookie },
        payload: { username, displayName: 'Looks automatic', role: 'call-handler', password: 'a long enough password' },
      });
      expect(r.statusCode, username).toBe(400);
      expect(r.json()).toMatchObject({ error: 'bad-request', fields: ['username'] });
      expect(edge.users.find(username)).toBeUndefined();
    }
  });

  it('a supervisor disabled while her new account is being made does not get it: no way back in', async () => {
    // Her create passes the role check, then spends ~50 ms on scrypt; her disable lands meanwhile. No account may
    // be added by her after her disable is in the log.
    const second = await edge.server.app.inject({
      method: 'POST', url: '/api/users', headers: { cookie: await edge.login('super') },
      payload: { username: 'super2', displayName: 'Second supervisor', role: 'supervisor', password: 'a long enough password' },
    });
    expect(second.statusCode).toBe(201);
    const b = String((await edge.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'super2', password: 'a long enough password' } }))
      .headers['set-cookie']).split(';')[0] as string;
    const a = await edge.login('super');
    let disable: Promise<{ statusCode: number }> | undefined;
    const find = edge.users.find.bind(edge.users);
    // The moment her request asks whether the new name is taken (after the role check, before the scrypt work).
    edge.users.find = (name: string) => {
      if (name === 'backdoor' && disable === undefined) disable = edge.server.app.inject({ method: 'POST', url: '/api/users/super2/disable', headers: { cookie: a } });
      return find(name);
    };
    const created = await edge.server.app.inject({
      method: 'POST', url: '/api/users', headers: { cookie: b },
      payload: { username: 'backdoor', displayName: 'Spare', role: 'supervisor', password: 'a long enough password' },
    });
    expect((await disable)?.statusCode).toBe(200);
    const log = (await edge.store.readSince(0, 1000)).map((e) => `${e.event.type}:${String(e.event['username'])}`);
    const disabledAt = log.indexOf('user.disabled:super2');
    const createdAt = log.indexOf('user.created:backdoor');
    expect(createdAt === -1 || createdAt < disabledAt, `created ${created.statusCode} at ${createdAt}, disabled at ${disabledAt}`).toBe(true);
    if (createdAt === -1) expect(created.statusCode).toBe(401);
  });

  it('two supervisors disabling each other at the same moment leave one of them enabled', async () => {
    // Neither disables herself, so both requests passed: the control room was left with no enabled supervisor,
    // and nobody could enable anyone again (user management is the supervisors' alone).
    const second = await edge.server.app.inject({
      method: 'POST', url: '/api/users', headers: { cookie: await edge.login('super') },
      payload: { username: 'super2', displayName: 'Second supervisor', role: 'supervisor', password: 'a long enough password' },
    });
    expect(second.statusCode).toBe(201);
    const a = await edge.login('super');
    const b = (await edge.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'super2', password: 'a long enough password' } }))
      .headers['set-cookie'];
    const disable = (cookie: string, who: string) => edge.server.app.inject({ method: 'POST', url: `/api/users/${who}/disable`, headers: { cookie } });
    const [ab, ba] = await Promise.all([disable(a, 'super2'), disable(String(b).split(';')[0] as string, 'super')]);
    expect([ab.statusCode, ba.statusCode].sort()).toEqual([200, 401]);
    const enabled = edge.users.list().filter((u) => u.role === 'supervisor' && !u.disabled).map((u) => u.username);
    expect(enabled).toEqual([ab.statusCode === 200 ? 'super' : 'super2']);
  });
});

describe('audit log (supervisor)', () => {
  it('lists entries in the protocol shape with the chain verification', async () => {
    const handler = await edge.login('handler');
    await edge.server.app.inject({ method: 'GET', url: '/api/incidents/inc-1', headers: { cookie: handler } });
    const cookie = await edge.login('super');
    const r = await edge.server.app.inject({ method: 'GET', url: '/api/audit?after=0&limit=50', headers: { cookie } });
    expect(r.statusCode).toBe(200);
    const { entries, verification } = r.json();
    expect(verification).toMatchObject({ ok: true });
    const read = entries.find((e: { action: string }) => e.action === 'incident.read');
    expect(read).toMatchObject({ actor: 'handler', subject: 'incident:inc-1' });
    expect(read.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entries.map((e: { seq: number }) => e.seq)).toEqual(entries.map((_: unknown, i: number) => i + 1));
    expect((await edge.server.app.inject({ method: 'GET', url: '/api/audit?limit=5000', headers: { cookie } })).statusCode).toBe(400);
  });
});

describe('handsets (engineer)', () => {
  it('registers a handset with a hex or base64 key, passes 32 key bytes to the core, never echoes the key', async () => {
    const cookie = await edge.login('eng');
    const body = {
      id: 'TS-0042', number: '+447700900042', imei: '490154203237518', key: KEY_HEX, force: 'Test Force',
      victim: { name: 'A. Person', safetyNotes: 'abuser has keys', riskMarkers: ['weapons'] },
    };
    const r = await edge.server.app.inject({ method: 'POST', url: '/api/handsets', headers: { cookie }, payload: body });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ accepted: true, handset: { id: 'TS-0042', testMode: false } });
    expect(r.body).not.toContain(KEY_HEX);
    const passed = edge.actions.calls.find((c) => c.method === 'registerHandset')?.args[0] as { key: Uint8Array };
    expect(Buffer.from(passed.key).toString('hex')).toBe(KEY_HEX);
    const b64 = Buffer.from(KEY_HEX, 'hex').toString('base64');
    const again = await edge.server.app.inject({ method: 'POST', url: '/api/handsets', headers: { cookie }, payload: { ...body, key: b64, replace: true } });
    expect(again.statusCode).toBe(201);
    const conflict = await edge.server.app.inject({ method: 'POST', url: '/api/handsets', headers: { cookie }, payload: body });
    expect(conflict.statusCode).toBe(409);
    const badKey = await edge.server.app.inject({ method: 'POST', url: '/api/handsets', headers: { cookie }, payload: { ...body, key: 'abcd' } });
    expect(badKey.statusCode).toBe(400);
    expect(badKey.json().fields).toEqual(['key']);
    const list = await edge.server.app.inject({ method: 'GET', url: '/api/handsets', headers: { cookie } });
    expect(list.json().handsets.map((h: { id: string }) => h.id)).toEqual(['TS-0042', 'TS-0042']);
    // Every API answer is kept out of caches (a shared workstation's browser, a proxy): handsets, users, errors.
    for (const r of [list, conflict, badKey, await edge.server.app.inject({ method: 'GET', url: '/api/handsets/health', headers: { cookie } })]) {
      expect(r.headers['cache-control']).toBe('no-store');
    }
    const audit = await edge.store.readAudit(0, 100);
    expect(audit.filter((a) => a.action === 'handset.register').map((a) => a.subject)).toEqual(['handset:TS-0042', 'handset:TS-0042']);
  });
});

describe('/healthz and /metrics', () => {
  it('/healthz reports lines, store and last seq; 503 when no line is up', async () => {
    await edge.store.append([{ type: 'x', at: Date.now() }]);
    const ok = await edge.server.app.inject({ method: 'GET', url: '/healthz' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ ok: true, lastSeq: 4, lines: { up: 1, total: 1 }, store: { ok: true, lastSeq: 4 }, websocket: { clients: 0 } });
    edge.actions.linesUp = 0;
    const down = await edge.server.app.inject({ method: 'GET', url: '/healthz' });
    expect(down.statusCode).toBe(503);
    expect(down.json().ok).toBe(false);
  });

  it('/metrics is Prometheus text with the gateway metrics, including what the core counts', async () => {
    await edge.login('handler');
    await edge.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'handler', password: 'wrong' } });
    edge.server.metrics.reportsRejected.inc({ reason: 'bad-mac' });
    edge.server.metrics.calls.inc({ priority: 'tecsos' });
    const r = await edge.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = r.body;
    expect(text).toContain('# TYPE tecsos_reports_rejected_total counter\n');
    expect(text).toContain('tecsos_reports_rejected_total{reason="bad-mac"} 1');
    expect(text).toContain('tecsos_calls_total{priority="tecsos"} 1');
    expect(text).toContain('tecsos_logins_total{outcome="ok"} 1');
    expect(text).toContain('tecsos_logins_total{outcome="invalid"} 1');
    expect(text).toContain('tecsos_ws_clients{role="call-handler"} 0');
    expect(text).toMatch(/# TYPE tecsos_event_lag_seconds gauge\ntecsos_event_lag_seconds \d/);
    expect(text).toContain('tecsos_http_requests_total{method="POST",route="/api/login",status="200"} 1');
    // Every sample line is `name{labels} value`.
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? (-?[0-9.e+]+|NaN|[+-]Inf)$/);
    }
  });
});
