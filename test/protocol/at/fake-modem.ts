// A scripted stand-in for a modem's serial side: records what the engine writes and delivers whatever the test
// says, in the chunk sizes the test chooses (byte-at-a-time included). Optionally answers by itself.

import type { Transport } from '../../../protocol/at/index.js';

const latin1 = (bytes: Uint8Array): string => String.fromCharCode(...bytes);
export const bytesOf = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

export class FakeModem implements Transport {
  /** Every write, decoded byte-for-char. */
  readonly written: string[] = [];
  closed = false;
  /** Chunk size for {@link feed} (1 = byte at a time). */
  chunk = Number.POSITIVE_INFINITY;
  /** Automatic answer to a write (called after recording it); return text to send back. */
  respond: ((written: string) => string | undefined) | undefined;
  private receiver: ((bytes: Uint8Array) => void) | undefined;

  write(bytes: Uint8Array): void {
    const s = latin1(bytes);
    this.written.push(s);
    const reply = this.respond?.(s);
    if (reply !== undefined) this.feed(reply);
  }

  onData(receiver: (bytes: Uint8Array) => void): () => void {
    this.receiver = receiver;
    return () => {
      this.receiver = undefined;
    };
  }

  close(): void {
    this.closed = true;
  }

  /** Sends text (chars 0..255 = bytes) to the engine in chunks of `chunk` bytes. */
  feed(text: string, chunk = this.chunk): void {
    this.feedBytes(bytesOf(text), chunk);
  }

  feedBytes(bytes: Uint8Array, chunk = this.chunk): void {
    const size = Math.max(1, Math.min(chunk, bytes.length || 1));
    for (let i = 0; i < bytes.length; i += size) this.receiver?.(bytes.slice(i, i + size));
  }

  get last(): string | undefined {
    return this.written[this.written.length - 1];
  }
}

/** Lets resolved promises' callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

/** A promise's state without waiting for it. */
export function track<T>(p: Promise<T>): { readonly done: boolean; readonly value: T | undefined } {
  const box: { done: boolean; value: T | undefined } = { done: false, value: undefined };
  void p.then((v) => {
    box.done = true;
    box.value = v;
  });
  return box;
}
