// The byte pipe under the AT engine. Serial ports, TCP serial servers, the simulator and the tests' scripted
// fake modem all implement it; the engine knows nothing else about the line.

/** A full-duplex byte link to one modem. */
export interface Transport {
  /** Sends bytes. May return a promise; a rejection (or a throw) is reported as a transport error. */
  write(bytes: Uint8Array): void | Promise<void>;
  /** Registers the one receiver of incoming bytes (chunks of any size); returns a function that removes it. */
  onData(receiver: (bytes: Uint8Array) => void): () => void;
  /** Closes the link. */
  close(): void | Promise<void>;
}
