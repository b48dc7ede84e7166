// Everything a signed-in engineer can read, against docs/api.md "Who sees what": engineers provision and look after
// handsets; they never see a victim's record (name, address, safety notes, risk markers, perpetrator), her
// positions, the numbers of callers, the notes on an incident, or the number a refused report came from. The whole
// gateway in this process (test/support/in-process-gateway.ts) on realistic data: a handset an engineer registered
// with a full record, her alarm with fixes, her TecSOS call, an ordinary 999 call, refused reports from other
// phones, a handler's notes and commands. Then every surface an engineer session reaches: each REST route and its
// error bodies, /healthz and /metrics, the WebSocket live (single messages and batches), its backlog (since=0) and
// its picture (view=1); none may hold any of it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliverPdus, fleet, positionOf, reportText } from '../../support/fleet.js';
import { login } from '../../support/gateway-process.js';
import { startInProcessGateway, type InProcessGateway } from '../../support/in-process-gateway.js';
import { tmpDirFor } from '../../support/tmp.js';
import { connect, type Recorder } from './ws-client.js';

const [h] = fleet(2) as [ReturnType<typeof fleet>[number], ReturnType<typeof fleet>[number]];
const other = fleet(2)[1] as ReturnType<typeof fleet>[number];

const VICTIM = {
  name: 'Amelia Quorn',
  safetyNotes: 'Abuser holds a spare key; speak Polish',
  riskMarkers: ['strangulation-history', 'children-present'],
  address: '14 Larkspur Row, Leeds LS6 2QZ',
  perpetratorNotes: 'Dorian Vexley, grey Transit van',
};
/** An ordinary 999 caller, and phones that sent the gateway reports it refused. */
const CALLER = '+447700900555';
const RELAY = '+447700900777';
const STRANGER = '+447700900888';
const PUBLIC = '+447700900999';
const ACK_NOTE = 'Units to Larkspur; she whispered kitchen';
const CLOSE_NOTE = 'Arrested at scene by PC Mirren';

/** Her positions as the gateway writes them (53.7902, -1.5498; their first 5 characters, 53.79 and -1.54). */
function positions(): string[] {
  const p = positionOf(h, 2);
  return [String(p.lat).slice(0, 5), String(p.lon).slice(0, 5)];
}

/** What no answer or message to an engineer may contain. */
function secrets(): string[] {
  return [
    VICTIM.name, 'Quorn', VICTIM.safetyNotes, 'spare key', ...VICTIM.riskMarkers, VICTIM.address, 'Larkspur', VICTIM.perpetratorNotes, 'Vexley',
    CALLER, CALLER.slice(-6), RELAY, RELAY.slice(-6), STRANGER, STRANGER.slice(-6), PUBLIC, PUBLIC.slice(-6),
    ACK_NOTE, CLOSE_NOTE, 'Mirren',
    ...positions(),
  ];
}

let gw: InProcessGateway;
let tmp: { dir: string; remove(): void };
let url = '';
const cookies: Record<string, string> = {};
let early: Recorder[] = [];

const json = (cookie: string) => ({ 'content-type': 'application/json', origin: url, cookie });

