// Clients that hold a connection without finishing their request (slow-POST): before any login, each such
// connection used to be kept for ever, so anyone on the network could use up the gateway's file descriptors.
// The request timeout ends them; a WebSocket, once upgraded, is not a request and stays open. An answer the
// client takes nothing of is bounded by the same time.
import { rmSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from './harness.js';
import { bigConsole, rawUntilClosed } from './raw-client.js';
import { connect } from './ws-client.js';

let edge: Edge | undefined;
let dir: string | undefined;
afterEach(async () => {
  await edge?.close();
  edge = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Resolves with 'closed' when the gateway's side of the next accepted connection closes, or 'open' after `ms`. */
function nextServerSocketClosed(e: Edge, ms: number): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('open'), ms);
    e.server.app.server.once('connection', (s: net.Socket) => s.once('close', () => {
      clearTimeout(timer);
      resolve('closed');
    }));
  });
}

describe('slow clients', () => {
  it('closes a connection that sends a POST\'s headers and never its body (408), without a login', async () => {
    edge = await startEdge({ config: { requestTimeoutMs: 500 } });
    const port = Number(new URL(await edge.server.listen()).port);
    const head = 'POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user';
    const answers = await Promise.all(Array.from({ length: 5 }, () => rawUntilClosed(port, head)));
    for (const a of answers) expect(a).toMatch(/^HTTP\/1\.1 408 /);
    // Headers that never end are cut the same way.
    expect(await rawUntilClosed(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ')).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection whose client asks for a big file and never reads the answer', async () => {
    // Node's request timeout ends once the request is in and the keep-alive one starts once the answer is out:
    // in between, nothing ended it. Such a client, without a login, held its connection (a slot of the
    // connection cap) and the file's bytes in the gateway's memory for as long as it liked.
    edge = await startEdge({ config: { requestTimeoutMs: 500 }, consoleDir: (dir = bigConsole()) });
    const port = Number(new URL(await edge.server.listen()).port);
    const closed = nextServerSocketClosed(edge, 20_000);
    const s = net.connect(port, '127.0.0.1');
    s.pause();
    s.on('error', () => undefined);
    s.write('GET /big.js HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await closed).toBe('closed');
    // It was the answer that stalled, not the request.
    const first = await new Promise<string>((resolve) => {
      s.once('data', (d) => resolve(String(d).slice(0, 15)));
      s.resume();
    });
    expect(first).toBe('HTTP/1.1 200 OK');
    s.destroy();
  });

  it('still answers a request whose handler takes longer than the request timeout', async () => {
    // The stalled-answer timeout starts with the answer, never during the handler's own work.
    edge = await startEdge({ config: { requestTimeoutMs: 300 } });
    const base = await edge.server.listen();
    const listCalls = edge.actions.listCalls.bind(edge.actions);
    edge.actions.listCalls = async () => {
      await new Promise((r) => setTimeout(r, 1500));
      return listCalls();
    };
    const r = await fetch(`${base}/api/calls`, { headers: { cookie: await edge.login('handler') } });
    expect(r.status).toBe(200);
    expect(await r.json()).toHaveProperty('calls');
  });

  it('keeps a WebSocket open past the request timeout', async () => {
    edge = await startEdge({ config: { requestTimeoutMs: 300 } });
    const base = await edge.server.listen();
    const c = connect(`${base.replace(/^http/, 'ws')}/ws`, { cookie: await edge.login('handler'), origin: base });
    await c.until((m) => m['type'] === 'live');
    // Three request timeouts (and their checks) go by; the socket must still be open and streaming.
    await new Promise((r) => setTimeout(r, 1200));
    c.ws.send(JSON.stringify({ v: 1, type: 'ping', nonce: 'still-there' }));
    await c.until((m) => m['nonce'] === 'still-there');
    expect(c.ws.readyState).toBe(c.ws.OPEN);
    c.ws.terminate();
  });

  it('holds at most maxConnections client connections: one more is closed at once, and the gateway answers again once they go', async () => {
    // Each connection is a file descriptor, and the gateway's modem links need them too: 400 idle clients
    // reconnecting as fast as they were dropped, against `ulimit -n 256`, kept a dropped modem line from
    // reopening (EMFILE) for 72 s. Past the cap a connection is closed before it costs anything more.
    edge = await startEdge({ config: { maxConnections: 3 } });
    const port = Number(new URL(await edge.server.listen()).port);
    const open = await Promise.all(Array.from({ length: 3 }, () => new Promise<net.Socket>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(s));
      s.on('error', () => undefined);
    })));
    await new Promise((r) => setTimeout(r, 100));
    expect(await rawUntilClosed(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).toBe('');
    for (const s of open) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    // Counted for the operator.
    expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toMatch(/^tecsos_http_connections_dropped_total 1$/m);
  });
});

