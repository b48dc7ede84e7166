// `gateway/main.ts --trust-clock=<UTC time>`: the operator's acknowledgement of the wall clock for retention
// (docs/operations.md "A clock that jumps"), through the real entry point in a child process.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEventStore } from '../../../gateway/store/index.js';
import { tmpDir } from './harness.js';

function run(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

/** Resolves once the gateway prints that it listens; rejects if it exits first. */
function listening(p: ReturnType<typeof run>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (/listening on http:\/\//.test(p.out())) {
        clearInterval(t);
        resolve();
      }
    }, 50);
    void p.exited.then((code) => {
      clearInterval(t);
      reject(new Error(`exited ${code}: ${p.err()}`));
    });
  });
}

describe('gateway/main.ts --trust-clock', () => {
  it('refuses a time it cannot read, or one without a zone (exit 2), saying what to give', async () => {
    for (const value of ['yes', '2026-11-23 23:20']) {
      const p = run(['--db', ':memory:', '--http', '127.0.0.1:0', `--trust-clock=${value}`]);
      expect(await p.exited).toBe(2);
      expect(p.err()).toContain('--trust-clock needs the time now as read from a trusted clock, in UTC');
    }
  }, 30_000);

  it('with the time now, starts, and the audit log records the acknowledgement', async () => {
    const db = path.join(tmpDir(), 'tecsos.db');
    const p = run(['--db', db, '--http', '127.0.0.1:0', '--trust-clock', `${new Date().toISOString().slice(0, 16)}Z`]);
    try {
      await listening(p);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    const store = openEventStore({ path: db });
    try {
      const actions = (await store.readAudit(0, 100)).map((a) => `${a.actor} ${a.action}`);
      expect(actions).toContain('system:retention retention.clock-trusted');
    } finally {
      await store.close();
    }
  }, 30_000);
});
