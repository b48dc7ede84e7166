// `npm run gateway -- add-user`: a new control room's first supervisor, made in the stopped gateway's store with
// the password from standard input, signs in once the gateway starts; mistakes are refused with a sentence
// (exit 2) and write nothing; a running gateway's store is refused.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEventStore } from '../../../gateway/store/index.js';
import { tmpDir } from './harness.js';
import { listening, runMain, type MainProcess } from './main-process.js';

/** `gateway/main.ts add-user ...args` with `stdin` piped in; its exit code and output. */
function addUser(args: string[], stdin: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', 'add-user', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })));
}

async function login(url: string, username: string, password: string): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ username, password }) });
  return { status: r.status, body: await r.json() };
}

/** The types of the events in the store at `db` (opened once add-user has exited and let it go). */
async function eventTypes(db: string): Promise<string[]> {
  const store = openEventStore({ path: db });
  try {
    return (await store.readSince(0, 1000)).map((e) => e.event.type);
  } finally {
    await store.close();
  }
}

const running: MainProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

describe('gateway add-user', () => {
  it('makes a supervisor who signs in once the gateway starts, with no demo users', async () => {
    const db = path.join(tmpDir(), 'tecsos.db');
    const made = await addUser(['--db', db, '--username', 'a.smith', '--role', 'supervisor', '--display-name', 'Alice Smith'], 'correct horse battery\n');
    expect(made.err).toBe('');
    expect(made.code).toBe(0);
    expect(made.out).toContain('user a.smith (supervisor) added');

    const p = runMain(['--db', db, '--http', '127.0.0.1:0']);
    running.push(p);
    const url = await listening(p);
    expect(await login(url, 'a.smith', 'correct horse battery')).toEqual({ status: 200, body: expect.objectContaining({ username: 'a.smith', displayName: 'Alice Smith', role: 'supervisor' }) });
    expect((await login(url, 'a.smith', 'wrong horse battery')).status).toBe(401);
  }, 60_000);

  it.each([
    ['a short password', ['--username', 'bob', '--role', 'engineer'], 'short\n', /password must be 12 to 256 characters/],
    ['no password', ['--username', 'bob', '--role', 'engineer'], '', /no password on standard input/],
    ['an unknown role', ['--username', 'bob', '--role', 'admin'], 'long enough password\n', /--role: /],
    ['a bad username', ['--username', 'Bob Smith', '--role', 'engineer'], 'long enough password\n', /--username: /],
    ['the name the gateway signs with', ['--username', 'system', '--role', 'supervisor'], 'long enough password\n', /system is a name the gateway signs its own actions with/],
    ['no role', ['--username', 'bob'], 'long enough password\n', /needs --username <name> and --role/],
  ])('refuses %s with a sentence (exit 2) and writes nothing', async (_what, args, stdin, message) => {
    const db = path.join(tmpDir(), 'tecsos.db');
    const r = await addUser(['--db', db, ...args], stdin);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(await eventTypes(db)).not.toContain('user.created');
  }, 30_000);

  it('refuses a name already taken, and the store of a running gateway', async () => {
    const db = path.join(tmpDir(), 'tecsos.db');
    expect((await addUser(['--db', db, '--username', 'carol', '--role', 'call-handler'], 'long enough password\n')).code).toBe(0);
    const again = await addUser(['--db', db, '--username', 'carol', '--role', 'supervisor'], 'another long password\n');
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/user carol exists/);
    // What to do next is something she can do: the console has no page for accounts, the API disables one.
    expect(again.err).toContain('POST /api/users/carol/disable');
    expect(again.err).not.toMatch(/console/);

    const p = runMain(['--db', db, '--http', '127.0.0.1:0']);
    running.push(p);
    await listening(p);
    const busy = await addUser(['--db', db, '--username', 'dave', '--role', 'engineer'], 'long enough password\n');
    expect(busy.code).toBe(2);
    expect(busy.err).not.toMatch(/\n\s+at /);
    expect(busy.err).toMatch(/another gateway|in use|lock/i);
    p.child.kill('SIGTERM');
    await p.exited;
    expect((await eventTypes(db)).filter((t) => t === 'user.created')).toHaveLength(1);
  }, 60_000);
});
