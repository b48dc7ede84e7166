import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SessionStore, TOUCH_WRITE_MS, type SessionPersistence } from '../../../gateway/auth/sessions.js';
import { LoginLimiter } from '../../../gateway/auth/login-limiter.js';

describe('SessionStore', () => {
  const limits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000, maxSessions: 3 };

  it('issues 32 random bytes (base64url) and finds the session by them only', () => {
    const s = new SessionStore(new ManualClock(), limits);
    const id = s.create({ username: 'a', role: 'supervisor' });
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(s.touch(id)).toMatchObject({ username: 'a', role: 'supervisor' });
    expect(s.touch(id.slice(0, -1) + (id.endsWith('A') ? 'B' : 'A'))).toBeUndefined();
    expect(s.touch(undefined)).toBeUndefined();
  });

  it('expires after the idle time without use, and after the absolute time whatever the use', () => {
    const clock = new ManualClock();
    const s = new SessionStore(clock, limits);
    const idle = s.create({ username: 'a', role: 'engineer' });
    const busy = s.create({ username: 'b', role: 'engineer' });
    clock.advance(29 * 60_000);
    expect(s.touch(busy)).toBeDefined();
    clock.advance(2 * 60_000);
    expect(s.touch(idle)).toBeUndefined();
    for (let h = 0; h < 100 && s.touch(busy) !== undefined; h++) clock.advance(20 * 60_000);
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBeGreaterThanOrEqual(12 * 3600_000);
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBeLessThan(12 * 3600_000 + 20 * 60_000);
  });

  it('ends all sessions of a user, and keeps at most maxSessions (oldest dropped)', () => {
    const s = new SessionStore(new ManualClock(), limits);
    const ids = ['a', 'b', 'a', 'c'].map((u) => s.create({ username: u, role: 'call-handler' }));
    expect(s.size).toBe(3);
    expect(s.touch(ids[0])).toBeUndefined();
    expect(s.destroyUser('a')).toBe(1);
    expect(s.touch(ids[2])).toBeUndefined();
    expect(s.touch(ids[3])).toBeDefined();
  });

  it('ends a session at exactly the idle time, and at exactly the absolute time', () => {
    const clock = new ManualClock();
    const s = new SessionStore(clock, limits);
    const idle = s.create({ username: 'a', role: 'engineer' });
    const busy = s.create({ username: 'b', role: 'engineer' });
    clock.advance(limits.idleMs - 1);
    expect(s.touch(busy)).toBeDefined();
    clock.advance(1);
    expect(s.touch(idle)).toBeUndefined();
    for (let t = limits.idleMs; t < limits.absoluteMs; t += 20 * 60_000) {
      expect(s.touch(busy)).toBeDefined();
      clock.advance(Math.min(20 * 60_000, limits.absoluteMs - t));
    }
    expect(s.touch(busy)).toBeUndefined();
  });

  it('when the table is full, the oldest session of anyone ends; one user beyond their share loses their own oldest', () => {
    const full = new SessionStore(new ManualClock(), { ...limits, maxPerUser: 10 });
    const ids = ['a', 'b', 'c', 'd'].map((u) => full.create({ username: u, role: 'call-handler' }));
    expect(ids.map((id) => full.touch(id) !== undefined)).toEqual([false, true, true, true]);
    const share = new SessionStore(new ManualClock(), { ...limits, maxSessions: 100, maxPerUser: 2 });
    const mine = [1, 2, 3].map(() => share.create({ username: 'eng', role: 'engineer' }));
    expect(mine.map((id) => share.touch(id) !== undefined)).toEqual([false, true, true]);
  });

  it("keeps one user's logins from pushing the others out of a full table: their own oldest session ends", () => {
    const s = new SessionStore(new ManualClock(), { ...limits, maxSessions: 100 });
    const others = ['super', 'handler1', 'handler2'].map((u) => s.create({ username: u, role: 'call-handler' }));
    const mine = Array.from({ length: 150 }, () => s.create({ username: 'eng', role: 'engineer' }));
    for (const id of others) expect(s.touch(id)).toBeDefined();
    // A tenth of the table each (10 here; 1,000 of 10,000 by default), the newest kept.
    expect(mine.filter((id) => s.touch(id) !== undefined)).toEqual(mine.slice(-10));
    expect(s.size).toBe(13);
  });
});

