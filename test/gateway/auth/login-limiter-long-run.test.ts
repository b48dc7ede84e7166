// The login limiter over a gateway's months of running: a failed login from an address, or for a username, that
// never comes back (a mistyped name, a handler's workstation re-addressed, a scan) was kept until the limiter held
// `maxKeys` (50,000) of them; in the weeks simulation its keys grew by every failed login's username and address
// for as long as the process ran. Only keys with failures in the window are needed to enforce the limit.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { LoginLimiter } from '../../../gateway/auth/login-limiter.js';

describe('LoginLimiter over months', () => {
  it('holds only the addresses and usernames that failed within the last windows', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 24, 3, 0, 0));
    const limiter = new LoginLimiter(clock);
    // 60 days, 20 failed logins a day, each a username and an address never seen again.
    for (let i = 0; i < 60 * 20; i++) {
      limiter.fail(`nobody${i}`, `10.1.${i >> 8}.${i & 0xff}`);
      clock.advance(72 * 60_000);
    }
    expect(limiter.keys).toBeLessThanOrEqual(2 * 2);
    // The limit itself is unchanged: five failures from one address in the window still refuse it.
    for (let i = 0; i < 5; i++) limiter.fail('handler', '10.0.0.7');
    expect(limiter.check('handler', '10.0.0.7')).toMatchObject({ allowed: false });
    expect(limiter.check('handler', '10.0.0.8')).toEqual({ allowed: true });
    clock.advance(15 * 60_000);
    expect(limiter.check('handler', '10.0.0.7')).toEqual({ allowed: true });
  });

  it('keeps a key whose failures are still in the window through a sweep', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 24, 3, 0, 0));
    const limiter = new LoginLimiter(clock);
    limiter.fail('other', '10.0.0.9'); // the first sweep
    clock.advance(10 * 60_000);
    for (let i = 0; i < 4; i++) limiter.fail('handler', '10.0.0.7');
    clock.advance(6 * 60_000);
    limiter.fail('other', '10.0.0.9'); // a sweep: 10.0.0.7's failures are 6 min old, still counted
    expect(limiter.keys).toBe(4);
    limiter.fail('handler', '10.0.0.7');
    expect(limiter.check('handler', '10.0.0.7')).toMatchObject({ allowed: false });
  });
});
