// Requests answered before any route runs are counted in tecsos_http_requests_total like every other answer.
// Before, Node's parser refusals (400 not HTTP or cut short, 408 too slow, 431 headers too big: server.ts
// answerClientError) and the router's (400 broken percent-encoding, 404 a path parameter over its length limit:
// frameworkErrors) were answered but never counted, so a flood of them did not show in /metrics. Their labels
// are fixed words, never what the client sent: one series per distinct bad URL would grow /metrics without bound.
import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_ERROR_LABELS } from '../../../gateway/http/server.js';
import { startEdge, type Edge } from './harness.js';
import { rawUntilClosed } from './raw-client.js';

let edge: Edge | undefined;
afterEach(async () => {
  await edge?.close();
  edge = undefined;
});

/** What the client sent and must never be a label value. */
const MARK = 'zz-client-text';

describe('answers given before any route, in tecsos_http_requests_total', () => {
  it('counts each refusal of the HTTP parser and of the router, by status, under fixed labels', async () => {
    edge = await startEdge({ config: { requestTimeoutMs: 300 } });
    const port = Number(new URL(await edge.server.listen()).port);
    const metrics = edge.server.metrics;
    const cases: [what: string, text: string, fin: boolean, labels: { method: string; route: string; status: string }][] = [
      ['not HTTP', `HELLO ${MARK}\r\n\r\n`, false, { ...CLIENT_ERROR_LABELS, status: '400' }],
      ['a FIN in the middle of the headers', `GET /${MARK} HTTP/1.1\r\nHost: x\r\n`, true, { ...CLIENT_ERROR_LABELS, status: '400' }],
      ['headers over 16 KiB', `GET /${MARK} HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, false, { ...CLIENT_ERROR_LABELS, status: '431' }],
      ['headers that never end', `GET /${MARK} HTTP/1.1\r\nHost: x\r\nX-Slow: `, false, { ...CLIENT_ERROR_LABELS, status: '408' }],
      ['a body that never ends', `POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"u`, false, { ...CLIENT_ERROR_LABELS, status: '408' }],
      ['broken percent-encoding', `GET /api/incidents/%zz${MARK} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, false, { method: 'GET', route: 'unmatched', status: '400' }],
      ['a path parameter over the limit', `GET /api/incidents/${MARK}${'a'.repeat(200)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, false, { method: 'GET', route: 'unmatched', status: '404' }],
    ];
    for (const [what, text, fin, labels] of cases) {
      const before = metrics.httpRequests.get(labels);
      const answer = await rawUntilClosed(port, text, fin);
      expect(answer.slice(0, 12), what).toBe(`HTTP/1.1 ${labels.status}`);
      expect({ what, counted: metrics.httpRequests.get(labels) - before }).toEqual({ what, counted: 1 });
    }
    const text = (await edge.server.app.inject({ method: 'GET', url: '/metrics' })).body;
    const series = text.split('\n').filter((l) => l.startsWith('tecsos_http_requests_total{'));
    expect(series).toContain(`tecsos_http_requests_total{method="unparsed",route="unparsed",status="408"} 2`);
    expect(text).not.toContain(MARK);
  });
});
