// The WebSocket handshake's request-target as a client sends it, on a raw socket (a WebSocket library would
// normalise it). Found by fuzzing the running gateway: `GET //` or `GET /\` with `Upgrade: websocket` made
// `new URL(target, base)` throw ("//" is a scheme-relative URL with no host), so the refusal was a 500
// `internal` and an error-level log line with a stack for every such request, from anyone, signed in or not.
// And `//x/ws` was read as host `x`, path `/ws`: a target that is not `/ws` was taken for it.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startEdge, type Edge } from './harness.js';

let edge: Edge | undefined;
afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

/** Sends an upgrade request for `target` and returns the status and the body the gateway answered. */
function upgrade(base: string, target: string, cookie?: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const s = net.connect(Number(port), hostname);
    let out = '';
    s.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (out.startsWith('HTTP/1.1 101')) s.destroy(); // upgraded: nothing more to read
    });
    s.on('error', reject);
    s.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(out);
      resolve({ status: m ? Number(m[1]) : 0, body: out.slice(out.indexOf('\r\n\r\n') + 4) });
    });
    s.write(
      `GET ${target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://${hostname}:${port}\r\n` +
        `${cookie === undefined ? '' : `Cookie: ${cookie}\r\n`}\r\n`,
    );
  });
}

describe('WebSocket upgrade request-targets', () => {
  it('a target that is not a valid path is a 404 not-found, not a 500', async () => {
    edge = await startEdge();
    const base = await edge.server.listen();
    const cookie = await edge.login('handler');
    for (const target of ['//', '/\\', '//?since=0']) {
      for (const c of [undefined, cookie]) {
        const r = await upgrade(base, target, c);
        expect(r.status, `${target} ${c === undefined ? 'signed out' : 'signed in'}`).toBe(404);
        expect(JSON.parse(r.body)).toEqual({ error: 'not-found', message: 'WebSocket endpoint is /ws' });
      }
    }
    expect(edge.server.metrics.wsRefused.get({ status: '500' })).toBe(0);
  });

  it('`//host/ws` is not /ws', async () => {
    edge = await startEdge();
    const base = await edge.server.listen();
    const cookie = await edge.login('handler');
    for (const target of ['//x/ws', '//x/ws?since=0', '///ws']) {
      const r = await upgrade(base, target, cookie);
      expect(r.status, target).toBe(404);
    }
    // /ws itself still upgrades
    expect((await upgrade(base, '/ws?since=0', 'tecsos_session=nope')).status).toBe(401);
  });
});