beforeAll(async () => {
  tmp = tmpDirFor('engineer-surfaces');
  gw = await startInProcessGateway({ db: path.join(tmp.dir, 'tecsos.db') });
  url = gw.url;
  for (const role of ['handler', 'supervisor', 'engineer']) cookies[role] = await login(url, role);
  const eng = cookies['engineer'] as string;
  // Engineers' consoles open before anything happens: they get it all live, as singles and as batches.
  early = ['since=0', 'since=0&batch=1'].map((q) => connect(`${url.replace('http', 'ws')}/ws?${q}`, { cookie: eng, origin: url }));
  for (const r of early) await r.until((m) => m['type'] === 'live');

  const reg = await fetch(`${url}/api/handsets`, {
    method: 'POST', headers: json(eng),
    body: JSON.stringify({ id: h.id, number: h.number, imei: h.imei, key: Buffer.from(h.key).toString('hex'), force: 'West Yorkshire Police', victim: VICTIM }),
  });
  expect(reg.status, await reg.clone().text()).toBe(201);

  let now = Date.now();
  const sms = (text: string, from: string, ref: number) => {
    for (const pdu of deliverPdus(text, from, ref, now)) gw.lines.sms(pdu, now);
  };
  sms(reportText(h, 1, now, 'ALM'), h.number, 1);
  gw.lines.listener!.onCall({ kind: 'ringing', lineId: 'L1', at: now, number: h.number, toa: 145 });
  await gw.app.core.idle();
  now += 30_000;
  sms(reportText(h, 2, now, 'TRK'), h.number, 2);
  sms(reportText({ ...other, id: h.id }, 3, now, 'TRK'), STRANGER, 3); // h's id, another key: bad-mac
  sms(reportText(h, 4, now, 'TRK'), RELAY, 4); // her report relayed from another phone: sender-mismatch (the last refusal: GET /api/handsets's lastRejection)
  sms('Is this the police? my ex took my phone', PUBLIC, 5); // unknown-sender
  gw.lines.listener!.onCall({ kind: 'ended', lineId: 'L1', at: now, endedBy: 'caller' });
  await gw.app.core.idle();
  gw.lines.listener!.onCall({ kind: 'ringing', lineId: 'L1', at: now + 1000, number: CALLER, toa: 145 });
  await gw.app.core.idle();

  const hd = cookies['handler'] as string;
  const post = async (p: string, body: unknown) => {
    const r = await fetch(`${url}${p}`, { method: 'POST', headers: json(hd), body: JSON.stringify(body) });
    expect(r.status, `${p}: ${await r.clone().text()}`).toBe(202);
  };
  await post('/api/incidents/INC-000001/acknowledge', { note: ACK_NOTE });
  await post('/api/incidents/INC-000001/locate', {});
  await gw.app.core.idle();
}, 60_000);

afterAll(async () => {
  for (const r of early) r.ws.close();
  await gw?.close();
  tmp?.remove();
});

/** The first secret `text` holds, or undefined. */
const leaked = (text: string) => secrets().find((s) => text.includes(s));

async function opened(query: string): Promise<Recorder> {
  const r = connect(`${url.replace('http', 'ws')}/ws?${query}`, { cookie: cookies['engineer'] as string, origin: url });
  await r.until((m) => m['type'] === 'live');
  return r;
}

