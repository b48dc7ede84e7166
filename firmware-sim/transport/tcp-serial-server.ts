// The serial side of a modem exposed as a TCP port, the way serial device servers (Moxa NPort, Lantronix)
// expose a control room's modem bank: raw bytes, no framing, no Telnet negotiation.
//
// One client at a time, like a serial line. A NEW CONNECTION REPLACES THE OLD ONE (the old socket is
// destroyed): a gateway that restarts after a crash, or whose old TCP session is half-open after a network
// blip, must get its line back at once rather than be refused until a keep-alive times out. Bytes the modem
// writes while no client is connected are dropped, as on a serial line with nothing plugged in.

import net from 'node:net';
import type { ByteDuplex } from './byte-duplex.js';

/** Where to listen; port 0 picks a free port (read it back from {@link TcpSerialServer.port}). */
export interface TcpSerialServerOptions {
  readonly host?: string;
  readonly port: number;
}

/** A TCP listener that is one {@link ByteDuplex} from the modem's point of view. */
export class TcpSerialServer implements ByteDuplex {
  private readonly server: net.Server;
  private client: net.Socket | undefined;
  private readonly listeners = new Set<(data: Uint8Array) => void>();
  private readonly connectionListeners = new Set<(remote: string) => void>();
  private readonly disconnectListeners = new Set<() => void>();
  private closed = false;

  private constructor(server: net.Server) {
    this.server = server;
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Starts listening; resolves once the port is bound (rejects with the bind error, e.g. EADDRINUSE). */
  static async listen(options: TcpSerialServerOptions): Promise<TcpSerialServer> {
    const server = net.createServer();
    const s = new TcpSerialServer(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return s;
  }

  /** The bound port. */
  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** True while a client is connected. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Called with the remote address each time a client connects (replacing any previous one). */
  onConnection(listener: (remote: string) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }

  /**
   * Called when the connected client goes (it closed, errored, or {@link dropClient}) and no other took its place;
   * not when a new connection replaces it (that is {@link onConnection}), nor on {@link closeAsync}.
   */
  onDisconnect(listener: () => void): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  write(data: Uint8Array): void {
    if (this.client !== undefined && !this.client.destroyed) this.client.write(data);
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    void this.closeAsync();
  }

  /** Drops the connected client, if any (a device server losing its link); the port keeps listening. */
  dropClient(): boolean {
    const c = this.client;
    if (c === undefined) return false;
    this.client = undefined;
    c.destroy();
    this.disconnected();
    return true;
  }

  /** Stops listening and drops the client; resolves when the port is released. */
  async closeAsync(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client?.destroy();
    this.client = undefined;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.client?.destroy();
    this.client = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.client !== socket) return;
      const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (const l of [...this.listeners]) l(bytes);
    });
    const drop = (): void => {
      if (this.client !== socket) return;
      this.client = undefined;
      if (!this.closed) this.disconnected();
    };
    socket.on('close', drop);
    socket.on('error', drop);
    const remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    for (const l of [...this.connectionListeners]) l(remote);
  }

  private disconnected(): void {
    for (const l of [...this.disconnectListeners]) l();
  }
}
