import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PortCloseCode, PortErrorCode, isPortError, openPort, type PortCloseReason } from '../../../hardware/ports/index.js';

/** A raw-TCP "device server" in the test: records what it receives, hands out the accepted socket. */
async function deviceServer() {
  const sockets: net.Socket[] = [];
  const accepted: Array<(s: net.Socket) => void> = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    for (const a of accepted.splice(0)) a(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  return {
    spec: `tcp://127.0.0.1:${port}`,
    port,
    next: () => (sockets.length > 0 ? Promise.resolve(sockets[sockets.length - 1] as net.Socket) : new Promise<net.Socket>((r) => accepted.push(r))),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function readUntil(s: net.Socket, want: string): Promise<string> {
  let got = '';
  return new Promise((resolve) => {
    const on = (b: Buffer) => {
      got += b.toString('latin1');
      if (got.includes(want)) {
        s.off('data', on);
        resolve(got);
      }
    };
    s.on('data', on);
  });
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('tcp:// ports', () => {
  it('carries bytes both ways', async () => {
    const srv = await deviceServer();
    cleanups.push(srv.close);
    const port = await openPort(srv.spec);
    expect(port.kind).toBe('tcp');
    const far = await srv.next();
    const farGot = readUntil(far, 'AT+CMGS=23\r');
    await port.write(Buffer.from('AT\r'));
    await port.write(Buffer.from('AT+CMGS=23\r'));
    expect(await farGot).toBe('AT\rAT+CMGS=23\r');
    let got = '';
    const arrived = new Promise<void>((r) =>
      port.onData((b) => {
        got += Buffer.from(b).toString('latin1');
        if (got.includes('> ')) r();
      }),
    );
    far.write('\r\nOK\r\n');
    far.write(Buffer.from([0x0d, 0x0a, 0x3e, 0x20]));
    await arrived;
    expect(got).toBe('\r\nOK\r\n\r\n> ');
    await port.close();
  });

  it('reports the far end closing, so the gateway can reopen', async () => {
    const srv = await deviceServer();
    cleanups.push(srv.close);
    const port = await openPort(srv.spec);
    const reason = new Promise<PortCloseReason>((r) => port.onClose(r));
    (await srv.next()).end();
    const r = await reason;
    expect(r.code).toBe(PortCloseCode.REMOTE_CLOSED);
    expect(r.message).toContain(srv.spec);
    expect(port.isOpen).toBe(false);
    const e = await port.write(Buffer.from('AT\r')).catch((x: unknown) => x);
    expect(isPortError(e, PortErrorCode.NOT_OPEN)).toBe(true);
    // Reopening the same spec gives a fresh, working port.
    const again = await openPort(srv.spec);
    expect(again.isOpen).toBe(true);
    await again.close();
  });

  it('reports a reset connection as lost', async () => {
    const srv = await deviceServer();
    cleanups.push(srv.close);
    const port = await openPort(srv.spec);
    (await srv.next()).resetAndDestroy();
    const r = await port.closed;
    expect(r.code).toBe(PortCloseCode.CONNECTION_LOST);
    expect(r.message).toMatch(/ECONNRESET/);
  });

  it('a local close is reported as such and is seen by the far end', async () => {
    const srv = await deviceServer();
    cleanups.push(srv.close);
    const port = await openPort(srv.spec);
    const far = await srv.next();
    const farEnded = new Promise<void>((r) => far.on('end', r));
    await port.close();
    await farEnded;
    expect((await port.closed).code).toBe(PortCloseCode.LOCAL);
  });

  it('a refused connection is PORT_REFUSED, retryable, with advice', async () => {
    const srv = await deviceServer();
    await srv.close(); // nothing listens on this port now
    const e = await openPort(srv.spec).catch((x: unknown) => x);
    expect(isPortError(e, PortErrorCode.REFUSED)).toBe(true);
    expect((e as Error).message).toContain(srv.spec);
    expect((e as Error).message).toMatch(/running/);
    expect((e as { retryable: boolean }).retryable).toBe(true);
  });

  it('an unknown host is PORT_HOST_NOT_FOUND', async () => {
    // .invalid is reserved (RFC 6761): it never resolves.
    const e = await openPort('tcp://no-such-device-server.invalid:4001').catch((x: unknown) => x);
    expect(isPortError(e, PortErrorCode.HOST_NOT_FOUND)).toBe(true);
    expect((e as Error).message).toContain('no-such-device-server.invalid');
  });
});
