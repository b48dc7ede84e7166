// The handset's USB serial exposed on TCP (tcp://127.0.0.1:7201... in the simulator), the way the engineer's
// tool reaches it through a serial device server or socat. One client at a time; each new connection starts a
// fresh console session, and a client that goes (closed, reset) ends its session as a pulled cable would: an
// AT+TSGPS stream stops and the handset leaves `provisioning`. (A half-open connection looks idle: the next client
// ends it.)

import { TcpSerialServer } from '../transport/tcp-serial-server.js';
import type { ProvisioningConsole } from './console.js';

/** Listens on `port` (0 = any free port, read back from `.port`) and serves `usb` there. */
export async function serveConsoleOverTcp(usb: ProvisioningConsole, port: number, host = '127.0.0.1'): Promise<TcpSerialServer> {
  const server = await TcpSerialServer.listen({ port, host });
  usb.attach(server);
  server.onConnection(() => usb.newConnection());
  server.onDisconnect(() => usb.newConnection());
  return server;
}
