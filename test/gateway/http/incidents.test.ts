// Incident routes: reads audited before the data is returned, commands passed to the core with the actor,
// track export (GeoJSON, GPX) with a SHA-256 digest header that matches the body.
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../../gateway/store/event-store.js';
import { PASSWORD, startEdge, type Edge } from './harness.js';

let edge: Edge;
let cookie: string;
beforeEach(async () => {
  edge = await startEdge();
  cookie = await edge.login('handler');
});
afterEach(async () => {
  await edge.close();
});

const get = (url: string, c = cookie) => edge.server.app.inject({ method: 'GET', url, headers: { cookie: c } });
const post = (url: string, payload?: unknown) =>
  edge.server.app.inject({ method: 'POST', url, headers: { cookie }, ...(payload !== undefined && { payload: payload as object }) });

async function auditAfterLogin(): Promise<[string, string, string][]> {
  const entries = await edge.store.readAudit(0, 100);
  return entries.filter((e) => e.action !== 'login').map((e) => [e.actor, e.action, e.subject]);
}

describe('incident reads', () => {
  it('lists open incidents and records the read in the audit log', async () => {
    const r = await get('/api/incidents');
    expect(r.statusCode).toBe(200);
    expect(r.json().incidents.map((i: { id: string }) => i.id)).toEqual(['inc-1']);
    expect((await get('/api/incidents?state=all')).json().incidents).toHaveLength(2);
    expect((await get('/api/incidents?state=bogus')).statusCode).toBe(400);
    expect(await auditAfterLogin()).toEqual([
      ['handler', 'incident.read', 'incidents:open'],
      ['handler', 'incident.read', 'incidents:all'],
    ]);
  });

  it('asks the core for every open incident, and for a page of the closed or whole list (one more than it holds: are there more?)', async () => {
    for (const q of ['', '?state=open', '?state=closed', '?state=all&limit=5&before=inc-1', '?state=open&limit=1000']) expect((await get(`/api/incidents${q}`)).statusCode, q).toBe(200);
    expect(edge.actions.calls.filter((c) => c.method === 'listIncidents').map((c) => c.args[0])).toEqual([
      { state: 'open' }, { state: 'open' }, { state: 'closed', limit: 1001 }, { state: 'all', limit: 6, before: 'inc-1' }, { state: 'open', limit: 1001 },
    ]);
    expect((await get('/api/incidents?state=closed&limit=1001')).json()).toMatchObject({ error: 'bad-request', fields: ['limit'] });
    expect((await get('/api/incidents?state=closed&before=nope')).json()).toMatchObject({ error: 'bad-request', message: 'before: no incident nope', fields: ['before'] });
    expect(edge.actions.calls.filter((c) => c.method === 'listIncidents')).toHaveLength(5);
  });

  it('returns one incident with the victim record, audited as incident.read by that user', async () => {
    const r = await get('/api/incidents/inc-1');
    expect(r.statusCode).toBe(200);
    expect(r.json().incident.victim.safetyNotes).toBe('abuser has keys');
    const entries = await edge.store.readAudit(0, 100);
    const last = entries[entries.length - 1];
    expect(last).toMatchObject({ actor: 'handler', action: 'incident.read', subject: 'incident:inc-1' });
    expect(String(last?.detail)).toContain('role=call-handler');
    expect((await edge.store.verifyAuditChain()).ok).toBe(true);
  });

  it('answers 404 for an unknown or impossible id, without an audit entry', async () => {
    expect((await get('/api/incidents/nope')).statusCode).toBe(404);
    expect((await get('/api/incidents/a%20b')).statusCode).toBe(404);
    expect(await auditAfterLogin()).toEqual([]);
  });

  it('refuses track and incident reads when the audit write fails, and sends no victim data', async () => {
    let failing = false;
    const broken = await startEdge({
      wrapStore: (s: EventStore) =>
        new Proxy(s, {
          get(target, prop, receiver) {
            if (prop === 'appendAudit') {
              return (e: Parameters<EventStore['appendAudit']>[0]) => (failing ? Promise.reject(new Error('disk full')) : target.appendAudit(e));
            }
            const v = Reflect.get(target, prop, receiver) as unknown;
            return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
          },
        }),
    });
    try {
      const c = await broken.login('handler');
      failing = true;
      // Login is audited too: with the audit log down nobody can sign in.
      const login = await broken.server.app.inject({ method: 'POST', url: '/api/login', payload: { username: 'super', password: PASSWORD } });
      expect(login.statusCode).toBe(503);
      expect(login.headers['set-cookie']).toBeUndefined();
      for (const url of ['/api/incidents/inc-1', '/api/incidents/inc-1/track', '/api/incidents/inc-1/track.gpx', '/api/incidents']) {
        const r = await broken.server.app.inject({ method: 'GET', url, headers: { cookie: c } });
        expect(r.statusCode, url).toBe(503);
        expect(r.json().error).toBe('unavailable');
        expect(r.body).not.toContain('abuser');
        expect(r.body).not.toContain('51.50');
      }
    } finally {
      await broken.close();
    }
  });
});

