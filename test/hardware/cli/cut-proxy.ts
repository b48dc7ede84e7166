// A TCP proxy between the tool and the handset's console that pulls the cable once: when the tool's bytes
// contain `trigger` (e.g. AT+TSCOMMIT), they are not forwarded (or, with `forward`, forwarded but never answered)
// and both sockets are closed at once, as if the USB cable came out just before (or just after) that command. Later connections pass through.
import net from 'node:net';
import { onTestFinished } from 'vitest';

/** `forward`: the trigger's bytes still reach the handset (the cable goes just after), else they are lost. */
export async function cutProxy(targetPort: number, trigger: string, options: { forward?: boolean } = {}): Promise<{ spec: string; cuts: () => number }> {
  let cuts = 0;
  let armed = true;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    sockets.add(client).add(upstream);
    let seen = '';
    client.on('data', (b: Buffer) => {
      seen += b.toString('latin1');
      if (armed && seen.includes(trigger)) {
        armed = false;
        cuts++;
        client.destroy();
        if (options.forward === true) upstream.end(b);
        else upstream.destroy();
        return;
      }
      upstream.write(b);
    });
    upstream.on('data', (b: Buffer) => client.writable && client.write(b));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  onTestFinished(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(() => r(undefined)));
  });
  return { spec: `tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}`, cuts: () => cuts };
}
