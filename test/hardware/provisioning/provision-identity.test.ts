// A handset whose AT+TSINFO? id or IMEI the gateway cannot register (HandsetRegisterRequest: id upper-case
// letters, digits and -, at most 16; IMEI 15 digits) is refused at the identify step, before anything is
// written. It used to be authenticated, keyed, committed, self-tested (the engineer pressing its button), and only
// then refused by the gateway with a 400, wiped, and reported as a gateway problem to fix "then run the same
// command again", which would do it all again.
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

async function run(identity: { id?: string; imei?: string }) {
  const fake = await fakeConsole(0, identity);
  cleanups.push(fake.close);
  const usb = new HandsetConsole(await openPort(fake.spec), { timeoutMs: 2000 });
  cleanups.push(() => usb.close());
  const requests: string[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    requests.push(`${init.method} ${new URL(url).pathname}`);
    if (new URL(url).pathname === '/api/login') return Response.json({ username: 'engineer', role: 'engineer' });
    return Response.json({ handsets: [] });
  }) as unknown as typeof fetch;
  const result = await provision(fakeRequest(fake.spec), {
    usb,
    fleetKey: { path: '/nonexistent/fleet-key.pem', publicHex: '00'.repeat(32), sign: () => new Uint8Array(64) },
    gateway: new GatewayClient('http://gw.test', fetchImpl),
    reportKey: () => new Uint8Array(32).fill(7),
    sleep: async () => undefined,
    now: () => Date.now(),
    progress: () => undefined,
  });
  return { result, fake, requests };
}

describe('provision: a handset identity the gateway cannot register', () => {
  for (const [what, identity] of [
    ['a lower-case id', { id: 'ts-0042' }],
    ['an id longer than 16', { id: 'TS-00420042004200420' }],
    ['a 14-digit IMEI', { imei: '35693803564380' }],
  ] as const) {
    it(`${what}: refused at identify, nothing authenticated, written or sent to the gateway`, async () => {
      const { result, fake, requests } = await run(identity);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.failure).toMatchObject({ kind: 'handset', handsetState: 'unchanged' });
      expect(result.failure.message).toMatch(/cannot be registered/);
      expect(fake.handset.commands).toEqual(['AT+TSINFO?']);
      expect(requests).toEqual([]);
    });
  }
});
