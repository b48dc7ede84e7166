// A Port over a Node Duplex stream: node-serialport's SerialPortStream (devices and mocks) and net.Socket
// (TCP) share this one implementation, so all three kinds behave the same to their users. What differs
// (how to close, how to name a close) is passed in by the opener.

import type { Duplex } from 'node:stream';
import { PortError, PortErrorCode } from './errors.js';
import { PortCloseCode, type Port, type PortCloseReason } from './port.js';
import type { PortKind } from './spec.js';

/** Bytes kept for a port nobody listens to yet, before reading pauses (backpressure to the device/socket). */
const UNCLAIMED_LIMIT = 64 * 1024;

/** What an opener tells {@link DuplexPort} about its stream. */
export type DuplexPortDriver = {
  /** Ends the stream; must lead to its 'close' event. */
  readonly end: (stream: Duplex) => void;
  /** Names the close: `error` is the last 'error' (or serialport's disconnect error), `remoteEnded` a TCP FIN. */
  readonly closeReason: (error: Error | undefined, remoteEnded: boolean) => PortCloseReason;
};

export class DuplexPort implements Port {
  private readonly dataListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly closeListeners = new Set<(reason: PortCloseReason) => void>();
  private unclaimed: Buffer[] = [];
  private unclaimedBytes = 0;
  private reason: PortCloseReason | undefined;
  private closingLocally = false;
  private lastError: Error | undefined;
  private remoteEnded = false;
  private resolveClosed!: (r: PortCloseReason) => void;
  readonly closed: Promise<PortCloseReason>;

  constructor(
    readonly kind: PortKind,
    readonly spec: string,
    private readonly stream: Duplex,
    private readonly driver: DuplexPortDriver,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    stream.on('data', (chunk: Buffer) => this.received(chunk));
    stream.on('error', (e: Error) => (this.lastError = e));
    stream.on('end', () => (this.remoteEnded = true));
    // SerialPortStream passes its DisconnectedError to 'close'; net.Socket passes a hadError boolean.
    stream.on('close', (arg: unknown) => this.finish(arg instanceof Error ? arg : this.lastError));
  }

  get isOpen(): boolean {
    return this.reason === undefined && !this.closingLocally;
  }

  write(bytes: Uint8Array | string): Promise<void> {
    if (!this.isOpen) return Promise.reject(this.notOpen());
    const buf =
      typeof bytes === 'string'
        ? Buffer.from(bytes, 'latin1')
        : Buffer.isBuffer(bytes)
          ? bytes
          : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return new Promise((resolve, reject) => {
      this.stream.write(buf, (err) => {
        if (err === null || err === undefined) resolve();
        else if (!this.isOpen) reject(this.notOpen());
        else reject(new PortError(PortErrorCode.IO, this.spec, `write to port ${this.spec} failed: ${err.message}`, { cause: err }));
      });
    });
  }

  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    if (this.unclaimed.length > 0) {
      const backlog = this.unclaimed;
      this.unclaimed = [];
      this.unclaimedBytes = 0;
      for (const chunk of backlog) listener(chunk);
    }
    if (this.stream.isPaused() && this.reason === undefined) this.stream.resume();
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: (reason: PortCloseReason) => void): () => void {
    const reason = this.reason;
    if (reason !== undefined) {
      let removed = false;
      queueMicrotask(() => removed || listener(reason));
      return () => (removed = true);
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.reason === undefined && !this.closingLocally) {
      this.closingLocally = true;
      this.driver.end(this.stream);
    }
    await this.closed;
  }

  private received(chunk: Buffer): void {
    if (this.dataListeners.size === 0) {
      this.unclaimed.push(chunk);
      this.unclaimedBytes += chunk.length;
      if (this.unclaimedBytes >= UNCLAIMED_LIMIT) this.stream.pause();
      return;
    }
    for (const listener of this.dataListeners) listener(chunk);
  }

  private finish(error: Error | undefined): void {
    if (this.reason !== undefined) return;
    const reason: PortCloseReason = this.closingLocally
      ? { code: PortCloseCode.LOCAL, message: `port ${this.spec} closed` }
      : this.driver.closeReason(error, this.remoteEnded);
    this.reason = reason;
    for (const listener of this.closeListeners) listener(reason);
    this.closeListeners.clear();
    this.resolveClosed(reason);
  }

  private notOpen(): PortError {
    const why = this.reason === undefined ? 'it is closing' : this.reason.message;
    return new PortError(PortErrorCode.NOT_OPEN, this.spec, `port ${this.spec} is not open (${why})`);
  }
}
