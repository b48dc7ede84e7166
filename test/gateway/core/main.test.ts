// `npm run gateway`: the real entry point in a child process. It refuses a bad configuration with the field
// named (exit 2), starts with a manifest, prints its URL, serves /healthz, and stops cleanly on SIGTERM.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEY, tmpDir } from './harness.js';
import { listening, runMain as run, type MainProcess } from './main-process.js';

/**
 * The start is refused as a set-up problem a person fixes: exit 2, `message` on stderr, no stack trace. A gateway
 * that did not exit is killed, so that it never outlives the test.
 */
async function expectRefused(p: MainProcess, message: RegExp | string): Promise<void> {
  try {
    expect(await p.exited).toBe(2);
    if (typeof message === 'string') expect(p.err()).toContain(message);
    else expect(p.err()).toMatch(message);
    expect(p.err()).not.toMatch(/\n\s+at /);
  } finally {
    p.child.kill('SIGKILL');
  }
}

describe('gateway/main.ts', () => {
  it('refuses a bad configuration, naming the field', async () => {
    const p = run(['--lines', 'COM3']);
    expect(await p.exited).toBe(2);
    expect(p.err()).toMatch(/lines\.0: a port spec/);
  }, 30_000);

  it('says which address is taken when its HTTP port is in use (exit 2), with no stack trace', async () => {
    const other = createServer().listen(0, '127.0.0.1');
    await once(other, 'listening');
    const port = (other.address() as AddressInfo).port;
    const p = run(['--db', path.join(tmpDir(), 'tecsos.db'), '--http', `127.0.0.1:${port}`]);
    try {
      await expectRefused(p, `cannot listen on 127.0.0.1:${port}: it is already in use`);
    } finally {
      other.close();
    }
  }, 30_000);

  it('refuses a port number out of range in --http (exit 2, the field named), with no stack trace', async () => {
    await expectRefused(run(['--db', path.join(tmpDir(), 'tecsos.db'), '--http', '127.0.0.1:99999']), /http: host:port/);
  }, 30_000);

  // The HTTP edge's own variables (docs/operations.md): a value a person mistyped in a service file is a set-up
  // problem to fix (exit 2, the variable named), not a crash with a stack trace (exit 1 read as a fault).
  it.each([
    ['TECSOS_SECURE_COOKIES', 'yes', /TECSOS_SECURE_COOKIES must be 1 or 0/],
    ['TECSOS_TRUST_PROXY', 'true', /TECSOS_TRUST_PROXY must be 1 or 0/],
    ['TECSOS_MAX_CONNECTIONS', '5', /TECSOS_MAX_CONNECTIONS must be a whole number/],
    ['TECSOS_ORIGINS', 'console.example', /TECSOS_ORIGINS: 'console.example' is not an origin/],
  ])('refuses %s=%s naming the variable (exit 2), with no stack trace', async (name, value, message) => {
    await expectRefused(run(['--db', path.join(tmpDir(), 'tecsos.db'), '--http', '127.0.0.1:0'], { [name]: value }), message);
  }, 30_000);

  it.each([
    ['a host name that does not resolve', 'nohost.invalid:8080', /cannot listen on nohost\.invalid:8080: it names a host this machine cannot resolve/],
    ['an IPv6 link-local address (no interface)', '[fe80::99]:8080', /cannot listen on fe80::99:8080: it is not an address this machine can listen on/],
  ])('refuses --http with %s (exit 2), with no stack trace', async (_what, http, message) => {
    await expectRefused(run(['--db', path.join(tmpDir(), 'tecsos.db'), '--http', http]), message);
  }, 30_000);

  it('--http wins over a bad TECSOS_HTTP, as the command line wins over the environment', async () => {
    const p = run(['--db', path.join(tmpDir(), 'tecsos.db'), '--http', '127.0.0.1:0'], { TECSOS_HTTP: 'localhost' });
    try {
      await listening(p);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }, 30_000);

  it('gives the console the tile template from the config file (not only from TECSOS_TILES)', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'gateway.json');
    writeFileSync(file, JSON.stringify({ db: path.join(dir, 'tecsos.db'), http: '127.0.0.1:0', tiles: '/tiles/{z}/{x}/{y}.png', demoUsers: true, demoPassword: 'tiles-test-password' }));
    const p = run(['--config', file], { TECSOS_TILES: '' });
    try {
      const url = await listening(p);
      const login = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'handler', password: 'tiles-test-password' }) });
      expect(login.status).toBe(200);
      const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
      const config = await fetch(`${url}/api/console-config`, { headers: { cookie } });
      expect(await config.json()).toEqual({ tiles: '/tiles/{z}/{x}/{y}.png' });
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }, 30_000);

  it('imports the manifest, serves /healthz, stops on SIGTERM', async () => {
    const dir = tmpDir();
    const manifest = path.join(dir, 'sim-registry.json');
    const handset = { id: 'TS-0001', number: '+447700900123', imei: '356938035643809', key: Buffer.from(KEY).toString('hex'), force: 'Met', victim: { name: 'A', safetyNotes: '', riskMarkers: [] } };
    writeFileSync(manifest, JSON.stringify({ version: 1, handsets: [handset] }));
    const p = run(['--db', path.join(dir, 'tecsos.db'), '--http', '127.0.0.1:0', '--registry', manifest], { TECSOS_DEMO_USERS: '1' });
    const url = await listening(p);
    expect(p.out()).toMatch(/demo users handler, supervisor, engineer; password: \S{12,}/);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(p.out()).toMatch(/"registered":1/);
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  }, 30_000);
});
