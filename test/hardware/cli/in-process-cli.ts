// `tecsos` run in this process against real ports (tcp:// to a test's device), for tests whose device is a
// plain socket rather than the simulated handset of rig.ts: its exit code and what it printed.
import { runCli } from '../../../hardware/cli/main.js';
import type { CliIo } from '../../../hardware/cli/io.js';
import { openPort } from '../../../hardware/ports/index.js';

/** Runs `tecsos ...args` with `home` as the engineer's home folder (no key file there unless the test puts one). */
export async function runTecsos(args: readonly string[], home = '/nonexistent'): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: {},
    openPort: (s) => openPort(s),
    fetch: globalThis.fetch,
    randomBytes: (n) => new Uint8Array(n),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    now: () => Date.now(),
    home,
  };
  const code = await runCli(args, io);
  return { code, stdout, stderr };
}
