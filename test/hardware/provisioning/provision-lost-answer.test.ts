// The gateway stores the registration but its answer is lost (a 502 from a proxy, a timeout). The tool wipes
// the handset, as after any registration failure; it used to say "run the same command again", which the
// gateway then refuses (the id is registered). It now sees the stored registration and says to use --replace.
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


/** A gateway that stores each registration and answers it with `status` (its list shows what it stored). */
function gateway(status: number) {
  const stored: Record<string, unknown>[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    if (path === '/api/login') return Response.json({ username: 'engineer', role: 'engineer' });
    if (path === '/api/handsets' && init.method === 'GET') {
      return Response.json({
        handsets: stored.map((b) => ({ id: b['id'], number: b['number'], imei: b['imei'], force: b['force'], testMode: false, registeredAt: '2026-11-23T10:00:00.000Z', batteryPct: null, csq: null, lastReportAt: null, lastHeartbeatAt: null })),
      });
    }
    if (path === '/api/handsets') {
      stored.push(JSON.parse(String(init.body)) as Record<string, unknown>);
      return new Response('<html>502 Bad Gateway</html>', { status });
    }
    return Response.json({});
  }) as unknown as typeof fetch;
  return { client: new GatewayClient('http://gw.test', fetchImpl), stored };
}

async function run(status: number) {
  const fake = await fakeConsole(0);
  cleanups.push(fake.close);
  const usb = new HandsetConsole(await openPort(fake.spec), { timeoutMs: 2000 });
  cleanups.push(() => usb.close());
  const gw = gateway(status);
  const result = await provision(fakeRequest(fake.spec), {
    usb,
    fleetKey: { path: '/nonexistent/fleet-key.pem', publicHex: '00'.repeat(32), sign: () => new Uint8Array(64) },
    gateway: gw.client,
    reportKey: () => new Uint8Array(32).fill(7),
    sleep: async () => undefined,
    now: () => Date.now(),
    progress: () => undefined,
  });
  return { result, fake, gw };
}

describe('provision: the registration stored but its answer lost', () => {
  it('wipes the handset and says to run again with --replace, which is what the gateway will need', async () => {
    const { result, fake, gw } = await run(502);
    expect(gw.stored).toHaveLength(1);
    expect(fake.handset.provisioned).toBe(false);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure).toMatchObject({ kind: 'gateway', handsetState: 'unprovisioned' });
    expect(result.failure.message).toMatch(/did store the registration/);
    expect(result.failure.next).toMatch(/--replace/);
  });

  it('a definite refusal (4xx) keeps the plain advice: nothing was stored', async () => {
    const { result, fake } = await run(409);
    expect(fake.handset.provisioned).toBe(false);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failure.next).not.toMatch(/--replace/);
    expect(result.failure.next).toMatch(/run the same tecsos provision command again/);
  });
});
