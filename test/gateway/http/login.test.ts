// Login, logout, session cookie, rate limit (fastify inject against the real store and user directory).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../../gateway/store/event-store.js';
import { PASSWORD, startEdge, type Edge } from './harness.js';

let edge: Edge;
beforeEach(async () => {
  edge = await startEdge();
});
afterEach(async () => {
  await edge.close();
});

const login = (username: string, password: string, remoteAddress = '127.0.0.1') =>
  edge.server.app.inject({ method: 'POST', url: '/api/login', payload: { username, password }, remoteAddress });

describe('POST /api/login', () => {
  it('signs a user in and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const r = await login('handler', PASSWORD);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ username: 'handler', displayName: 'Test handler', role: 'call-handler' });
    const cookie = String(r.headers['set-cookie']);
    expect(cookie).toMatch(/^tecsos_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    const me = await edge.server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: cookie.split(';')[0] as string } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ username: 'handler', role: 'call-handler' });
  });

  it('marks the cookie Secure when configured for TLS', async () => {
    const tls = await startEdge({ config: { secureCookies: true } });
    try {
      const r = await tls.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'super', password: PASSWORD } });
      expect(String(r.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await tls.close();
    }
  });

  it('answers a wrong password and an unknown user with the same 401, and no cookie', async () => {
    const wrong = await login('handler', 'not the password');
    const unknown = await login('nobody', PASSWORD);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json()).toEqual({ error: 'unauthorised', message: 'wrong username or password' });
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a disabled user like a wrong password', async () => {
    await edge.users.setDisabled('eng', true, 'test');
    const r = await login('eng', PASSWORD);
    expect(r.statusCode).toBe(401);
    // Refused before any sign-in: the audit log shows no `login` for it, only the failure.
    const entries = await edge.store.readAudit(0, 100);
    expect(entries.filter((e) => e.subject === 'user:eng').map((e) => e.action)).toEqual(['login.failed']);
    // Its right password counts as a failure like any other: no endless tries, no way to tell it from a wrong one.
    for (let i = 0; i < 4; i++) expect((await login('eng', PASSWORD)).statusCode).toBe(401);
    expect((await login('eng', PASSWORD)).statusCode).toBe(429);
  });

  it('takes the username in any case (usernames are lower case; a phone keyboard capitalises the first letter)', async () => {
    const r = await login('Handler', PASSWORD);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ username: 'handler' });
  });

  it('a successful login forgives the username the failures counted against it', async () => {
    // 19 wrong passwords for the handler from four addresses (one short of the username's 20), then she signs in.
    for (let i = 0; i < 19; i++) expect((await login('handler', `guess ${i}`, `10.5.0.${i % 4}`)).statusCode).toBe(401);
    expect((await login('handler', PASSWORD, '10.5.0.50')).statusCode).toBe(200);
    // One more mistake later does not lock her out.
    expect((await login('handler', 'typo', '10.5.0.51')).statusCode).toBe(401);
    expect((await login('handler', PASSWORD, '10.5.0.52')).statusCode).toBe(200);
  });

  it('rate-limits an address after 5 failures: 429 with Retry-After, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await login('handler', `guess ${i}`)).statusCode).toBe(401);
    const r = await login('handler', PASSWORD);
    expect(r.statusCode).toBe(429);
    expect(r.json().error).toBe('rate-limited');
    const retry = Number(r.headers['retry-after']);
    expect(retry).toBeGreaterThan(800);
    expect(retry).toBeLessThanOrEqual(900);
    // From another address the same user signs in: five guesses from one address cannot lock a handler out.
    expect((await login('handler', PASSWORD, '10.0.0.9')).statusCode).toBe(200);
    expect((await login('super', PASSWORD, '10.0.0.9')).statusCode).toBe(200);
  });

  it('rate-limits a username after 20 failures from several addresses together, even from an address that never failed', async () => {
    for (let a = 0; a < 4; a++) for (let i = 0; i < 5; i++) expect((await login('handler', `guess ${a}.${i}`, `10.4.0.${a}`)).statusCode).toBe(401);
    const r = await login('handler', PASSWORD, '10.4.0.99');
    expect(r.statusCode).toBe(429);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(800);
  });

  it('counts guesses sent at once: of 30 concurrent wrong passwords for one user only 20 are checked, from one address only 5', async () => {
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => login('handler', `guess ${i}`, `10.1.0.${i}`)));
    const statuses = burst.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
    const spray = await Promise.all(Array.from({ length: 30 }, (_, i) => login(`user${i}`, 'guess', '10.2.0.1')));
    expect(spray.filter((r) => r.statusCode === 401)).toHaveLength(5);
    const fromOne = await Promise.all(Array.from({ length: 30 }, (_, i) => login('super', `guess ${i}`, '10.2.0.2')));
    expect(fromOne.filter((r) => r.statusCode === 401)).toHaveLength(5);
    expect((await edge.store.readAudit(0, 200)).filter((a) => a.action === 'login.failed')).toHaveLength(30);
  });

  it('lets honest logins from one address at the same moment all through (they wait, none is refused)', async () => {
    const users = ['handler', 'super', 'eng'];
    const all = await Promise.all(Array.from({ length: 12 }, (_, i) => login(users[i % 3] as string, PASSWORD, '10.3.0.1')));
    expect(all.map((r) => r.statusCode)).toEqual(Array.from({ length: 12 }, () => 200));
  });

  it('rate-limits an address guessing across many usernames', async () => {
    for (let i = 0; i < 5; i++) expect((await login(`user${i}`, 'x')).statusCode).toBe(401);
    expect((await login('super', PASSWORD)).statusCode).toBe(429);
  });

  it('behind a proxy (TECSOS_TRUST_PROXY=1), limits the address the proxy saw, whatever X-Forwarded-For the client sent', async () => {
    const proxied = await startEdge({ config: { trustProxy: true } });
    try {
      // The proxy (10.0.0.1) appends the address it saw (192.168.1.66) to what the client sent.
      const via = (username: string, password: string, forged: string, real = '192.168.1.66') =>
        proxied.server.app.inject({
          method: 'POST', url: '/api/login', payload: { username, password }, remoteAddress: '10.0.0.1',
          headers: { 'x-forwarded-for': forged === '' ? real : `${forged}, ${real}` },
        });
      for (let i = 0; i < 5; i++) expect((await via(`user${i}`, 'x', `203.0.113.${i}`)).statusCode).toBe(401);
      expect((await via('super', PASSWORD, '203.0.113.99')).statusCode).toBe(429);
      expect((await via('super', PASSWORD, '')).statusCode).toBe(429);
      // Another workstation behind the same proxy is not affected.
      expect((await via('super', PASSWORD, '', '192.168.1.67')).statusCode).toBe(200);
      const failed = (await proxied.store.readAudit(0, 100)).filter((a) => a.action === 'login.failed');
      expect(failed.map((a) => a.detail)).toEqual(Array.from({ length: 5 }, () => 'from 192.168.1.66'));
    } finally {
      await proxied.close();
    }
  });

  it('rejects malformed bodies with 400 naming the field', async () => {
    const r = await edge.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'handler' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: 'bad-request', fields: ['password'] });
    expect(r.json().message).toMatch(/^password: /);
    const extra = await edge.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'a', password: 'b', admin: true } });
    expect(extra.statusCode).toBe(400);
    const notJson = await edge.server.app.inject({ method: 'POST', url: '/api/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error).toBe('bad-request');
  });

  it('writes login and failed login to the audit log', async () => {
    await login('handler', PASSWORD);
    await login('handler', 'nope');
    const entries = await edge.store.readAudit(0, 100);
    expect(entries.map((e) => [e.actor, e.action, e.subject])).toEqual([
      ['handler', 'login', 'user:handler'],
      ['handler', 'login.failed', 'user:handler'],
    ]);
  });

  it('does not write an unknown username to the audit log: it is often a password typed into the wrong field', async () => {
    // The audit log is kept for ever (retention does not purge it), every supervisor reads it, and it cannot
    // be edited: a password written there cannot be taken back.
    const typed = 'My-Secret-Passphrase.2026';
    expect((await login(typed, 'handler')).statusCode).toBe(401);
    const entries = await edge.store.readAudit(0, 100);
    expect(entries.map((e) => [e.actor, e.action, e.subject])).toEqual([['system', 'login.failed', 'user:(unknown)']]);
    expect(JSON.stringify(entries).toLowerCase()).not.toContain(typed.toLowerCase());
    const view = await edge.server.app.inject({ method: 'GET', url: '/api/audit', headers: { cookie: await edge.login('super') } });
    expect(view.body.toLowerCase()).not.toContain(typed.toLowerCase());
  });
});

