// A session's idle and absolute limits count the time that passed, not the wall clock's reading: an NTP step,
// `date -s`, a virtual machine resumed or an RTC kept in local time moves the wall clock by an hour or more at
// once, and every console in the control room was signed out at the next heartbeat (WebSocket closed 4001
// "session ended", REST 401) in the middle of whatever call was ringing; a step back kept sessions hours beyond
// their shift.
import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../../gateway/auth/sessions.js';
import { SteppingClock } from '../../support/stepping-clock.js';

const limits = { idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000, maxSessions: 100 };
const START = Date.UTC(2026, 10, 24, 3, 0, 0);

describe('SessionStore when the wall clock steps', () => {
  it('a step forward of two hours signs no one out; idleness still ends a session after 30 minutes', () => {
    const clock = new SteppingClock(START);
    const s = new SessionStore(clock, limits);
    const id = s.create({ username: 'handler', role: 'call-handler' });
    clock.advance(30_000);
    expect(s.touch(id)).toBeDefined();
    clock.stepWall(2 * 3600_000);
    expect(s.touch(id)).toBeDefined();
    clock.advance(31 * 60_000);
    expect(s.touch(id)).toBeUndefined();
  });

  it('a step back of four hours does not lengthen the shift: the session ends 12 h after the login', () => {
    const clock = new SteppingClock(START);
    const s = new SessionStore(clock, limits);
    const id = s.create({ username: 'handler', role: 'call-handler' });
    clock.stepWall(-4 * 3600_000);
    let minutes = 0;
    for (; minutes < 24 * 60 && s.touch(id) !== undefined; minutes += 20) clock.advance(20 * 60_000);
    expect(minutes).toBeGreaterThanOrEqual(12 * 60);
    expect(minutes).toBeLessThanOrEqual(12 * 60 + 20);
  });
});
