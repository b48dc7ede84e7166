// `make demo` prints a password; it must open the console, or the demo must say it does not and why.
// Reproduced with the real programs: `npm run gateway -- --demo-users` once (it creates the demo users in
// ./data/tecsos.db with a random password of its own and prints it), then `make demo`: the demo made
// data/demo-password anew and printed it, and every login with it was refused (401) with nothing saying why,
// because the gateway sets a user's password only when it creates the user. Here the same real gateway
// (gateway/main.ts, demo users, a store in a temp dir, any free port) is asked the demo's question.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDemoLogin, demoLoginWarning } from '../../scripts/demo-logins.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIRST = 'first-password-of-the-store';

let dir: string;
let gateway: ChildProcess;
let url: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tecsos-demo-logins-'));
  gateway = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', '--db', path.join(dir, 'tecsos.db'), '--http', '127.0.0.1:0', '--demo-users'], {
    cwd: ROOT,
    env: { ...process.env, TECSOS_DEMO_PASSWORD: FIRST },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    gateway.stdout?.on('data', (b: Buffer) => {
      out += b.toString('utf8');
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1] as string);
    });
    gateway.once('exit', (code) => reject(new Error(`gateway exited (${code}): ${out}`)));
  });
}, 60_000);

afterAll(async () => {
  if (gateway.exitCode === null) {
    const gone = new Promise((r) => gateway.once('exit', r));
    gateway.kill('SIGTERM');
    await gone;
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('make demo checks that the password it prints opens the console', () => {
  it('demo users created earlier with another password: refused, and the words say why and what to do', async () => {
    const check = await checkDemoLogin(url, 'the-demo-made-a-new-one');
    expect(check).toMatchObject({ ok: false, refused: true });
    if (check.ok) return;
    const words = demoLoginWarning(check, 'the-demo-made-a-new-one');
    expect(words).toContain('the-demo-made-a-new-one');
    expect(words).toMatch(/created\s+earlier with another password/);
    expect(words).toContain('npm run gateway -- --demo-users');
    expect(words).toMatch(/delete \.\/data/);
  });

  it('the password the users were made with: works, and leaves no session behind', async () => {
    expect(await checkDemoLogin(url, FIRST)).toEqual({ ok: true });
    // The check logged out: its login is audited, but no console of the demo's stays signed in.
    const login = await fetch(new URL('/api/login', url), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'supervisor', password: FIRST }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.getSetCookie()[0] ?? '').split(';')[0] ?? '';
    const audit = await fetch(new URL('/api/audit?newest=1&limit=20', url), { headers: { cookie } });
    const entries = ((await audit.json()) as { entries: { action: string; subject: string }[] }).entries;
    const handler = entries.filter((e) => e.subject === 'user:handler').map((e) => e.action);
    expect(handler).toEqual(expect.arrayContaining(['login', 'logout']));
  });

  it('no gateway there: not called a refusal, the reason is given', async () => {
    const check = await checkDemoLogin('http://127.0.0.1:1', FIRST);
    expect(check).toMatchObject({ ok: false, refused: false });
    if (check.ok) return;
    expect(demoLoginWarning(check, FIRST)).toMatch(/could not check/);
  });
});
