// The one interface every opened serial line has, whatever is behind it (a device, a mock, a TCP device
// server). It is deliberately the AT engine's Transport shape: write bytes, receive bytes, learn of the close.

import type { PortKind } from './spec.js';

/** Why a port closed. The gateway reopens with backoff on anything but {@link PortCloseCode.LOCAL}. */
export const PortCloseCode = {
  /** `close()` was called on this side. */
  LOCAL: 'PORT_CLOSED_LOCALLY',
  /** The device went away or failed (USB adapter unplugged, pty's other end closed, I/O error). */
  DISCONNECTED: 'PORT_DISCONNECTED',
  /** The TCP far end closed the connection in an orderly way (device server restarted, simulator stopped). */
  REMOTE_CLOSED: 'PORT_REMOTE_CLOSED',
  /** The TCP connection failed (reset, timed out by keepalive). */
  CONNECTION_LOST: 'PORT_CONNECTION_LOST',
} as const;
export type PortCloseCode = (typeof PortCloseCode)[keyof typeof PortCloseCode];

/** How a port ended: a code, a readable message naming the port, and the system error if there was one. */
export type PortCloseReason = {
  readonly code: PortCloseCode;
  readonly message: string;
  readonly error?: Error;
};

/**
 * An open serial line. Bytes are delivered in order to every `onData` listener; bytes that arrive before the
 * first listener is attached are kept (up to 64 KiB, after which reading pauses) and delivered to it, so
 * nothing the modem says between open and the AT engine's start is lost.
 *
 * A port is used once: after it closes, open the same spec again (the gateway keeps the spec, not the port).
 */
export interface Port {
  /** The spec it was opened from, as given (for logs and metrics). */
  readonly spec: string;
  readonly kind: PortKind;
  /** True until the port closes (either side). */
  readonly isOpen: boolean;
  /**
   * Sends bytes (text is sent one byte per character, latin1: AT commands are ASCII). Resolves when they are
   * handed to the operating system (written to the device or the TCP socket), in order with other writes.
   * Rejects with a PortError (`PORT_NOT_OPEN`, `PORT_IO`) if the port is closed or fails.
   */
  write(bytes: Uint8Array | string): Promise<void>;
  /** Adds a listener for received bytes; returns a function that removes it. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /**
   * Adds a listener called once when the port closes, with the reason; if it is already closed, the
   * listener is called soon (never synchronously) with the reason. Returns a function that removes it.
   */
  onClose(listener: (reason: PortCloseReason) => void): () => void;
  /** Settles with the close reason once the port has closed. */
  readonly closed: Promise<PortCloseReason>;
  /** Closes the port (idempotent); resolves when it is closed. The close reason is `PORT_CLOSED_LOCALLY`. */
  close(): Promise<void>;
}
