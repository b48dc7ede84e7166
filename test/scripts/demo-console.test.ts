// `npm run demo` (README: the demo without the install and the build) on a clone whose console was never built
// printed "Console (call handlers): http://127.0.0.1:8080/" as usual, and that address answered
// {"error":"not-found","message":"no route GET /"}. Reproduced with the real programs: console/dist moved away,
// `npm run demo`, `curl -i http://127.0.0.1:8080/` -> 404 JSON; the only hint was the gateway's JSON log line
// "console not built (npm run build:console): serving the API only". scripts/demo.ts now asks consoleNotBuilt
// first and stops, before it starts or writes anything, with what to run. Here: where it looks, as the gateway does.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleNotBuilt } from '../../scripts/demo-console.js';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A checkout-like folder; with `built`, a console/dist/index.html in it. */
function root(built: boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-demo-console-'));
  made.push(dir);
  if (built) {
    mkdirSync(path.join(dir, 'console', 'dist'), { recursive: true });
    writeFileSync(path.join(dir, 'console', 'dist', 'index.html'), '<!doctype html>');
  }
  return dir;
}

describe('npm run demo without a built console', () => {
  it('says the console is not built and what to run, instead of printing a console address that answers 404', () => {
    const why = consoleNotBuilt(root(false), {});
    expect(why).toMatch(/console is not built/);
    expect(why).toMatch(/npm run build:console/);
    expect(why).toMatch(/make demo/);
    expect(why).toMatch(/Nothing was started or written/);
  });

  it('a built console (console/dist/index.html) passes', () => {
    expect(consoleNotBuilt(root(true), {})).toBeUndefined();
  });

  it('TECSOS_CONSOLE_DIR with a built console passes, as the gateway serves it', () => {
    const elsewhere = root(true);
    expect(consoleNotBuilt(root(false), { TECSOS_CONSOLE_DIR: path.join(elsewhere, 'console', 'dist') })).toBeUndefined();
  });

  it('TECSOS_CONSOLE_DIR without one falls back to console/dist, as the gateway does', () => {
    const empty = root(false);
    expect(consoleNotBuilt(root(true), { TECSOS_CONSOLE_DIR: empty })).toBeUndefined();
    expect(consoleNotBuilt(root(false), { TECSOS_CONSOLE_DIR: empty })).toMatch(/not built/);
  });
});
