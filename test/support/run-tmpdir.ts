// vitest's globalSetup: one temporary directory for the whole run, as TMPDIR for every test file and what they
// start (gateways, simulators, chromium), removed when the run ends. Without it each `make test` left about 70
// directories in /tmp (stores, console bundles, manifests): 2 GB after a few hundred runs on one machine.
// os.tmpdir() reads TMPDIR, and the forked test workers inherit the environment set here.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-test-run-'));
  // Like /tmp itself (1777): tests that start a gateway as another user (`nobody`: open-store-owner.test.ts)
  // need tsx to make its cache directory here.
  chmodSync(dir, 0o1777);
  const before = process.env['TMPDIR'];
  process.env['TMPDIR'] = dir;
  return () => {
    if (before === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = before;
    rmSync(dir, { recursive: true, force: true });
  };
}