describe("what an engineer's session reads", () => {
  it('the handler and supervisor see the data (the secrets are there to leak)', async () => {
    const r = await fetch(`${url}/api/incidents/INC-000001`, { headers: { cookie: cookies['supervisor'] as string } });
    const text = await r.text();
    expect(text).toContain(VICTIM.name);
    const track = await (await fetch(`${url}/api/incidents/INC-000001/track`, { headers: { cookie: cookies['supervisor'] as string } })).text();
    for (const p of positions()) expect(track).toContain(p);
    const calls = await (await fetch(`${url}/api/calls`, { headers: { cookie: cookies['handler'] as string } })).text();
    expect(calls).toContain(CALLER);
  });

  it('REST: every route an engineer may call, and the refusals of those she may not', async () => {
    const eng = cookies['engineer'] as string;
    const gets = ['/api/me', '/api/console-config', '/api/handsets', '/api/handsets/health', '/healthz', '/metrics',
      '/api/incidents', '/api/incidents?state=all', '/api/incidents/INC-000001', '/api/incidents/INC-000001/track', '/api/incidents/INC-000001/track.geojson',
      '/api/incidents/INC-000001/track.gpx', '/api/calls', '/api/users', '/api/audit', '/api/audit?newest=1'];
    for (const p of gets) {
      const r = await fetch(`${url}${p}`, { headers: { cookie: eng } });
      const text = await r.text();
      expect(leaked(text), `GET ${p} ${r.status}`).toBeUndefined();
      if (p.startsWith('/api/incidents') || p.startsWith('/api/calls') || p.startsWith('/api/users') || p.startsWith('/api/audit')) {
        expect(r.status, p).toBe(403);
        const head = await fetch(`${url}${p}`, { method: 'HEAD', headers: { cookie: eng } });
        expect(head.status, `HEAD ${p}`).toBe(403);
      } else expect(r.status, p).toBe(200);
    }
    const posts: [string, unknown][] = [
      [`/api/handsets/${h.id}/command`, { command: { kind: 'STOP' } }],
      [`/api/handsets/${h.id}/command`, { command: { kind: 'INTERVAL', seconds: 60 } }],
      [`/api/handsets/${h.id}/command`, { command: { kind: 'LOCATE' } }],
      ['/api/handsets', { id: h.id, number: h.number, imei: h.imei, key: Buffer.from(other.key).toString('hex'), force: 'West Yorkshire Police', victim: { name: 'X', safetyNotes: '', riskMarkers: [] }, replace: true }],
      ['/api/handsets', { id: h.id, number: h.number, imei: h.imei, key: Buffer.from(h.key).toString('hex'), force: 'West Yorkshire Police', victim: { name: 'X', safetyNotes: '', riskMarkers: [] } }],
      ['/api/handsets', { id: other.id, number: h.number, imei: other.imei, key: Buffer.from(other.key).toString('hex'), force: 'West Yorkshire Police', victim: { name: 'X', safetyNotes: '', riskMarkers: [] } }],
      ['/api/handsets', { id: h.id, number: h.number, imei: h.imei, key: Buffer.from(h.key).toString('hex'), force: 'West Yorkshire Police', victim: VICTIM }],
      ['/api/incidents/INC-000001/acknowledge', {}], ['/api/calls/CALL-000002/answer', {}],
    ];
    for (const [p, body] of posts) {
      const r = await fetch(`${url}${p}`, { method: 'POST', headers: json(eng), body: JSON.stringify(body) });
      const text = await r.text();
      if (p === '/api/handsets' && (body as { victim: unknown }).victim === VICTIM) continue; // her record, as the engineer typed it again
      expect(leaked(text), `POST ${p} ${r.status}`).toBeUndefined();
    }
  });

  it('the WebSocket: live, batches, the backlog, a resume and the picture', async () => {
    // The handler closes her incident with a note: the STOP it sends is an engineer's event too (command.*).
    const r = await fetch(`${url}/api/incidents/INC-000001/close`, {
      method: 'POST', headers: json(cookies['handler'] as string), body: JSON.stringify({ outcome: 'officers-attended', note: CLOSE_NOTE }),
    });
    expect(r.status, await r.text()).toBe(202);
    await gw.app.core.idle();
    // The engineer locates her handset, no incident open now: its answer is a position too.
    const locate = await fetch(`${url}/api/handsets/${h.id}/command`, { method: 'POST', headers: json(cookies['engineer'] as string), body: JSON.stringify({ command: { kind: 'LOCATE' } }) });
    expect(locate.status, await locate.text()).toBe(202);
    const now = Date.now();
    for (const pdu of deliverPdus(reportText(h, 5, now, 'TRK'), h.number, 6, now)) gw.lines.sms(pdu, now);
    await gw.app.core.idle();
    await gw.app.http.fanout.picturesBuilt();
    const eng = await Promise.all(['since=0', 'since=0&batch=1', 'since=5', 'since=0&view=1', 'since=0&view=1&batch=1'].map(opened));
    const seen = new Set<string>();
    for (const r of [...early, ...eng]) {
      const text = JSON.stringify(r.messages);
      expect(leaked(text)).toBeUndefined();
      for (const m of r.messages) {
        for (const e of m['type'] === 'batch' ? (m['events'] as Record<string, unknown>[]) : [m]) seen.add(String(e['type']));
      }
    }
    // What an engineer does get: her handset's status, the refused reports that claim it, the commands to it.
    expect([...seen].sort()).toEqual(['command.result', 'command.sent', 'handset.status', 'hello', 'live', 'report.rejected', 'view']);
    for (const r of eng) r.ws.close();
  });
});
