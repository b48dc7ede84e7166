// The real simulated handset's console behind a slow line: a TCP proxy that passes the handset's bytes to the
// tool at about 50 bytes/s (a slow USB-serial adapter, a serial device server on a poor link). AT+TSCFG?'s
// answer (16 settings, about 500 bytes) takes about 10 s. Before, the tool's 5 s command timeout ran from the
// command, so `tecsos provision` failed at the authenticate step with 'no answer from the handset' while the
// handset was still answering; now the timeout runs from the last byte.
import net from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openPort } from '../../../hardware/ports/index.js';
import { authenticate } from '../../../hardware/provisioning/authenticate.js';
import { loadFleetKey } from '../../../hardware/provisioning/fleet-key.js';
import { HandsetConsole } from '../../../hardware/provisioning/handset-console.js';
import { HANDSET_ID, makeRig } from '../cli/rig.js';

/** A proxy to `targetPort` whose handset-to-tool direction carries one byte every `byteMs`; `sent()` counts them. */
async function slowProxy(targetPort: number, byteMs: number): Promise<{ spec: string; sent: () => number }> {
  let sent = 0;
  const sockets = new Set<net.Socket>();
  const timers = new Set<ReturnType<typeof setInterval>>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    const pending: number[] = [];
    const pump = setInterval(() => {
      const b = pending.shift();
      if (b === undefined || !client.writable) return;
      sent++;
      client.write(Uint8Array.of(b));
    }, byteMs);
    timers.add(pump);
    client.on('data', (b: Buffer) => upstream.write(b));
    upstream.on('data', (b: Buffer) => pending.push(...b));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  onTestFinished(async () => {
    for (const t of timers) clearInterval(t);
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(() => r(undefined)));
  });
  return { spec: `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`, sent: () => sent };
}

describe('the console client over a 50 bytes/s line to the simulated handset', () => {
  it('reads AT+TSCFG? whole (about 10 s) with the default 5 s timeout', async () => {
    const rig = await makeRig({ gateway: false });
    const proxy = await slowProxy(rig.server.port, 20);
    const key = await loadFleetKey(rig.keyFile);
    if (!key.ok) throw new Error(key.message);
    const usb = new HandsetConsole(await openPort(proxy.spec));
    onTestFinished(() => usb.close());
    expect((await authenticate(usb, key.value, HANDSET_ID)).ok).toBe(true);
    const before = proxy.sent();
    const cfg = await usb.readConfig();
    expect(cfg.ok ? [...cfg.value.keys()] : cfg.failure).toContain('gateway');
    // The point of the test: at one byte per 20 ms at best, more than 250 bytes take longer than the 5 s timeout.
    expect(proxy.sent() - before).toBeGreaterThan(250);
  }, 60_000);
});
