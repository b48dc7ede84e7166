// Runs outside programs (gammu, smsd) for the conformance tests: bounded in time, killed with their whole
// process group, output collected.

import { spawn, type ChildProcess } from 'node:child_process';

/** A started program. */
export interface Child {
  readonly process: ChildProcess;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves once `pattern` shows up in the output (rejects after `timeoutMs` or when the program exits first). */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Resolves with the exit code (null when killed). */
  readonly exited: Promise<number | null>;
  /** SIGTERM to the process group, SIGKILL after 2 s; resolves when it is gone. */
  kill(): Promise<void>;
}

const running = new Set<Child>();

/** Starts a program in its own process group. */
export function start(command: string, args: readonly string[]): Child {
  const p = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString('utf8');
    for (const w of [...waiters]) w();
  };
  p.stdout?.on('data', onData);
  p.stderr?.on('data', onData);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    p.once('exit', (code) => {
      done = true;
      for (const w of [...waiters]) w();
      resolve(code);
    });
    p.once('error', (e) => {
      out += String(e);
      done = true;
      resolve(-1);
    });
  });
  const child: Child = {
    process: p,
    output: () => out,
    exited,
    waitFor: (pattern, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (pattern.test(out)) {
            finish();
            resolve();
          } else if (done) {
            finish();
            reject(new Error(`${command} exited before ${String(pattern)}; output:\n${out}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`no ${String(pattern)} from ${command} within ${timeoutMs} ms; output:\n${out}`));
        }, timeoutMs);
        const finish = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    kill: async () => {
      running.delete(child);
      if (done || p.pid === undefined) return;
      try {
        process.kill(-p.pid, 'SIGTERM');
      } catch {
        return;
      }
      const t = setTimeout(() => {
        try {
          process.kill(-(p.pid as number), 'SIGKILL');
        } catch {
          // already gone
        }
      }, 2000);
      await exited;
      clearTimeout(t);
    },
  };
  running.add(child);
  return child;
}

/** Runs a program to completion, killing it after `timeoutMs`. */
export async function run(command: string, args: readonly string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  const c = start(command, args);
  const timer = setTimeout(() => void c.kill(), timeoutMs);
  const code = await c.exited;
  clearTimeout(timer);
  running.delete(c);
  return { code, output: c.output() };
}

/** Kills every program still running (afterEach). */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((c) => c.kill()));
}
