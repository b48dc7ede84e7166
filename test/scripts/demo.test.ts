// `make demo` (scripts/demo.ts) with one of its ports already taken: it must say which port and stop before
// starting anything, not print "running" with the URL of whatever else holds the port.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/** Holds 127.0.0.1:port if it is free; undefined when someone else already holds it (busy either way). */
function hold(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(undefined));
    s.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve(s));
  });
}

describe('make demo with a port already in use', () => {
  it.each([
    [8080, /127\.0\.0\.1:8080 \(the console and API \(gateway\)\)/],
    [7203, /127\.0\.0\.1:7203 \(handset TS-0003's USB console/],
  ])('port %i taken: exits 1 naming it and what it is for, without starting the simulator or the gateway', async (port, named) => {
    const held = await hold(port);
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--interactive'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout?.on('data', (b: Buffer) => (out += b.toString('utf8')));
      child.stderr?.on('data', (b: Buffer) => (err += b.toString('utf8')));
      const killer = setTimeout(() => child.kill('SIGTERM'), 20_000);
      const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      clearTimeout(killer);
      expect(code, out + err).toBe(1);
      expect(err).toMatch(named);
      expect(out).not.toMatch(/demo is running/);
      expect(out).not.toMatch(/\[sim\]|\[gateway\]/);
    } finally {
      await new Promise((r) => (held === undefined ? r(undefined) : held.close(() => r(undefined))));
    }
  });
});
