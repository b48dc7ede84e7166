// The AT engine's view of a port (protocol/at Transport: write bytes, receive bytes, close). A Port already has
// that shape; toTransport narrows it so the engine sees only those three, and the gateway keeps the Port for
// `onClose` (reopen with backoff) and `spec` (logs, metrics).

import type { Transport } from '../../protocol/at/index.js';
import type { Port } from './port.js';

/** The Transport for `port`: writes, data and close go straight through. */
export function toTransport(port: Port): Transport {
  return {
    write: (bytes) => port.write(bytes),
    onData: (receiver) => port.onData(receiver),
    close: () => port.close(),
  };
}
