// A store the gateway's user may read but not write: a backup restored by root (`cp` keeps root as the owner) for
// a gateway that runs as its own user. SQLite then opens the file read-only without a word, and the gateway used
// to start, fail its first write (the start-up retention purge), log a fatal stack and exit 3, which a
// supervisor's Restart=always repeats every second. It must be a start-up error naming the file and the fix.
// Needs a second user: run as root, the gateway is started as `nobody` (skipped where that cannot read the tree).
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tmpStore } from './tmp-store.js';

const NOBODY = 65534;
const asNobody = (args: string[], env: Record<string, string> = {}) =>
  spawnSync('runuser', ['-u', 'nobody', '--', 'env', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...args], { encoding: 'utf8', timeout: 60_000 });
const canRunAsNobody = process.getuid?.() === 0 && asNobody(['test', '-r', path.resolve('gateway/store/open-store.ts')]).status === 0;

/** openEventStore(file) in a process of user nobody: 'OPENED', or the error's message. */
function openAsNobody(file: string): string {
  const script = `import('${path.resolve('gateway/store/open-store.ts')}').then((m) => { try { m.openEventStore({ path: process.env.STORE }); console.log('OPENED'); } catch (e) { console.log(e.message); } process.exit(0); })`;
  const r = asNobody([process.execPath, '--import', 'tsx', '-e', script], { STORE: file, HOME: path.dirname(file) });
  return `${r.stdout}${r.stderr}`.trim();
}

describe.skipIf(!canRunAsNobody)('a store the gateway may not write', () => {
  it('is a start-up error naming the file and what to fix, not a failure at its first write', async () => {
    const { store, file, dir } = tmpStore();
    await store.close();
    chmodSync(dir, 0o755); // mkdtemp's 0700 would keep nobody out of everything below
    const restored = path.join(dir, 'restored');
    mkdirSync(restored);
    chownSync(restored, NOBODY, NOBODY); // her own data directory
    const copy = path.join(restored, 'tecsos.db');
    copyFileSync(file, copy); // restored by root: owned by root
    chmodSync(copy, 0o644);
    const said = openAsNobody(copy);
    expect(said).toContain(`cannot open the event store ${copy}`);
    expect(said).toMatch(/may not write it/);
    expect(said).toMatch(/chown/);

    chownSync(copy, NOBODY, NOBODY); // what the message says to do
    expect(openAsNobody(copy)).toBe('OPENED');
  }, 120_000);

  it('a data directory the gateway may not write is named as such', async () => {
    const { store, file } = tmpStore();
    await store.close();
    for (const f of readdirSync(path.dirname(file))) chownSync(path.join(path.dirname(file), f), NOBODY, NOBODY); // the files are hers, their directory root's
    chmodSync(path.dirname(file), 0o755);
    const said = openAsNobody(file);
    expect(said).toContain(`cannot open the event store ${file}`);
    expect(said).toMatch(/may not create files in its directory/);
  }, 120_000);
});
