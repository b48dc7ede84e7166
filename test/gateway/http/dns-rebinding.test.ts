// DNS rebinding: a page on evil.example whose name is re-pointed at the gateway's address (127.0.0.1 on a
// control-room workstation, or the gateway's LAN address) is same-origin with itself: it sends
// `Origin: http://evil.example:8080` with `Host: evil.example:8080`. Before the fix the edge took that as
// same-origin: such a page in a handler's Firefox could fail logins until the limiter locked the
// workstation's address (every handler behind it) out for 15 minutes. Now a browser request (one with an
// Origin) whose Host is not one of the gateway's names is refused with 403 naming the host, before the login
// limiter or the WebSocket upgrade; programs without an Origin are unchanged.
import { hostname } from 'node:os';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpConfig } from '../../../gateway/http/config.js';
import { PASSWORD, startEdge, type Edge } from './harness.js';
import { connect, type Recorder } from './ws-client.js';

let edge: Edge | undefined;
const open: Recorder[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) c.ws.terminate();
  await edge?.close();
  edge = undefined;
});

async function start(config: Partial<HttpConfig> = {}): Promise<Edge> {
  edge = await startEdge({ config });
  return edge;
}

/** A login POST as a browser page served from `host` sends it: Origin and Host name the same host. */
function browserLogin(e: Edge, host: string, password = PASSWORD) {
  return e.server.app.inject({
    method: 'POST', url: '/api/login', headers: { host, origin: `http://${host}` }, payload: { username: 'handler', password }, remoteAddress: '10.0.0.7',
  });
}