describe('session ids', () => {
  it('issues a fresh session id at every login and ends the one the browser already had', async () => {
    const first = await edge.login('handler');
    const r = await edge.server.app.inject({ method: 'POST', url: '/api/login', headers: { cookie: first }, payload: { username: 'handler', password: PASSWORD } });
    const second = String(r.headers['set-cookie']).split(';')[0] as string;
    expect(second).not.toBe(first);
    expect((await edge.server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: first } })).statusCode).toBe(401);
    expect((await edge.server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: second } })).statusCode).toBe(200);
  });
});

describe('a user disabled while their login is being checked', () => {
  it('gets no session: the login answers 401 and nothing it could return works', async () => {
    // The login's audit write is held, so the supervisor's disable lands after the password check and before
    // the session would be opened (in production: during the ~50 ms of scrypt or the audit fsync).
    let hold: Promise<void> | undefined;
    let release = () => undefined as void;
    let reached = () => undefined as void;
    const waiting = new Promise<void>((r) => (reached = r));
    const held = await startEdge({
      wrapStore: (s) =>
        new Proxy(s, {
          get(target, prop, receiver) {
            if (prop === 'appendAudit') {
              return async (x: Parameters<EventStore['appendAudit']>[0]) => {
                if (x.action === 'login' && x.actor === 'handler' && hold !== undefined) {
                  reached();
                  await hold;
                }
                return target.appendAudit(x);
              };
            }
            const v = Reflect.get(target, prop, receiver) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }),
    });
    try {
      const sup = await held.login('super');
      hold = new Promise((r) => (release = r));
      const pending = held.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'handler', password: PASSWORD } });
      await waiting; // the password was right; the login now waits for its audit entry
      const off = await held.server.app.inject({ method: 'POST', url: '/api/users/handler/disable', headers: { cookie: sup } });
      expect(off.statusCode).toBe(200);
      release();
      const r = await pending;
      expect(r.statusCode).toBe(401);
      const cookie = String(r.headers['set-cookie'] ?? '').split(';')[0] as string;
      expect((await held.server.app.inject({ method: 'GET', url: '/api/incidents', headers: { cookie } })).statusCode).toBe(401);
      // The audit log, which cannot be edited, says the login was refused after its `login` entry.
      const trail = (await held.store.readAudit(0, 100)).filter((a) => a.subject === 'user:handler').map((a) => a.action);
      expect(trail.slice(-2)).toEqual(['login', 'login.failed']);
    } finally {
      await held.close();
    }
  });
});

