// A second `make demo` while one runs. Reproduced with two real demos in a clone: the second rebuilt dist/ and
// console/dist/ (about 20 s; the running gateway reads console/dist/ at each request, so a reload of the console
// could get a half-written app.js) and only then said its ports were taken, because the Makefile's
// `demo: deps build` ran the installs and the build before scripts/demo.ts checked the ports. Here a port is
// held by this test, and `make demo` runs with an `npm` on PATH that only notes that it was called: the check
// must come first, say who holds the port, and stop make before any install or build.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Holds 127.0.0.1:port if it is free; undefined when someone else already holds it (busy either way). */
function hold(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer((s) => s.destroy());
    server.once('error', () => resolve(undefined));
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(server));
  });
}

function release(server: net.Server | undefined): Promise<void> {
  return new Promise((r) => (server === undefined ? r() : server.close(() => r())));
}

function run(cmd: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr?.on('data', (b: Buffer) => (err += b.toString('utf8')));
    const killer = setTimeout(() => child.kill('SIGTERM'), 20_000);
    child.once('error', (e) => {
      clearTimeout(killer);
      resolve({ code: null, out, err: `${err}${cmd}: ${e.message}` });
    });
    child.once('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, out, err });
    });
  });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tecsos-demo-ports-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('make demo while its ports are taken', () => {
  it('stops before installing or building anything, naming the port and the process that holds it', async () => {
    const bin = path.join(dir, 'bin');
    const called = path.join(dir, 'npm-called');
    mkdirSync(bin);
    // Any npm call (npm ci, npm run build, npm run demo) is noted and fails: none may happen.
    writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "npm $*" >> '${called}'\nexit 3\n`);
    chmodSync(path.join(bin, 'npm'), 0o755);
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
    // When this suite runs under `make test`, the outer make's flags (jobserver) must not reach this make.
    for (const k of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[k];

    const held = await hold(8080);
    try {
      const { code, out, err } = await run('make', ['--no-print-directory', 'demo'], env);
      expect(existsSync(called) ? readFileSync(called, 'utf8') : '', 'npm ran before the port check').toBe('');
      expect(code, out + err).not.toBe(0);
      // (When something else already held 8080, it is named instead of this test.)
      if (held !== undefined) expect(err).toContain(`127.0.0.1:8080 (the console and API (gateway)): process ${process.pid} (`);
      expect(err).toMatch(/Nothing was started, built or written\./);
    } finally {
      await release(held);
    }
  });
});

describe('node scripts/demo-ports.mjs', () => {
  it('names a running demo by its process, where it was started, its URLs and how to stop it', async (ctx) => {
    // A stand-in for scripts/demo.ts (its command line names the script) whose child holds the console's and
    // the emulator's ports, as the real demo's gateway and simulator do.
    const holder = "const n = require('net'); let k = 0; for (const p of [8080, 8081]) n.createServer().on('error', () => process.exit(1)).listen(p, '127.0.0.1', () => { if (++k === 2) console.log('up'); });";
    const parent = `const c = require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(holder)}], { stdio: 'inherit' }); c.on('exit', () => process.exit()); process.on('SIGTERM', () => c.kill());`;
    const demo: ChildProcess = spawn(process.execPath, ['-e', parent, 'scripts/demo.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const up = await new Promise<boolean>((resolve) => {
        demo.stdout?.once('data', () => resolve(true));
        demo.once('exit', () => resolve(false));
      });
      if (!up) return ctx.skip(); // 8080 or 8081 was taken by something else.
      const { code, err } = await run(process.execPath, ['scripts/demo-ports.mjs']);
      expect(code, err).toBe(1);
      expect(err).toContain(`demo: a TecSOS demo is already running (process ${demo.pid}, started in ${ROOT}):`);
      expect(err).toContain('Console (call handlers):   http://127.0.0.1:8080/');
      expect(err).toContain('Handset emulator:          http://127.0.0.1:8081/');
      expect(err).toContain(`stop it with Ctrl-C in its terminal (or \`kill -INT ${demo.pid}\`)`);
      expect(err).not.toMatch(/port.* already in use/);
    } finally {
      demo.kill('SIGTERM');
      await new Promise((r) => (demo.exitCode !== null || demo.signalCode !== null ? r(undefined) : demo.once('exit', r)));
    }
  });
});
