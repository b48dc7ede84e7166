// `gateway/main.ts --trust-clock=<UTC time>`: the operator's acknowledgement of the wall clock for retention
// (docs/operations.md "A clock that jumps"), through the real entry point in a child process.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openEventStore } from '../../../gateway/store/index.js';
import { tmpDir } from './harness.js';
import { listening, runMain as run } from './main-process.js';

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
