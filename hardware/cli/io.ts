// What a command needs from the outside world, injected so tests run the CLI in-process: output streams, the
// environment, and the few effects (open a port, list ports, fetch, random bytes, time).

import { randomBytes } from 'node:crypto';
import { openPort, type ListPortsOptions, type Port } from '../ports/index.js';

export type CliIo = {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly openPort: (spec: string) => Promise<Port>;
  readonly listOptions?: ListPortsOptions;
  readonly fetch: typeof fetch;
  readonly randomBytes: (n: number) => Uint8Array;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /** The user's home directory (default key locations). */
  readonly home: string;
};

/** The real world: process streams and environment, hardware/ports, global fetch, node:crypto. */
export function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    openPort: (spec) => openPort(spec),
    fetch: globalThis.fetch,
    randomBytes: (n) => new Uint8Array(randomBytes(n)),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => Date.now(),
    home: process.env['HOME'] ?? process.cwd(),
  };
}
