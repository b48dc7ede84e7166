// GatewayClient against answers that are not the gateway's: a 2xx with an HTML page (captive portal, proxy,
// the wrong server behind --gateway) or JSON of the wrong shape is a refusal, never a success. Before, a
// register answered 200 with a page was taken as success and provision crashed (exit 1) with the handset left
// provisioned and unregistered; a login or list answered so crashed with exit 1 instead of 6.
import { describe, expect, it } from 'vitest';
import { GatewayClient } from '../../../hardware/provisioning/gateway-client.js';

const view = {
  id: 'TS-0042', number: '+447700900123', imei: '356938035643809', force: 'Met', testMode: false,
  registeredAt: '2026-11-23T10:00:00.000Z', batteryPct: null, csq: null, lastReportAt: null, lastHeartbeatAt: null,
};

function client(status: number, body: string): GatewayClient {
  const fetchImpl = (async () => new Response(body, { status, headers: { 'content-type': 'text/html' } })) as unknown as typeof fetch;
  return new GatewayClient('http://gw.test:8080', fetchImpl);
}

const registration = {
  id: 'TS-0042', number: '+447700900123', imei: '356938035643809', key: '07'.repeat(32), force: 'Met',
  victim: { name: 'Jane', safetyNotes: '', riskMarkers: [] }, testMode: false, replace: false,
};

describe('GatewayClient: answers that are not the gateway\'s', () => {
  it.each([
    ['an HTML page', '<html>captive portal</html>'],
    ['an empty body', ''],
    ['JSON of another shape', '{"ok":true}'],
  ])('a 200 with %s is a refusal for login, list and register', async (_what, body) => {
    const gw = client(200, body);
    const login = await gw.login('engineer', 'pw');
    expect(login.ok).toBe(false);
    if (!login.ok) expect(login.failure).toMatchObject({ kind: 'refused', error: 'bad-answer' });
    const list = await gw.listHandsets();
    expect(list.ok).toBe(false);
    const reg = await gw.register(registration);
    expect(reg.ok).toBe(false);
    if (!reg.ok) expect(reg.failure.kind === 'refused' && reg.failure.message).toMatch(/is --gateway http:\/\/gw\.test:8080 the TecSOS gateway/);
  });

  it('a list whose handsets are not handset views is refused', async () => {
    expect((await client(200, '{"handsets":{"a":1}}').listHandsets()).ok).toBe(false);
    expect((await client(200, JSON.stringify({ handsets: [{ ...view, number: 5 }] })).listHandsets()).ok).toBe(false);
  });

  it('the gateway\'s real shapes are accepted', async () => {
    expect(await client(200, '{"username":"engineer","role":"engineer"}').login('engineer', 'pw')).toEqual({ ok: true, value: { username: 'engineer', role: 'engineer' } });
    expect(await client(200, JSON.stringify({ handsets: [view] })).listHandsets()).toEqual({ ok: true, value: [view] });
    const reg = await client(201, JSON.stringify({ accepted: true, seq: 12, handset: view })).register(registration);
    expect(reg.ok && reg.value.seq).toBe(12);
  });
});
