// docs/provisioning.md: the key file is checked before the port is opened. wipe, selftest and test-alarm
// opened the port first, so with a missing or unprotected key and a port that fails they answered exit 3
// (port) instead of 8 (key file), and a good port was opened for a key that could never be used.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../hardware/cli/exit-codes.js';
import type { CliIo } from '../../../hardware/cli/io.js';
import { runCli } from '../../../hardware/cli/main.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; opens: number; stderr: string }> {
  let opens = 0;
  let stderr = '';
  const io: CliIo = {
    stdout: () => undefined,
    stderr: (t) => void (stderr += t),
    env: {},
    openPort: () => {
      opens++;
      return Promise.reject(new Error('the port must not be opened'));
    },
    fetch: globalThis.fetch,
    randomBytes: (n) => new Uint8Array(n),
    sleep: async () => undefined,
    now: () => Date.now(),
    home: dir,
  };
  return { code: await runCli(args, io), opens, stderr };
}

describe('handset commands check the key file before opening the port', () => {
  it.each(['wipe', 'selftest', 'test-alarm'])('%s with a missing key: exit 8, port never opened', async (command) => {
    dir = mkdtempSync(path.join(tmpdir(), 'tecsos-kbp-'));
    const r = await run([command, '--port', 'tcp://127.0.0.1:1', '--key-file', path.join(dir, 'missing.pem')]);
    expect(r.code).toBe(ExitCode.KEY_FILE);
    expect(r.opens).toBe(0);
    expect(r.stderr).toMatch(/missing\.pem/);
  });

  it.each(['wipe', 'selftest', 'test-alarm'])('%s with a group-readable key: exit 8, port never opened', async (command) => {
    dir = mkdtempSync(path.join(tmpdir(), 'tecsos-kbp-'));
    const file = path.join(dir, 'k.pem');
    writeFileSync(file, 'not even a key\n');
    chmodSync(file, 0o640);
    const r = await run([command, '--port', 'tcp://127.0.0.1:1', '--key-file', file]);
    expect(r.code).toBe(ExitCode.KEY_FILE);
    expect(r.opens).toBe(0);
  });
});
