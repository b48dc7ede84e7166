// A handset that answers AT+TSCOMMIT late (a slow flash write) on a line that stays up. Its console runs
// commands one at a time, in order, like the firmware's. The commit lands after the tool stopped waiting, so a
// reconnect-and-look (the lost-line path) saw "not provisioned", reported the handset unchanged, and the
// handset then became provisioned with a key the gateway never received. The tool must wipe on the same line
// instead: the wipe runs after the late commit, whatever it did.
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

describe('provision: AT+TSCOMMIT answered late on a live line', () => {
  it('wipes on the same line: the handset ends unprovisioned, as the tool reports', async () => {
    const fake = await fakeConsole(600);
    cleanups.push(fake.close);
    const usb = new HandsetConsole(await openPort(fake.spec), { timeoutMs: 200 });
    cleanups.push(() => usb.close());
    const registrations: unknown[] = [];
    const fetchImpl = (async (url: string, init: RequestInit) => {
      const path = new URL(url).pathname;
      if (path === '/api/login') return Response.json({ username: 'engineer', role: 'engineer' });
      if (path === '/api/handsets' && init.method === 'GET') return Response.json({ handsets: [] });
      registrations.push(init.body);
      return Response.json({}, { status: 500 });
    }) as unknown as typeof fetch;
    const req = fakeRequest(fake.spec);
    let reopened = 0;
    const result = await provision(req, {
      usb,
      fleetKey: { path: req.keyFile, publicHex: '00'.repeat(32), sign: () => new Uint8Array(64) },
      gateway: new GatewayClient('http://gw.test', fetchImpl),
      reportKey: () => new Uint8Array(32).fill(7),
      sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 50))),
      now: () => Date.now(),
      progress: () => undefined,
      reopen: async () => {
        reopened++;
        return new HandsetConsole(await openPort(fake.spec), { timeoutMs: 200 });
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    // Whatever the tool says about the handset must be what it is once the late commit has landed.
    await new Promise((r) => setTimeout(r, 800));
    expect(result.failure.handsetState).toBe('unprovisioned');
    expect(fake.handset.provisioned).toBe(false);
    expect(fake.handset.commands).toContain('AT+TSWIPE');
    expect(fake.handset.commands.indexOf('AT+TSWIPE')).toBeGreaterThan(fake.handset.commands.indexOf('AT+TSCOMMIT'));
    expect(result.failure.kind).toBe('port');
    expect(reopened).toBe(0);
    expect(registrations).toEqual([]);
  });
});
