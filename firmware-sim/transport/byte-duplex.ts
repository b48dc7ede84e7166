// The byte pipe a simulated modem talks over: its serial side. Real modems sit behind a UART, a USB CDC port
// or a serial device server; all of them reduce to "bytes in, bytes out, may close", which is all the modem
// needs. Implementations: an in-memory pipe pair (tests), a TCP listener (serial device server), and a pty
// bridged to TCP by socat (outside AT programs such as gammu and smsd).

/** One end of a byte stream. */
export interface ByteDuplex {
  /** Sends bytes to the other end; silently dropped once closed (a serial line with nothing attached). */
  write(data: Uint8Array): void;
  /** Subscribes to bytes from the other end; returns the unsubscribe function. */
  onData(listener: (data: Uint8Array) => void): () => void;
  /** Closes this end (and, for a pipe, tells the other end). Idempotent. */
  close(): void;
}

/** Text to bytes as the modem writes them (AT traffic is ASCII; anything else goes out as UTF-8). */
export function asciiBytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
