// An in-memory null-modem cable: what one end writes, the other end's listeners receive, synchronously and
// in order. Tests plug a SimModem into one end and a test driver (or the AT engine) into the other.

import type { ByteDuplex } from './byte-duplex.js';

class PipeEnd implements ByteDuplex {
  private readonly listeners = new Set<(data: Uint8Array) => void>();
  peer: PipeEnd | undefined;
  private closed = false;

  write(data: Uint8Array): void {
    if (this.closed || this.peer === undefined || this.peer.closed) return;
    this.peer.deliver(data.slice());
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    if (this.peer !== undefined) this.peer.closed = true;
  }

  private deliver(data: Uint8Array): void {
    for (const l of [...this.listeners]) l(data);
  }
}

/** Two connected ends: `a.write` reaches `b`'s listeners and vice versa. Closing either closes both. */
export function createPipePair(): [ByteDuplex, ByteDuplex] {
  const a = new PipeEnd();
  const b = new PipeEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
