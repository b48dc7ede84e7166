import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SessionStore } from '../../../gateway/auth/sessions.js';
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
    expect(s.touch(ids[3])).toBeDefined();
  });
});

describe('LoginLimiter', () => {
  it('blocks after 5 failures in 15 minutes, for the oldest failure to leave the window', () => {
    const clock = new ManualClock();
    const l = new LoginLimiter(clock, { maxFailures: 5, windowMs: 15 * 60_000, maxKeys: 100 });
    for (let i = 0; i < 5; i++) {
      expect(l.check('jo', '1.2.3.4').allowed).toBe(true);
      l.fail('jo', '1.2.3.4');
      clock.advance(60_000);
    }
    const v = l.check('jo', '9.9.9.9');
    expect(v).toEqual({ allowed: false, retryAfterS: 10 * 60 });
    clock.advance(10 * 60_000);
    expect(l.check('jo', '9.9.9.9').allowed).toBe(true);
  });

  it('forgives a username on success but not the address', () => {
    const l = new LoginLimiter(new ManualClock());
    for (let i = 0; i < 5; i++) l.fail(`u${i}`, '5.5.5.5');
    l.succeed('u1');
    expect(l.check('someone', '5.5.5.5').allowed).toBe(false);
    expect(l.check('someone', '6.6.6.6').allowed).toBe(true);
  });
});