describe('incident commands', () => {
  it('passes acknowledge, close, stop-tracking and locate to the core with the acting user; 202 with the seq', async () => {
    expect((await post('/api/incidents/inc-1/acknowledge', { note: 'on it' })).statusCode).toBe(202);
    expect((await post('/api/incidents/inc-1/acknowledge')).statusCode).toBe(202);
    const closed = await post('/api/incidents/inc-1/close', { outcome: 'officers-attended', note: 'safe' });
    expect(closed.statusCode).toBe(202);
    expect(closed.json()).toMatchObject({ accepted: true });
    expect(typeof closed.json().seq).toBe('number');
    expect((await post('/api/incidents/inc-1/stop-tracking')).statusCode).toBe(202);
    expect((await post('/api/incidents/inc-1/locate', {})).statusCode).toBe(202);
    const seen = edge.actions.calls.filter((c) => c.method !== 'getIncident').map((c) => [c.method, ...c.args]);
    expect(seen).toEqual([
      ['acknowledge', 'inc-1', { note: 'on it' }, { username: 'handler', role: 'call-handler' }],
      ['acknowledge', 'inc-1', {}, { username: 'handler', role: 'call-handler' }],
      ['close', 'inc-1', { outcome: 'officers-attended', note: 'safe' }, { username: 'handler', role: 'call-handler' }],
      ['stopTracking', 'inc-1', { username: 'handler', role: 'call-handler' }],
      ['locate', 'inc-1', { username: 'handler', role: 'call-handler' }],
    ]);
  });

  it('a body may carry its schema version v: 1 (the same as without it); another version is refused by name', async () => {
    expect((await post('/api/incidents/inc-1/acknowledge', { v: 1, note: 'on it' })).statusCode).toBe(202);
    expect((await post('/api/incidents/inc-1/close', { v: 1, outcome: 'officers-attended' })).statusCode).toBe(202);
    for (const v of [2, '1', null]) {
      const r = await post('/api/incidents/inc-1/acknowledge', { v, note: 'x' });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ error: 'bad-request', fields: ['v'] });
      expect(r.json().message).toMatch(/^v: version .* is not supported/);
    }
    expect(edge.actions.calls.filter((c) => c.method !== 'getIncident').map((c) => [c.method, c.args[1]])).toEqual([
      ['acknowledge', { note: 'on it' }],
      ['close', { outcome: 'officers-attended' }],
    ]);
  });

  it('validates the close body and names the bad field', async () => {
    const noOutcome = await post('/api/incidents/inc-1/close', { note: 'x' });
    expect(noOutcome.statusCode).toBe(400);
    expect(noOutcome.json().fields).toEqual(['outcome']);
    const transferred = await post('/api/incidents/inc-1/close', { outcome: 'transferred' });
    expect(transferred.statusCode).toBe(400);
    expect(transferred.json().fields).toEqual(['transferredTo']);
    expect(edge.actions.calls.filter((c) => c.method === 'close')).toHaveLength(0);
  });

  it('maps core refusals: unknown 404, closed 409, no line 503', async () => {
    expect((await post('/api/incidents/inc-9/acknowledge')).statusCode).toBe(404);
    const closed = await post('/api/incidents/inc-2/close', { outcome: 'test' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json()).toEqual({ error: 'conflict', message: 'incident inc-2 is closed' });
    expect((await post('/api/incidents/inc-nolines/locate')).statusCode).toBe(503);
  });

  it('answers and hangs up calls', async () => {
    expect((await post('/api/calls/c1/answer')).statusCode).toBe(202);
    expect((await post('/api/calls/c1/hangup')).statusCode).toBe(202);
    expect((await post('/api/calls/c2/answer')).statusCode).toBe(404);
  });
});

