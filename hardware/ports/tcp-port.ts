// tcp://host:port: a serial line reached through a serial device server (Moxa NPort, Lantronix and the like in
// "raw TCP server" mode: the bytes of the TCP stream are the bytes on the wire, no Telnet/RFC 2217 framing) or
// through the simulator. Line settings (baud, framing) live on the device server, so the spec has none.
//
// Nagle is off (AT commands are small and latency matters more than packets) and keepalive is on, so a far end
// that vanishes without a FIN (power cut, cable) is eventually noticed by the kernel; Node 20 can set only the
// idle time before the first probe, so the AT engine's own liveness poll is what notices a dead line quickly.

import net from 'node:net';
import { DuplexPort } from './duplex-port.js';
import { PortError, PortErrorCode, openError } from './errors.js';
import { PortCloseCode, type Port } from './port.js';
import type { PortSpec } from './spec.js';

export type TcpOptions = {
  /** Give up connecting after this long (default 5000 ms): `PORT_UNREACHABLE`. */
  readonly connectTimeoutMs?: number;
  /** Idle time before the first keepalive probe (default 10000 ms). */
  readonly keepAliveMs?: number;
};

/** How long a locally closed socket may take to finish its FIN handshake before it is destroyed. */
const END_GRACE_MS = 1000;

export async function openTcpPort(spec: Extract<PortSpec, { kind: 'tcp' }>, options: TcpOptions = {}): Promise<Port> {
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  const socket = net.connect({ host: spec.host, port: spec.port });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new PortError(PortErrorCode.UNREACHABLE, spec.spec, `cannot open port ${spec.spec}: no answer within ${timeoutMs} ms; check the network path to the device server`),
      );
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve();
    });
    socket.once('error', (e) => {
      clearTimeout(timer);
      socket.destroy();
      reject(openError(spec.spec, e));
    });
  });
  socket.setNoDelay(true);
  socket.setKeepAlive(true, options.keepAliveMs ?? 10_000);
  return new DuplexPort('tcp', spec.spec, socket, {
    end: (s) => {
      s.end();
      setTimeout(() => s.destroy(), END_GRACE_MS).unref();
    },
    closeReason: (error, remoteEnded) =>
      error !== undefined
        ? { code: PortCloseCode.CONNECTION_LOST, message: `connection to ${spec.spec} lost: ${error.message}`, error }
        : {
            code: remoteEnded ? PortCloseCode.REMOTE_CLOSED : PortCloseCode.CONNECTION_LOST,
            message: remoteEnded ? `${spec.spec} closed the connection` : `connection to ${spec.spec} closed`,
          },
  });
}