describe('a state-changing request from a browser page', () => {
  it('is refused with 403 naming the host when Origin = Host = a name that is not the gateway\'s, and never reaches the login limiter', async () => {
    const e = await start();
    for (let i = 0; i < 6; i++) {
      const r = await browserLogin(e, 'evil.example:8080', 'wrong guess');
      expect(r.statusCode).toBe(403);
      expect(r.json()).toEqual({ error: 'forbidden', message: expect.stringContaining('Host evil.example:8080 is not a name of this gateway') });
    }
    // The handler at that workstation (same address) still signs in: the limiter counted nothing.
    const own = await browserLogin(e, '127.0.0.1:8080');
    expect(own.statusCode).toBe(200);
    // Counted as the edge counts any refusal: tecsos_http_requests_total by status.
    const metrics = await e.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('tecsos_http_requests_total{method="POST",route="/api/login",status="403"} 6');
  });

  it('tells the operator where the name goes, in the answer and in the log', async () => {
    // The answer named only TECSOS_HOSTNAMES (a gateway configured by --hostnames or its config file has no such
    // variable), and the gateway's log showed a bare 403 "request completed": nothing said why.
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    edge = await startEdge({ logger });
    const r = await browserLogin(edge, 'cr-gw.force.example:8080');
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toMatch(/add it to the gateway's hostnames \(--hostnames, TECSOS_HOSTNAMES or "hostnames" in its config file\)/);
    expect(lines.find((l) => typeof l['msg'] === 'string' && l['msg'].startsWith('request refused: Host cr-gw.force.example:8080 is not a name of this gateway'))).toMatchObject({ host: 'cr-gw.force.example:8080', origin: 'http://cr-gw.force.example:8080' });
  });

  it('refuses a rebound name on any state-changing route, with a session cookie or not', async () => {
    const e = await start();
    const cookie = await e.login('handler');
    const r = await e.server.app.inject({
      method: 'POST', url: '/api/incidents/inc-1/acknowledge', headers: { cookie, host: 'evil.example:8080', origin: 'http://evil.example:8080' }, payload: {},
    });
    expect(r.statusCode).toBe(403);
    expect(e.actions.calls.filter((c) => c.method === 'acknowledge')).toHaveLength(0);
  });

  it('is accepted for the gateway\'s own names: IP literals, localhost, the machine\'s name, the listen host, configured names', async () => {
    const e = await start({ hostnames: ['console.force.example'] });
    for (const host of ['127.0.0.1:8080', '10.20.30.40:8080', 'localhost:8080', '[::1]:8080', `${hostname()}:8080`, 'console.force.example:8080', 'CONSOLE.Force.Example.', 'console.force.example']) {
      expect({ host, status: (await browserLogin(e, host)).statusCode }).toEqual({ host, status: 200 });
    }
    // Not a name just because it ends like one.
    expect((await browserLogin(e, 'evil.console.force.example:8080')).statusCode).toBe(403);
    expect((await browserLogin(e, 'localhost.evil.example:8080')).statusCode).toBe(403);
    await e.close();
    edge = await startEdge({ config: { host: 'gw.force.example' } });
    expect((await browserLogin(edge, 'gw.force.example:8080')).statusCode).toBe(200);
  });

  it('without an Origin (curl, scripts) is unchanged, whatever Host it names', async () => {
    const e = await start();
    const r = await e.server.app.inject({ method: 'POST', url: '/api/login', headers: { host: 'evil.example:8080' }, payload: { username: 'handler', password: PASSWORD } });
    expect(r.statusCode).toBe(200);
  });

  it('from a configured Origin (TECSOS_ORIGINS) is allowed whatever Host a proxy passes', async () => {
    const e = await start({ allowedOrigins: ['https://cr.force.example'] });
    const r = await e.server.app.inject({
      method: 'POST', url: '/api/login', headers: { host: 'backend:8080', origin: 'https://cr.force.example' }, payload: { username: 'handler', password: PASSWORD },
    });
    expect(r.statusCode).toBe(200);
  });
});

describe('the WebSocket upgrade', () => {
  async function upgrade(config: Partial<HttpConfig>, host: (port: string) => string, withOrigin = true): Promise<{ outcome: Recorder; e: Edge }> {
    const e = await start(config);
    const base = await e.server.listen();
    const port = new URL(base).port;
    const cookie = await e.login('handler');
    const h = host(port);
    const c = connect(`${base.replace(/^http/, 'ws')}/ws?since=0`, { cookie, host: h, ...(withOrigin && { origin: `http://${h}` }) });
    open.push(c);
    return { outcome: c, e };
  }

  const opened = async (c: Recorder): Promise<boolean> => {
    await Promise.race([c.ended, new Promise<void>((resolve) => c.ws.once('open', () => resolve()))]);
    return c.opened;
  };

  it('is refused with 403 naming the host before the upgrade when Origin = Host = a foreign name', async () => {
    const { outcome, e } = await upgrade({}, (p) => `evil.example:${p}`);
    const ended = await Promise.race([outcome.ended, new Promise<{ kind: 'opened' }>((resolve) => outcome.ws.once('open', () => resolve({ kind: 'opened' })))]);
    expect(ended).toMatchObject({ kind: 'refused', status: 403 });
    const body = JSON.parse((ended as { body: string }).body) as { error: string; message: string };
    expect(body.error).toBe('forbidden');
    expect(body.message).toMatch(/^Host evil\.example:\d+ is not a name of this gateway/);
    const metrics = await e.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toContain('tecsos_ws_refused_total{status="403"} 1');
  });

  it('opens for a configured name', async () => {
    expect(await opened((await upgrade({ hostnames: ['console.force.example'] }, (p) => `console.force.example:${p}`)).outcome)).toBe(true);
  });

  for (const [name, host] of [['localhost', (p: string) => `localhost:${p}`], ['127.0.0.1', (p: string) => `127.0.0.1:${p}`], ['[::1]', (p: string) => `[::1]:${p}`]] as const) {
    it(`opens for ${name}`, async () => {
      expect(await opened((await upgrade({}, host)).outcome)).toBe(true);
    });
  }

  it('opens without an Origin whatever the Host (not a browser)', async () => {
    expect(await opened((await upgrade({}, (p) => `evil.example:${p}`, false)).outcome)).toBe(true);
  });
});