/** A session table on disk, as a Map; counts the writes. */
function memoryTable() {
  type Row = Parameters<SessionPersistence['putSession']>[0];
  const rows = new Map<string, Row>();
  const writes = { put: 0, drop: 0 };
  const table: SessionPersistence = {
    loadSessions: async () => [...rows.values()],
    putSession: async (r) => {
      writes.put++;
      rows.set(r.digest, { ...r });
    },
    dropSessions: async (ds) => {
      writes.drop++;
      for (const d of ds) rows.delete(d);
    },
  };
  return { rows, writes, table };
}

describe('SessionStore kept across restarts', () => {
  const limits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000, maxSessions: 100 };
  const users = new Map([
    ['a', { role: 'supervisor' as const, disabled: false }],
    ['b', { role: 'call-handler' as const, disabled: false }],
  ]);
  const current = (u: string) => users.get(u);

  it('a new process with the same table knows the session; only the digest was written', async () => {
    const clock = new ManualClock();
    const disk = memoryTable();
    const before = new SessionStore(clock, limits, disk.table);
    const id = before.create({ username: 'a', role: 'supervisor' });
    await before.written();
    expect(disk.rows.size).toBe(1);
    expect(JSON.stringify([...disk.rows.values()])).not.toContain(id);
    clock.advance(5 * 60_000);
    const after = new SessionStore(clock, limits, disk.table);
    expect(after.touch(id)).toBeUndefined(); // not yet restored
    expect(await after.restore(current)).toEqual({ restored: 1, dropped: 0 });
    expect(after.touch(id)).toMatchObject({ username: 'a', role: 'supervisor' });
  });

  it('a logout, an expiry or a disabled user does not come back after a restart', async () => {
    const clock = new ManualClock();
    const disk = memoryTable();
    const s = new SessionStore(clock, limits, disk.table);
    const out = s.create({ username: 'a', role: 'supervisor' });
    const kept = s.create({ username: 'a', role: 'supervisor' });
    const stale = s.create({ username: 'b', role: 'call-handler' });
    const gone = s.create({ username: 'b', role: 'call-handler' });
    await s.destroy(out);
    expect(disk.rows.size).toBe(3);
    clock.advance(20 * 60_000);
    s.touch(kept);
    s.touch(gone);
    await s.written();
    clock.advance(15 * 60_000); // `stale` is idle 35 min now
    const restarted = new SessionStore(clock, limits, disk.table);
    users.set('b', { role: 'call-handler', disabled: true });
    try {
      expect(await restarted.restore(current)).toEqual({ restored: 1, dropped: 2 });
    } finally {
      users.set('b', { role: 'call-handler', disabled: false });
    }
    expect(restarted.touch(out)).toBeUndefined();
    expect(restarted.touch(stale)).toBeUndefined();
    expect(restarted.touch(gone)).toBeUndefined();
    expect(restarted.touch(kept)).toBeDefined();
    expect(disk.rows.size).toBe(1);
  });

  it('writes use at most once a minute, so a restart expires a session at most a minute early', async () => {
    const clock = new ManualClock();
    const disk = memoryTable();
    const s = new SessionStore(clock, limits, disk.table);
    const id = s.create({ username: 'a', role: 'supervisor' });
    for (let i = 0; i < 600; i++) {
      clock.advance(1000);
      s.touch(id);
    }
    await s.written();
    expect(disk.writes.put).toBe(1 + 600_000 / TOUCH_WRITE_MS);
    // Last use at 10:00, written at 10:00; used again at 10:59 (not written), then a restart.
    clock.advance(TOUCH_WRITE_MS - 1000);
    s.touch(id);
    const restarted = new SessionStore(clock, limits, disk.table);
    await restarted.restore(current);
    clock.advance(limits.idleMs - TOUCH_WRITE_MS);
    expect(restarted.touch(id)).toBeDefined();
  });

  it('a restored session keeps the time already spent idle and since its login', async () => {
    const clock = new ManualClock();
    const disk = memoryTable();
    const now = clock.now();
    // Cookie values, and their digests as the table holds them.
    const idleLong = 'i'.repeat(43);
    const lateInShift = 'l'.repeat(43);
    const digestOf = (id: string) => createHash('sha256').update(id).digest('base64url');
    disk.rows.set(digestOf(idleLong), { digest: digestOf(idleLong), username: 'a', role: 'supervisor', createdAt: now - 3600_000, lastSeenAt: now - 20 * 60_000 });
    disk.rows.set(digestOf(lateInShift), { digest: digestOf(lateInShift), username: 'b', role: 'call-handler', createdAt: now - limits.absoluteMs + 5 * 60_000, lastSeenAt: now });
    const s = new SessionStore(clock, limits, disk.table);
    expect(await s.restore(current)).toEqual({ restored: 2, dropped: 0 });
    clock.advance(4 * 60_000);
    expect(s.size).toBe(2); // both still live (size touches neither)
    clock.advance(7 * 60_000); // 31 min idle for the first; 5 min past the end of the shift for the second
    expect(s.touch(idleLong)).toBeUndefined();
    expect(s.touch(lateInShift)).toBeUndefined();
  });

  it('restores at most maxSessions', async () => {
    const clock = new ManualClock();
    const disk = memoryTable();
    const now = clock.now();
    for (const [i, c] of ['p', 'q', 'r'].entries()) disk.rows.set(c.repeat(43), { digest: c.repeat(43), username: 'a', role: 'supervisor', createdAt: now - 3 + i, lastSeenAt: now });
    const s = new SessionStore(clock, { ...limits, maxSessions: 2 }, disk.table);
    expect(await s.restore(current)).toEqual({ restored: 2, dropped: 1 });
  });

  it('refuses rows that are not sessions (a hand-edited or damaged table) and drops them', async () => {
    const clock = new ManualClock();
    const disk = memoryTable();
    const now = clock.now();
    const good = { username: 'a', role: 'supervisor', createdAt: now, lastSeenAt: now };
    disk.rows.set('short', { ...good, digest: 'short' });
    disk.rows.set('y'.repeat(43), { ...good, digest: 'y'.repeat(43), role: 'root' });
    disk.rows.set('z'.repeat(43), { ...good, digest: 'z'.repeat(43), role: 'call-handler' }); // not a's role
    disk.rows.set('w'.repeat(43), { ...good, digest: 'w'.repeat(43), username: 'nobody' });
    disk.rows.set('v'.repeat(43), { ...good, digest: 'v'.repeat(43), createdAt: Number.NaN });
    disk.rows.set('u'.repeat(43), { ...good, digest: 'u'.repeat(43), createdAt: now + 3600_000 }); // a login in the future
    disk.rows.set('t'.repeat(43), { ...good, digest: 't'.repeat(43), lastSeenAt: now - limits.idleMs }); // idle to its end
    disk.rows.set('s'.repeat(43), { ...good, digest: 's'.repeat(43), createdAt: now - limits.absoluteMs }); // its shift is over
    const s = new SessionStore(clock, limits, disk.table);
    expect(await s.restore(current)).toEqual({ restored: 0, dropped: 8 });
    expect(disk.rows.size).toBe(0);
  });
});

