// Issue 8: the demo's scenario plays "unless `--interactive`". make takes `make demo --interactive` for one of
// its own options (and refuses it), so the ways to hand the flag to the demo through make are
// `make demo ARGS=--interactive` and `make demo -- --interactive` (after `--`, make reads --interactive as a
// goal: the Makefile passes it on and makes the goal itself do nothing). `make -n` prints the commands only.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The `npm run demo` line `make -n` would run, with the arguments given to make. */
function demoCommand(...makeArgs: string[]): { status: number | null; line: string | undefined; output: string } {
  const r = spawnSync('make', ['-n', 'demo', ...makeArgs], { cwd: ROOT, encoding: 'utf8' });
  const output = `${r.stdout}${r.stderr}`;
  return { status: r.status, line: r.stdout.split('\n').find((l) => l.startsWith('npm run demo')), output };
}

describe('make demo passes --interactive on to the demo', () => {
  it('make demo -- --interactive', () => {
    const r = demoCommand('--', '--interactive');
    expect(r.status, r.output).toBe(0);
    expect(r.line?.split(/\s+/)).toContain('--interactive');
  });

  it('make demo ARGS=--interactive (the documented form) still works', () => {
    const r = demoCommand('ARGS=--interactive');
    expect(r.status, r.output).toBe(0);
    expect(r.line?.split(/\s+/)).toContain('--interactive');
  });

  it('plain make demo plays the scenario: no --interactive', () => {
    const r = demoCommand();
    expect(r.status, r.output).toBe(0);
    expect(r.line).toBeDefined();
    expect(r.line?.split(/\s+/)).not.toContain('--interactive');
  });
});
