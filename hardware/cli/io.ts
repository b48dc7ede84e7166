// What a command needs from the outside world, injected so tests run the CLI in-process: output streams, the
// environment, and the few effects (open a port, list ports, fetch, random bytes, time).

import { randomBytes } from 'node:crypto';
import { openPort, type ListPortsOptions, type Port } from '../ports/index.js';

/** Ctrl-C, kill, and the terminal closing. */
const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** ExitCode.INTERRUPTED (exit-codes.ts imports provisioning types; io.ts stays below it). */
const INTERRUPTED_EXIT = 130;

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
  /**
   * Takes over Ctrl-C (SIGINT, SIGTERM, SIGHUP) while a command must not die mid-way: `handler(false)` on the
   * first, `handler(true)` on the next, after which the process exits (130). Returns the function that gives
   * the signals back. Absent: signals do what they always do.
   */
  readonly onInterrupt?: (handler: (again: boolean) => void) => () => void;
};

let outputErrorsIgnored = false;

/** The real world: process streams and environment, hardware/ports, global fetch, node:crypto. */
export function processIo(): CliIo {
  // A terminal that hangs up (the window closed, the ssh session dropped: SIGHUP) or a closed pipe makes every
  // later write fail (EIO, EPIPE); unhandled, that error killed the tool mid-procedure, before or during the wipe
  // that keeps a handset from staying provisioned but unregistered. Output is best effort; the procedure goes on.
  if (!outputErrorsIgnored) for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
  outputErrorsIgnored = true;
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
    onInterrupt: (handler) => {
      let count = 0;
      const listener = (): void => {
        count++;
        handler(count > 1);
        if (count > 1) process.exit(INTERRUPTED_EXIT);
      };
      for (const s of INTERRUPT_SIGNALS) process.on(s, listener);
      return () => {
        for (const s of INTERRUPT_SIGNALS) process.off(s, listener);
      };
    },
  };
}