describe('track export', () => {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest();

  it('GeoJSON: a LineString in [lon, lat] order plus one Point per fix; digest headers match the bytes', async () => {
    const r = await get('/api/incidents/inc-1/track.geojson');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/geo\+json/);
    const body = r.rawPayload;
    expect(r.headers['digest']).toBe(`sha-256=${sha(body).toString('base64')}`);
    expect(r.headers['x-content-sha256']).toBe(sha(body).toString('hex'));
    expect(r.headers['content-disposition']).toBe('attachment; filename="incident-inc-1-track.geojson"');
    const g = JSON.parse(body.toString('utf8'));
    expect(g.type).toBe('FeatureCollection');
    expect(g.features[0].geometry).toEqual({
      type: 'LineString',
      coordinates: [[-0.1276, 51.5072], [-0.12701, 51.50735, 21.5], [-0.1265, 51.5076]],
    });
    expect(g.features.slice(1).map((f: { properties: { time: string } }) => f.properties.time)).toEqual([
      '2026-11-23T06:00:00.000Z', '2026-11-23T06:00:30.000Z', '2026-11-23T06:01:00.000Z',
    ]);
    expect(g.features[1].properties).toMatchObject({ accuracyM: 12, speedKmh: 4.5, courseDeg: 90, source: 'gps' });
    expect(g.features[3].properties.source).toBe('aml');
  });

  it('GPX 1.1: one trkpt per fix with lat, lon, ele and time; digest matches; the export is audited with it', async () => {
    const r = await get('/api/incidents/inc-1/track.gpx');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/gpx\+xml/);
    const text = r.rawPayload.toString('utf8');
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<gpx version="1.1" creator="TecSOS Gateway" xmlns="http:\/\/www.topografix.com\/GPX\/1\/1">/);
    const pts = [...text.matchAll(/<trkpt lat="([^"]+)" lon="([^"]+)">(.*?)<\/trkpt>/g)];
    expect(pts.map((m) => [Number(m[1]), Number(m[2])])).toEqual([[51.5072, -0.1276], [51.50735, -0.12701], [51.5076, -0.1265]]);
    expect(pts[1]?.[3]).toContain('<ele>21.5</ele><time>2026-11-23T06:00:30.000Z</time>');
    const hex = sha(r.rawPayload).toString('hex');
    expect(r.headers['x-content-sha256']).toBe(hex);
    expect(r.headers['repr-digest']).toBe(`sha-256=:${sha(r.rawPayload).toString('base64')}:`);
    const entries = await edge.store.readAudit(0, 100);
    expect(entries[entries.length - 1]).toMatchObject({ actor: 'handler', action: 'track.export', subject: 'incident:inc-1' });
    expect(String(entries[entries.length - 1]?.detail)).toContain(`sha256=${hex}`);
  });

  it('HEAD on an export sends no file: its audit entry says so, and names no digest of a file nobody holds', async () => {
    const r = await edge.server.app.inject({ method: 'HEAD', url: '/api/incidents/inc-1/track.gpx', headers: { cookie } });
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.length).toBe(0);
    const entries = await edge.store.readAudit(0, 100);
    expect(entries[entries.length - 1]).toMatchObject({ actor: 'handler', action: 'track.export', subject: 'incident:inc-1' });
    const detail = String(entries[entries.length - 1]?.detail);
    expect(detail).toContain('HEAD: no file sent');
    expect(detail).not.toContain('sha256=');
  });

  it('the JSON track read is audited as track.read; an unknown incident is 404', async () => {
    const r = await get('/api/incidents/inc-1/track');
    expect(r.json().track.points).toHaveLength(3);
    expect((await auditAfterLogin()).pop()).toEqual(['handler', 'track.read', 'incident:inc-1']);
    expect((await get('/api/incidents/inc-2/track.gpx')).statusCode).toBe(404);
  });
});
