// The gateway as an operator runs it: `gateway/main.ts` in a child process (tsx), wall clock, its own pino
// output captured. Used by the SIGKILL system test and the restart benchmark. Kill it with `kill()` (SIGKILL)
// or `stop()` (SIGTERM, resolves with the exit code).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const DEMO_PASSWORD = 'system-test-password';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

export type GatewayProcess = {
  readonly child: ChildProcess;
  /** Resolves with the base URL once the gateway prints "listening on"; rejects if it exits first. */
  readonly url: Promise<string>;
  readonly exited: Promise<number | null>;
  output(): string;
  /** SIGKILL, then waits for the exit. */
  kill(): Promise<void>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
};

/** Starts `gateway/main.ts` with `args` (demo users on, password {@link DEMO_PASSWORD}). */
export function startGatewayProcess(args: readonly string[], env: Record<string, string> = {}): GatewayProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, TECSOS_DEMO_USERS: '1', TECSOS_DEMO_PASSWORD: DEMO_PASSWORD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const append = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    const t = setInterval(() => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m !== null) {
        clearInterval(t);
        resolve(m[1] as string);
      }
    }, 5);
    void exited.then((code) => {
      clearInterval(t);
      reject(new Error(`gateway exited ${code}: ${out.slice(-2000)}`));
    });
  });
  url.catch(() => undefined);
  return {
    child,
    url,
    exited,
    output: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Logs in over REST; returns the `tecsos_session=...` cookie pair. */
export async function login(url: string, username = 'handler', password = DEMO_PASSWORD): Promise<string> {
  const r = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (r.status !== 200) throw new Error(`login as ${username}: ${r.status} ${await r.text()}`);
  return String(r.headers.get('set-cookie')).split(';')[0] as string;
}
