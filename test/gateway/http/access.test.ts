// Role checks: every route of the route table refuses the roles it does not list (403) and anonymous
// callers (401), and lets its roles through (any status but 401/403).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../gateway/auth/roles.js';
import { startEdge, TEST_USERS, type Edge } from './harness.js';

let edge: Edge;
const cookies = new Map<Role, string>();
beforeAll(async () => {
  edge = await startEdge();
  for (const u of TEST_USERS) cookies.set(u.role, await edge.login(u.username));
});
afterAll(async () => {
  await edge.close();
});

function concrete(url: string): string {
  return url.replace(':id', 'inc-1').replace(':username', 'nobody');
}

describe('route table access', () => {
  it('has the routes issue 5 asks for', () => {
    const rows = edge.server.routes.map((r) => `${r.method} ${r.url}`);
    for (const want of [
      'POST /api/login', 'POST /api/logout', 'GET /api/incidents', 'GET /api/incidents/:id',
      'POST /api/incidents/:id/acknowledge', 'POST /api/incidents/:id/close', 'POST /api/incidents/:id/stop-tracking',
      'POST /api/incidents/:id/locate', 'GET /api/incidents/:id/track.geojson', 'GET /api/incidents/:id/track.gpx',
      'POST /api/calls/:id/answer', 'POST /api/calls/:id/hangup', 'POST /api/handsets', 'GET /api/handsets',
      'GET /api/handsets/health', 'GET /api/users', 'POST /api/users', 'POST /api/users/:username/disable', 'GET /api/audit',
      'GET /healthz', 'GET /metrics',
    ]) expect(rows).toContain(want);
  });

  it('refuses anonymous callers with 401 and wrong roles with 403, on every protected route', async () => {
    let checked = 0;
    for (const route of edge.server.routes) {
      if (route.access === 'public') continue;
      const url = concrete(route.url);
      const anon = await edge.server.app.inject({ method: route.method as 'GET' | 'POST', url, payload: route.method === 'POST' ? {} : undefined });
      expect(anon.statusCode, `${route.method} ${route.url} anonymous`).toBe(401);
      for (const role of ROLES) {
        const allowed = route.access === 'signed-in' || route.access.includes(role);
        const r = await edge.server.app.inject({
          method: route.method as 'GET' | 'POST', url, headers: { cookie: cookies.get(role) as string },
          payload: route.method === 'POST' ? {} : undefined,
        });
        if (allowed) expect([401, 403], `${route.method} ${route.url} as ${role}`).not.toContain(r.statusCode);
        else {
          expect(r.statusCode, `${route.method} ${route.url} as ${role}`).toBe(403);
          expect(r.json().error).toBe('forbidden');
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    // Nothing reached the core from a refused request with a state change.
    expect(edge.actions.calls.filter((c) => c.method === 'registerHandset')).toHaveLength(0);
  });

  it('gives every route exactly the roles docs/api.md lists in its "who" column', () => {
    // The test above checks the server against its own table; this checks the table against the contract, so a
    // route opened to one role more (an engineer reading incidents, anyone signed in answering calls) fails.
    const who: Record<string, Role> = { CH: 'call-handler', SV: 'supervisor', EN: 'engineer' };
    const docs = new Map<string, string>();
    const api = readFileSync(path.resolve(import.meta.dirname, '../../../docs/api.md'), 'utf8');
    for (const m of api.matchAll(/^\| (GET|POST) \| `([^`?]+)(?:\?[^`]*)?` \| ([^|]+?) \|/gm)) {
      const cell = (m[3] as string).trim();
      const access = cell === 'anyone' ? 'public' : cell === 'signed in' ? 'signed-in' : cell.split(' ').map((c) => who[c] ?? `unknown ${c}`).sort().join(',');
      docs.set(`${m[1]} ${m[2]}`, access);
    }
    expect(docs.size).toBeGreaterThan(25);
    const server = new Map(
      edge.server.routes
        .filter((r) => r.url !== '/*') // the console's static files
        .map((r) => [`${r.method} ${r.url}`, typeof r.access === 'string' ? r.access : [...r.access].sort().join(',')]),
    );
    expect(Object.fromEntries(server)).toEqual(Object.fromEntries(docs));
  });

  it('keeps engineers away from victims and call handlers away from administration', () => {
    const access = (m: string, u: string) => edge.server.routes.find((r) => r.method === m && r.url === u)?.access;
    expect(access('GET', '/api/incidents/:id')).toEqual(['call-handler', 'supervisor']);
    expect(access('GET', '/api/incidents/:id/track.gpx')).toEqual(['call-handler', 'supervisor']);
    expect(access('POST', '/api/handsets')).toEqual(['engineer']);
    expect(access('POST', '/api/users')).toEqual(['supervisor']);
    expect(access('GET', '/api/audit')).toEqual(['supervisor']);
  });
});
