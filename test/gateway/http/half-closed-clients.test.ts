// Clients that send their request and then close their sending side (a FIN: `nc -N`, ncat and socat do it by
// default at the end of their input, and so do some proxies). Node's default ended the connection as soon as
// it read the FIN: such a client got an answer only from a route that finished first, and none from one that
// waited on anything (a login: the session was made, the answer lost). Every input from outside is hostile, so
// a FIN must also never let a client hold its connection: a request cut by a FIN is a 400 and a close, and an
// answer a half-closed client does not read is bounded like any other (slow-clients.test.ts).
import { rmSync } from 'node:fs';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PASSWORD, startEdge, type Edge } from './harness.js';
import { bigConsole, rawUntilClosed } from './raw-client.js';

let edge: Edge | undefined;
let dir: string | undefined;
afterEach(async () => {
  await edge?.close();
  edge = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Sends `text`, then a FIN; resolves with everything that came back once the gateway closes the connection. */
const sendThenHalfClose = (port: number, text: string) => rawUntilClosed(port, text, true);

function post(url: string, body: string, extra = ''): string {
  return `POST ${url} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
}

describe('half-closed clients', () => {
  it('answers every request sent before the FIN, a login included, then closes', async () => {
    edge = await startEdge();
    const port = Number(new URL(await edge.server.listen()).port);
    const login = post('/api/login', JSON.stringify({ username: 'handler', password: PASSWORD }));
    const got = await sendThenHalfClose(port, login);
    expect(got).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(got).toMatch(/\r\nset-cookie: tecsos_session=/i);
    expect(got).toContain('"username":"handler"');
    // Pipelined, in order: the answers of all of them.
    const both = await sendThenHalfClose(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' + login);
    expect(both.match(/HTTP\/1\.1 \d+ /g)).toEqual(['HTTP/1.1 200 ', 'HTTP/1.1 200 ']);
    expect(both).toContain('"username":"handler"');
  });

  it('answers a request cut short by the FIN with a 400 and closes, headers or body', async () => {
    edge = await startEdge();
    const port = Number(new URL(await edge.server.listen()).port);
    expect(await sendThenHalfClose(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    const cut = 'POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"user';
    expect(await sendThenHalfClose(port, cut)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await sendThenHalfClose(port, '')).toBe('');
  });

  it('closes a half-closed connection whose client never reads its answer', async () => {
    dir = bigConsole();
    edge = await startEdge({ config: { requestTimeoutMs: 500 }, consoleDir: dir });
    const port = Number(new URL(await edge.server.listen()).port);
    const closed = new Promise<'closed' | 'open'>((resolve) => {
      const timer = setTimeout(() => resolve('open'), 20_000);
      edge?.server.app.server.once('connection', (s: net.Socket) => s.once('close', () => {
        clearTimeout(timer);
        resolve('closed');
      }));
    });
    const s = net.connect(port, '127.0.0.1');
    s.pause();
    s.on('error', () => undefined);
    s.end('GET /big.js HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await closed).toBe('closed');
    s.destroy();
  });
});