describe('POST /api/logout', () => {
  it('ends the session: the old cookie no longer works, and the cookie is cleared', async () => {
    const cookie = await edge.login('handler');
    const out = await edge.server.app.inject({ method: 'POST', url: '/api/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^tecsos_session=; .*Max-Age=0/);
    const me = await edge.server.app.inject({ method: 'GET', url: '/api/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json().error).toBe('unauthorised');
  });
});

describe('CSRF', () => {
  it('refuses a state-changing request from a foreign Origin with 403, allows same-origin and configured ones', async () => {
    const cookie = await edge.login('handler');
    const post = (origin: string) =>
      edge.server.app.inject({ method: 'POST', url: '/api/incidents/inc-1/acknowledge', headers: { cookie, origin, host: '10.0.0.5:8080' }, payload: {} });
    const foreign = await post('https://evil.example');
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error).toBe('forbidden');
    expect(edge.actions.calls.filter((c) => c.method === 'acknowledge')).toHaveLength(0);
    expect((await post('http://10.0.0.5:8080')).statusCode).toBe(202);
    const login = await edge.server.app.inject({
      method: 'POST', url: '/api/login', headers: { origin: 'https://evil.example' }, payload: { username: 'handler', password: PASSWORD },
    });
    expect(login.statusCode).toBe(403);
  });

  it('accepts an Origin listed in the configuration', async () => {
    const e = await startEdge({ config: { allowedOrigins: ['https://console.example.org'] } });
    try {
      const r = await e.server.app.inject({
        method: 'POST', url: '/api/login', headers: { origin: 'https://console.example.org' }, payload: { username: 'handler', password: PASSWORD },
      });
      expect(r.statusCode).toBe(200);
    } finally {
      await e.close();
    }
  });
});
