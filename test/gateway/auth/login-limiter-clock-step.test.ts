// The login limit's 15-minute window counts time that passed, not wall-clock readings: with the wall clock
// stepped back four hours (NTP, `date -s`), a handler who had mistyped her password five times was refused
// (429) for four hours and a quarter instead of 15 minutes, in the middle of a shift.
import { describe, expect, it } from 'vitest';
import { LoginLimiter } from '../../../gateway/auth/login-limiter.js';
import { SteppingClock } from '../../support/stepping-clock.js';

describe('LoginLimiter when the wall clock steps', () => {
  it('a step back of four hours does not hold a limited address for four hours', () => {
    const clock = new SteppingClock(Date.UTC(2026, 10, 24, 3, 0, 0));
    const limiter = new LoginLimiter(clock);
    for (let i = 0; i < 5; i++) limiter.fail('handler', '10.0.0.7');
    expect(limiter.check('handler', '10.0.0.7')).toMatchObject({ allowed: false });
    clock.stepWall(-4 * 3600_000);
    const verdict = limiter.check('handler', '10.0.0.7');
    expect(verdict.allowed ? 0 : verdict.retryAfterS).toBeLessThanOrEqual(15 * 60);
    clock.advance(15 * 60_000);
    expect(limiter.check('handler', '10.0.0.7')).toEqual({ allowed: true });
  });

  it('a step forward does not lift the limit early', () => {
    const clock = new SteppingClock(Date.UTC(2026, 10, 24, 3, 0, 0));
    const limiter = new LoginLimiter(clock);
    for (let i = 0; i < 5; i++) limiter.fail('handler', '10.0.0.7');
    clock.stepWall(2 * 3600_000);
    expect(limiter.check('handler', '10.0.0.7')).toMatchObject({ allowed: false });
  });
});
