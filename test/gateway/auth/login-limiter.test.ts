// The login limiter's own rules, below the HTTP edge (test/gateway/http/login.test.ts drives it through POST /api/login):
// how long a refused client is told to wait, what a successful login forgives, the per-user default, the key cap.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { LoginLimiter } from '../../../gateway/auth/login-limiter.js';

const WINDOW = 15 * 60_000;
const start = () => new ManualClock(Date.UTC(2026, 10, 25, 3, 0, 0));

describe('LoginLimiter', () => {
  it('refuses until the oldest counted failure leaves the window, and never says to retry in 0 s', () => {
    const clock = start();
    const limiter = new LoginLimiter(clock);
    for (let i = 0; i < 5; i++) limiter.fail('handler', '10.0.0.7');
    clock.advance(1);
    expect(limiter.check('handler', '10.0.0.7')).toEqual({ allowed: false, retryAfterS: 900 }); // 899.999 s, rounded up
    clock.advance(WINDOW - 501);
    expect(limiter.check('handler', '10.0.0.7')).toEqual({ allowed: false, retryAfterS: 1 }); // half a second left
    clock.advance(500);
    expect(limiter.check('handler', '10.0.0.7')).toEqual({ allowed: true });
  });

  it('a successful login forgives the username its failures (not the address)', () => {
    const clock = start();
    const limiter = new LoginLimiter(clock);
    // 19 failures for one user from four addresses (a colleague mistyping, the user herself): one short of 20.
    for (let i = 0; i < 19; i++) limiter.fail('handler', `10.0.0.${10 + (i % 4)}`);
    limiter.succeed('handler');
    limiter.fail('handler', '10.0.0.20');
    expect(limiter.check('handler', '10.0.0.21')).toEqual({ allowed: true });
    // The addresses keep theirs: 10.0.0.10 failed 5 times.
    expect(limiter.check('someone', '10.0.0.10')).toMatchObject({ allowed: false });
  });

  it('without a per-user limit, a username is allowed four times the per-address failures', () => {
    const clock = start();
    const limiter = new LoginLimiter(clock, { maxFailures: 2, windowMs: WINDOW, maxKeys: 1000 });
    for (let i = 0; i < 7; i++) limiter.fail('handler', `10.0.1.${i}`);
    expect(limiter.check('handler', '10.0.2.1')).toEqual({ allowed: true });
    limiter.fail('handler', '10.0.1.99');
    expect(limiter.check('handler', '10.0.2.1')).toMatchObject({ allowed: false });
  });

  it('a sweep keeps an address whose newest failures are in the window, even when its oldest has left it', () => {
    const clock = start();
    const limiter = new LoginLimiter(clock);
    limiter.fail('other', '10.0.0.9'); // the first sweep
    limiter.fail('handler', '10.0.0.7'); // leaves the window before the next sweep
    clock.advance(10 * 60_000);
    for (let i = 0; i < 4; i++) limiter.fail('handler', '10.0.0.7');
    clock.advance(6 * 60_000);
    limiter.fail('other', '10.0.0.9'); // a sweep: 10.0.0.7's oldest failure is 16 min old, its other four 6 min
    limiter.fail('handler', '10.0.0.7');
    expect(limiter.check('handler', '10.0.0.7')).toMatchObject({ allowed: false });
  });

  it('holds at most maxKeys addresses and usernames, however many fail within one window', () => {
    const clock = start();
    const limiter = new LoginLimiter(clock, { maxFailures: 5, maxFailuresPerUser: 20, windowMs: WINDOW, maxKeys: 10 });
    for (let i = 0; i < 30; i++) limiter.fail(`user${i}`, `10.0.3.${i}`);
    expect(limiter.keys).toBe(10);
  });
});
