import { describe, expect, it } from 'vitest';
import { LogUserDirectory } from '../../../gateway/auth/users.js';
import { ensureDemoUsers } from '../../../gateway/auth/demo-users.js';
import { hashPassword, verifyPassword } from '../../../gateway/auth/password.js';
import { openEventStore } from '../../../gateway/store/open-store.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('LogUserDirectory', () => {
  it('is a projection of user.* events: a second directory over the same log sees the same users', async () => {
    const store = openEventStore({ path: ':memory:' });
    try {
      const a = new LogUserDirectory(store, () => Date.now());
      const hash = await hashPassword('pw', CHEAP);
      expect((await a.create({ username: 'jo', displayName: 'Jo', role: 'supervisor', passwordHash: hash, by: 'test' })).ok).toBe(true);
      expect(await a.create({ username: 'jo', displayName: 'Jo', role: 'supervisor', passwordHash: hash, by: 'test' })).toEqual({ ok: false, error: 'user_exists' });
      await a.setDisabled('jo', true, 'boss');
      const b = new LogUserDirectory(store, () => Date.now());
      await b.load(store, 1);
      expect(b.find('jo')).toMatchObject({ username: 'jo', role: 'supervisor', disabled: true, createdBy: 'test' });
      expect(b.list()).toEqual([expect.not.objectContaining({ passwordHash: expect.anything() })]);
      expect((await store.readSince(0)).map((e) => e.event.type)).toEqual(['user.created', 'user.disabled']);
    } finally {
      await store.close();
    }
  });

  it('ignores a stored user.created whose role is not one of the three (a damaged or hand-edited log)', async () => {
    const store = openEventStore({ path: ':memory:' });
    try {
      const d = new LogUserDirectory(store, () => Date.now());
      const hash = await hashPassword('pw', CHEAP);
      const stored = (role: unknown, username: string) => ({ seq: 1, storedAt: 0, redacted: false, event: { type: 'user.created', at: 0, username, role, passwordHash: hash } });
      d.apply(stored('root', 'mallory'));
      d.apply(stored(['supervisor'], 'eve'));
      d.apply(stored('engineer', 'ed'));
      expect([d.find('mallory'), d.find('eve'), d.find('ed')?.role]).toEqual([undefined, undefined, 'engineer']);
    } finally {
      await store.close();
    }
  });

  it('TECSOS_DEMO_USERS=1 creates handler, supervisor and engineer with the given password, once', async () => {
    const store = openEventStore({ path: ':memory:' });
    try {
      const users = new LogUserDirectory(store, () => Date.now());
      expect((await ensureDemoUsers(users, {}, CHEAP)).created).toEqual([]);
      const env = { TECSOS_DEMO_USERS: '1', TECSOS_DEMO_PASSWORD: 'demo-pass-123' };
      const r = await ensureDemoUsers(users, env, CHEAP);
      expect(r).toEqual({ created: ['handler', 'supervisor', 'engineer'] });
      expect(users.find('handler')?.role).toBe('call-handler');
      expect(await verifyPassword('demo-pass-123', users.find('engineer')?.passwordHash as string)).toBe(true);
      expect((await ensureDemoUsers(users, env, CHEAP)).created).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('generates and returns a random demo password when none is given', async () => {
    const store = openEventStore({ path: ':memory:' });
    try {
      const users = new LogUserDirectory(store, () => Date.now());
      const r = await ensureDemoUsers(users, { TECSOS_DEMO_USERS: '1' }, CHEAP);
      expect(r.generatedPassword).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(await verifyPassword(r.generatedPassword as string, users.find('supervisor')?.passwordHash as string)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
