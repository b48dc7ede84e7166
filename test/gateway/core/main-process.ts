// gateway/main.ts as a child process for the tests of its command line (main.test.ts,
// retention-clock-flag.test.ts): its output collected, its exit code awaited.
import { spawn } from 'node:child_process';

export type MainProcess = ReturnType<typeof runMain>;

/** Starts `gateway/main.ts` with `args` (and `env` over the test's own). */
export function runMain(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

/** The URL the gateway prints once it listens; rejects if it exits first. */
export function listening(p: MainProcess): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /listening on (http:\/\/\S+)/.exec(p.out());
      if (m !== null) {
        clearInterval(t);
        resolve(m[1] as string);
      }
    }, 50);
    void p.exited.then((code) => {
      clearInterval(t);
      reject(new Error(`exited ${code}: ${p.err()}`));
    });
  });
}
