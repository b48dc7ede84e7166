// The key check: after the registration the handset sends a TST signed with its new key, and the tool waits for
// the gateway's lastReportAt to move. It compared with lastReportAt as listed at the gateway step, before the
// authentication: a report signed with the OLD key that the gateway accepted meanwhile (re-provisioning with
// --replace a handset that is tracking, or an SMS delayed in the network) moved it, and the new key was taken
// as verified though no report signed with it ever arrived. The mark is now taken after the registration, when
// the gateway holds the new key and rejects the old one.
import { afterEach, describe, expect, it } from 'vitest';
import { openPort } from '../../../hardware/ports/index.js';
import { GatewayClient } from '../../../hardware/provisioning/gateway-client.js';
import { HandsetConsole } from '../../../hardware/provisioning/handset-console.js';
import { provision } from '../../../hardware/provisioning/provision.js';
import { fakeConsole, fakeRequest } from './fake-console.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const view = (lastReportAt: string | null) => ({
  id: 'TS-0042', number: '+447700900123', imei: '356938035643809', force: 'Met', testMode: false,
  registeredAt: '2026-11-20T10:00:00.000Z', batteryPct: 80, csq: 20, lastReportAt, lastHeartbeatAt: null,
});

describe('provision: verifying the new key by a test report', () => {
  it('a report accepted before the registration (old key) does not pass for the test report', async () => {
    const fake = await fakeConsole(0);
    cleanups.push(fake.close);
    const usb = new HandsetConsole(await openPort(fake.spec), { timeoutMs: 2000 });
    cleanups.push(() => usb.close());
    // The handset was registered and reporting; a TRK signed with its old key is accepted while the tool works.
    let lastReportAt = '2026-11-24T09:00:00.000Z';
    const fetchImpl = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === '/api/login') return Response.json({ username: 'engineer', role: 'engineer' });
      if (path === '/api/handsets' && init.method === 'GET') {
        const answer = Response.json({ handsets: [view(lastReportAt)] });
        lastReportAt = '2026-11-24T09:00:30.000Z';
        return answer;
      }
      if (path === '/api/handsets') return Response.json({ accepted: true, seq: 9, handset: view(lastReportAt) }, { status: 201 });
      return Response.json({});
    }) as unknown as typeof fetch;
    // AT+TSTEST is answered OK, but no report signed with the new key ever reaches the gateway.
    let t = 0;
    const req = fakeRequest(fake.spec);
    const result = await provision({ ...req, registration: { ...req.registration, replace: true }, verifyReportMs: 10_000 }, {
      usb,
      fleetKey: { path: '/nonexistent/fleet-key.pem', publicHex: '00'.repeat(32), sign: () => new Uint8Array(64) },
      gateway: new GatewayClient('http://gw.test', fetchImpl),
      reportKey: () => new Uint8Array(32).fill(7),
      sleep: async (ms) => void (t += ms),
      now: () => t,
      progress: () => undefined,
    });
    expect(fake.handset.commands).toContain('AT+TSTEST');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure).toMatchObject({ kind: 'verification', handsetState: 'provisioned' });
    expect(result.failure.message).toMatch(/no report from it reached the gateway/);
  });
});
