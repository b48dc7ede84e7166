// What Node's HTTP parser refuses before any route runs: a malformed request, headers over Node's 16 KiB, a FIN
// in the middle of a request, a request not complete within requestTimeoutMs. Each is answered like every other
// error (docs/api.md "Errors": protocol/schemas ApiError, the security headers), then the connection closes.
// fastify's default answered `{"error":"Request Timeout","message":"Client Timeout","statusCode":408}`.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../../protocol/schemas/rest.js';
import { startEdge, type Edge } from './harness.js';
import { rawUntilClosed } from './raw-client.js';

let edge: Edge | undefined;
afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

/** Sends `text` (then a FIN when `fin`); resolves with the status, headers and body once the gateway closes. */
async function exchange(port: number, text: string, fin = false): Promise<{ status: number; head: string; body: unknown }> {
  const [head = '', body = ''] = (await rawUntilClosed(port, text, fin)).split('\r\n\r\n');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = body;
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1] ?? 0), head: head.toLowerCase(), body: parsed };
}

describe('requests the HTTP parser refuses', () => {
  it('answers each with an ApiError and the security headers, then closes the connection', async () => {
    edge = await startEdge({ config: { requestTimeoutMs: 300 } });
    const port = Number(new URL(await edge.server.listen()).port);
    const cases: [string, string, boolean, number][] = [
      ['not HTTP', 'HELLO THERE\r\n\r\n', false, 400],
      ['headers over 16 KiB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, false, 431],
      ['a FIN in the middle of the headers', 'GET /healthz HTTP/1.1\r\nHost: x\r\n', true, 400],
      ['headers that never end', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', false, 408],
    ];
    for (const [what, text, fin, status] of cases) {
      const r = await exchange(port, text, fin);
      expect({ what, status: r.status }).toEqual({ what, status });
      expect(ApiError.safeParse(r.body).success, `${what}: ${JSON.stringify(r.body)}`).toBe(true);
      expect(r.head, what).toContain('\r\nx-content-type-options: nosniff');
      expect(r.head, what).toContain('\r\nconnection: close');
    }
  });
});
