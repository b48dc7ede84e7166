// Fuzzed bodies on every POST route, as every role: always a 4xx (or the route's success), never a 500,
// and the error body is always `{ error, message }`.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdge, TEST_USERS, type Edge } from './harness.js';

let edge: Edge;
const cookies: string[] = [];
beforeAll(async () => {
  edge = await startEdge();
  for (const u of TEST_USERS) cookies.push(await edge.login(u.username));
});
afterAll(async () => {
  await edge.close();
});

const posts = () => edge.server.routes.filter((r) => r.method === 'POST' && r.url !== '/api/logout')
  .map((r) => r.url.replace(':id', 'inc-1').replace(':username', 'nobody'));

const jsonish = fc.oneof(
  fc.jsonValue(),
  fc.record({ username: fc.jsonValue(), password: fc.jsonValue() }),
  fc.record({ outcome: fc.oneof(fc.string(), fc.constantFrom('transferred', 'test', 'other')), note: fc.jsonValue(), transferredTo: fc.jsonValue() }, { requiredKeys: [] }),
  fc.record({ id: fc.string(), number: fc.string(), imei: fc.string(), key: fc.string(), force: fc.string(), victim: fc.jsonValue() }, { requiredKeys: [] }),
);

describe('fuzzed request bodies', () => {
  it('JSON values of any shape never cause a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts()), fc.constantFrom(0, 1, 2), jsonish, async (url, who, body) => {
        const r = await edge.server.app.inject({
          method: 'POST', url, headers: { cookie: cookies[who] as string, 'content-type': 'application/json' }, payload: JSON.stringify(body),
        });
        expect(r.statusCode, `${url} ${JSON.stringify(body)} -> ${r.body}`).toBeLessThan(500);
        if (r.statusCode >= 400) expect(Object.keys(r.json()).sort()).toEqual(expect.arrayContaining(['error', 'message']));
      }),
      { numRuns: 300 },
    );
  });

  it('raw bytes, broken JSON, prototype pollution and oversized bodies get a 4xx', async () => {
    const raw = fc.oneof(
      fc.string(),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
      fc.constantFrom('{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '[', '{"a":1', 'null', '"x"', '1e999999'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts()), raw, fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), async (url, body, type) => {
        const r = await edge.server.app.inject({ method: 'POST', url, headers: { cookie: cookies[1] as string, 'content-type': type }, payload: body });
        expect(r.statusCode, `${url} ${type} ${JSON.stringify(body)} -> ${r.body}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    const big = await edge.server.app.inject({
      method: 'POST', url: '/api/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ username: 'a', password: 'x'.repeat(20_000) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('payload-too-large');
  });

  it('a body that is not JSON is refused 415 (text/plain and forms alike), before any route reads it', async () => {
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await edge.server.app.inject({ method: 'POST', url: '/api/login', headers: { 'content-type': type }, payload: 'username=handler&password=x' });
      expect(r.statusCode, type).toBe(415);
      expect(r.json(), type).toEqual({ error: 'bad-request', message: expect.any(String) });
    }
  });

  it('a URL the router refuses (broken percent-encoding, an over-long id) still answers an ApiError', async () => {
    const cases: [string, number, string][] = [
      ['/api/incidents/%E0%A4%A', 400, 'bad-request'],
      [`/api/incidents/${'a'.repeat(5000)}`, 404, 'not-found'],
      [`/api/incidents/${'a'.repeat(5000)}/track.gpx`, 404, 'not-found'],
    ];
    for (const [url, status, error] of cases) {
      const r = await edge.server.app.inject({ method: 'GET', url, headers: { cookie: cookies[1] as string } });
      expect(r.statusCode, url.slice(0, 40)).toBe(status);
      expect(r.json()).toEqual({ error, message: expect.any(String) });
      expect(r.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('query strings and path ids of any shape never cause a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (a, b) => {
        for (const url of [`/api/incidents?state=${encodeURIComponent(a)}`, `/api/audit?after=${encodeURIComponent(a)}&limit=${encodeURIComponent(b)}`,
          `/api/incidents/${encodeURIComponent(a)}/track.gpx`, `/api/incidents/${encodeURIComponent(a)}`]) {
          const r = await edge.server.app.inject({ method: 'GET', url, headers: { cookie: cookies[1] as string } });
          expect(r.statusCode, `${url} -> ${r.body}`).toBeLessThan(500);
        }
      }),
      { numRuns: 100 },
    );
  });
});
