// Retention and a wall clock that jumps (gateway/core/retention-clock.ts): a bad NTP server, an RTC reset to a
// future date or an operator's typo must never make the daily purge redact a victim's recent fixes. The clock
// here is a ManualClock whose wall reading can be stepped while its timers and monotonic time run on, as the
// system clock's Date.now() and performance.now() do when someone runs `date -s`.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SteppingClock } from '../../support/stepping-clock.js';
import { alarm, DAY, fixes, held, HOUR, MINUTE, run } from './retention-rig.js';
import { CLOCK_AUDIT, CLOCK_TOLERANCE_MS, RetentionClock, START_ALLOWANCE_MS, startReference, trustedDetail } from '../../../gateway/core/retention-clock.js';
import { START, startRig, tmpDir } from './harness.js';


describe('retention and a wall clock that jumps', () => {
  it('a clock jumped forward by more than the retention period while running: nothing recent is redacted, loudly', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock, config: { retentionDays: 1 } });
    await alarm(rig, 1);
    await run(rig, HOUR);
    expect(held(rig)).toBe('0');

    // Someone sets the date 400 days ahead; half a day later a purge runs.
    clock.stepWall(400 * DAY);
    await run(rig, 11 * HOUR);
    await rig.core.purgeNow();

    // The fix is 12 hours old by the time that really passed: still there, and the victim's track with it.
    expect(await fixes(rig)).toEqual({ stored: 1, redacted: 0 });
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect((await rig.core.track(id))?.points).toHaveLength(1);
    expect(held(rig)).toBe('1');
    expect(rig.errors.join('\n')).toContain('retention held');
    // Retention still ran, and says by which time: the audit shows a purge up to the trusted time, not the jumped one.
    const purges = (await rig.store.readAudit(0, 100)).filter((a) => a.action === 'purge');
    expect(purges.at(-1)?.detail).toContain(`before ${new Date(START - 12 * HOUR).toISOString()}`);
  });

  it('while held, retention goes on by the trusted time: what is due is redacted, what was stamped by the jumped clock is not', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock, config: { retentionDays: 1 } });
    await alarm(rig, 1);
    await run(rig, HOUR);
    clock.stepWall(30 * DAY);
    await alarm(rig, 2); // stored with an `at` 30 days ahead
    // Two days of real time later, the first fix is two days old: due, and redacted; the second is not.
    await run(rig, 2 * DAY);
    expect(held(rig)).toBe('1');
    const all = (await rig.all()).filter((e) => e.event.type === 'fix');
    expect(all.map((e) => e.redacted)).toEqual([true, false]);
  });

  it('set right again, the clock is trusted within a minute, and retention works by it as before', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock, config: { retentionDays: 1 } });
    await alarm(rig, 1);
    clock.stepWall(400 * DAY);
    await run(rig, 10 * MINUTE);
    expect(held(rig)).toBe('1');

    clock.stepWall(-400 * DAY);
    await run(rig, MINUTE);
    expect(held(rig)).toBe('0');
    await rig.core.purgeNow();
    expect(await fixes(rig)).toEqual({ stored: 1, redacted: 0 });
    // A day later, by a clock that agrees with the time that passed, the fix goes as it always did.
    await run(rig, DAY);
    await rig.core.purgeNow();
    expect(await fixes(rig)).toEqual({ stored: 1, redacted: 1 });
    expect(held(rig)).toBe('0');
  });

  it('a clock stepped back redacts nothing extra, is flagged, and is trusted again once set right', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock, config: { retentionDays: 1 } });
    await alarm(rig, 1);
    await run(rig, 20 * HOUR);
    clock.stepWall(-10 * DAY);
    await run(rig, 5 * HOUR); // the fix is 25 h old by the time that passed; the wall says it is from the future
    expect(held(rig)).toBe('1');
    expect(await fixes(rig)).toEqual({ stored: 1, redacted: 0 });
    expect(await rig.core.purgeNow()).toBe(0);

    clock.stepWall(10 * DAY);
    await run(rig, MINUTE);
    expect(held(rig)).toBe('0');
    expect(await rig.core.purgeNow()).toBeGreaterThan(0);
    expect(await fixes(rig)).toEqual({ stored: 1, redacted: 1 });
  });

  it('NTP-sized steps are not jumps', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock, config: { retentionDays: 1 } });
    await alarm(rig, 1);
    for (const step of [30_000, -5 * MINUTE, 20 * MINUTE, -40 * MINUTE]) {
      clock.stepWall(step);
      await run(rig, MINUTE);
      expect(held(rig)).toBe('0');
    }
    expect(rig.errors).toEqual([]);
  });

  it('a restart after a week switched off purges as usual, with no alarm', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const first = await startRig({ file, config: { retentionDays: 1 } });
    await alarm(first, 1);
    await first.stop();

    const rig = await startRig({ file, clock: new SteppingClock(START + 7 * DAY), config: { retentionDays: 1 } });
    await run(rig, 0); // the purge at start-up
    expect(await fixes(rig)).toEqual({ stored: 1, redacted: 1 });
    expect(held(rig)).toBe('0');
    expect(rig.errors).toEqual([]);
  });

  it('a restart with the clock far ahead of the log (an RTC reset to a future date) redacts nothing recent until the clock is set right', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const first = await startRig({ file });
    await alarm(first, 1);
    await first.stop();

    // Restarted an hour later by the machine's clock, which now says 400 days later: the default retention is 365 days.
    const clock = new SteppingClock(START + HOUR + 400 * DAY);
    const rig = await startRig({ file, clock });
    await run(rig, 0);
    await rig.core.purgeNow();
    expect(await fixes(rig)).toEqual({ stored: 1, redacted: 0 });
    expect(held(rig)).toBe('1');
    expect(rig.errors.join('\n')).toContain('retention held');

    // NTP sets it right: trusted again at the next minute check, and the fix (an hour old) stays.
    clock.stepWall(-400 * DAY);
    await run(rig, MINUTE);
    expect(held(rig)).toBe('0');
    await rig.core.purgeNow();
    expect(await fixes(rig)).toEqual({ stored: 1, redacted: 0 });
  });

  it('a restart is not an acknowledgement: a gateway off longer than the allowance stays held across restarts until the operator states the time', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const first = await startRig({ file });
    await alarm(first, 1);
    await first.stop();

    // Really off for 400 days (longer than the gateway accepts by itself): held, nothing purged.
    const late = new SteppingClock(START + 400 * DAY);
    const second = await startRig({ file, clock: late });
    await run(second, 0);
    expect(held(second)).toBe('1');
    await alarm(second, 2);
    expect(await fixes(second)).toEqual({ stored: 2, redacted: 0 });
    await second.stop();

    // A bare restart (the supervisor's, a deploy): the log's newest event carries the new clock, but no one
    // checked it. Still held, still nothing purged.
    const third = await startRig({ file, clock: new SteppingClock(START + 400 * DAY + MINUTE) });
    await run(third, 0);
    expect(held(third)).toBe('1');
    expect(await fixes(third)).toEqual({ stored: 2, redacted: 0 });
    await third.stop();

    // The operator checked the date and restarted with --trust-clock=<the time they read>.
    const now = START + 400 * DAY + 2 * MINUTE;
    const fourth = await startRig({ file, clock: new SteppingClock(now), trustClockAt: now - 3 * MINUTE });
    await run(fourth, 0);
    expect(held(fourth)).toBe('0');
    expect(await fixes(fourth)).toEqual({ stored: 2, redacted: 1 });
  });
});