describe('LoginLimiter', () => {
  it('blocks an address after 5 failures in 15 minutes, for the oldest failure to leave the window', () => {
    const clock = new ManualClock();
    const l = new LoginLimiter(clock, { maxFailures: 5, windowMs: 15 * 60_000, maxKeys: 100 });
    for (let i = 0; i < 5; i++) {
      expect(l.check('jo', '1.2.3.4').allowed).toBe(true);
      l.fail('jo', '1.2.3.4');
      clock.advance(60_000);
    }
    const v = l.check('jo', '1.2.3.4');
    expect(v).toEqual({ allowed: false, retryAfterS: 10 * 60 });
    expect(l.check('someone-else', '1.2.3.4').allowed).toBe(false);
    clock.advance(10 * 60_000);
    expect(l.check('jo', '1.2.3.4').allowed).toBe(true);
  });

  it('one address cannot lock a call handler out: the username is blocked only after 20 failures from several addresses', () => {
    const clock = new ManualClock();
    const l = new LoginLimiter(clock);
    // Five wrong passwords for "handler" from somewhere on the network: that address is blocked...
    for (let i = 0; i < 5; i++) l.fail('handler', '10.0.0.66');
    expect(l.check('handler', '10.0.0.66').allowed).toBe(false);
    // ...but the handler at the control-room desk still signs in.
    expect(l.check('handler', '10.0.0.7').allowed).toBe(true);
    // Guessing spread over four addresses reaches the username's limit of 20.
    for (const ip of ['10.0.0.67', '10.0.0.68', '10.0.0.69']) for (let i = 0; i < 5; i++) l.fail('handler', ip);
    expect(l.check('handler', '10.0.0.7')).toEqual({ allowed: false, retryAfterS: 15 * 60 });
  });

  it('forgives a username on success but not the address', () => {
    const l = new LoginLimiter(new ManualClock());
    for (let i = 0; i < 5; i++) l.fail(`u${i}`, '5.5.5.5');
    l.succeed('u1');
    expect(l.check('someone', '5.5.5.5').allowed).toBe(false);
    expect(l.check('someone', '6.6.6.6').allowed).toBe(true);
  });
});