describe('RetentionClock, the rule', () => {
  it('at start-up: up to START_ALLOWANCE_MS ahead of the log and CLOCK_TOLERANCE_MS behind it is trusted, no further', () => {
    const newest = START;
    const at = (wall: number) => new RetentionClock(newest, wall, 0).check(wall, 0);
    expect(at(newest + START_ALLOWANCE_MS).trusted).toBe(true);
    expect(at(newest + START_ALLOWANCE_MS + 1)).toMatchObject({ trusted: false, retentionNow: newest });
    expect(at(newest - CLOCK_TOLERANCE_MS).trusted).toBe(true);
    expect(at(newest - CLOCK_TOLERANCE_MS - 1)).toMatchObject({ trusted: false, retentionNow: newest - CLOCK_TOLERANCE_MS - 1 });
    expect(new RetentionClock(null, START + 400 * DAY, 0).check(START + 400 * DAY, 0).trusted).toBe(true);
  });

  it("at start-up after the operator's acknowledgement: its trusted wall time while the log's newest `at` is the one it saw, then the log", () => {
    const ahead = START + 400 * DAY; // the log's newest event, stamped by a clock that had jumped
    const record = { action: CLOCK_AUDIT.trusted, detail: trustedDetail(START, START, ahead, undefined) };
    expect(record.detail).toBe(`stated=${new Date(START).toISOString()}; wall=${new Date(START).toISOString()}; newest=${new Date(ahead).toISOString()}; not held`);
    expect(startReference(ahead, record, undefined, START + HOUR)).toMatchObject({ reference: START, from: 'acknowledged', heldOnRecord: false });
    // An event stored since (by the trusted clock): the log again.
    expect(startReference(START + 30 * MINUTE, record, undefined, START + HOUR)).toMatchObject({ reference: START + 30 * MINUTE, from: 'log' });
    // An entry written before `newest=` was recorded: the log, as before.
    const old = { action: CLOCK_AUDIT.trusted, detail: `stated=${new Date(START).toISOString()}; wall=${new Date(START).toISOString()}; not held` };
    expect(startReference(ahead, old, undefined, START + HOUR)).toMatchObject({ reference: ahead, from: 'log' });
  });

  it('running: the wall clock must stay within CLOCK_TOLERANCE_MS of the monotonic clock since start, in total', () => {
    const c = new RetentionClock(null, START, 1000);
    expect(c.check(START + DAY + CLOCK_TOLERANCE_MS, 1000 + DAY)).toMatchObject({ trusted: true });
    // An agreeing reading does not move the reference: one more minute ahead is past the tolerance in total.
    const jumped = c.check(START + 2 * DAY + CLOCK_TOLERANCE_MS + MINUTE, 1000 + 2 * DAY);
    expect(jumped).toMatchObject({ trusted: false, retentionNow: START + 2 * DAY, offsetMs: CLOCK_TOLERANCE_MS + MINUTE });
    expect(c.check(START + 3 * DAY + CLOCK_TOLERANCE_MS, 1000 + 3 * DAY).trusted).toBe(true);
    expect(c.check(START + 3 * DAY - CLOCK_TOLERANCE_MS - 1, 1000 + 3 * DAY).trusted).toBe(false);
  });

  it('steps under the tolerance add up: 50 min forward every minute is a jump by the second step (it was trusted for ever)', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock, config: { retentionDays: 1 } });
    await alarm(rig, 1);
    for (let i = 0; i < 30; i++) {
      clock.stepWall(50 * MINUTE);
      await run(rig, MINUTE);
    }
    expect(clock.now() - START).toBeGreaterThan(DAY);
    expect(held(rig)).toBe('1');
    await rig.core.purgeNow();
    expect(await fixes(rig)).toEqual({ stored: 1, redacted: 0 });
  });

  it('steps back under the tolerance add up too: purges are not put off without an alert', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock, config: { retentionDays: 1 } });
    for (let i = 0; i < 3; i++) {
      clock.stepWall(-50 * MINUTE);
      await run(rig, MINUTE);
    }
    expect(held(rig)).toBe('1');
  });
});
