// Retention's clock hold across restarts (gateway/core/retention-clock.ts, docs/operations.md "A clock that
// jumps"). A held gateway goes on storing events stamped by the clock it does not trust (the handsets'
// reports), so a restart that took the log's newest `at` as its reference trusted the jumped clock,
// and its start-up purge redacted every recent fix. The hold is recorded in the audit log; only a clock that
// agrees with the recorded trusted time, or the operator's --trust-clock=<time>, ends it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SteppingClock } from '../../support/stepping-clock.js';
import { alarm, DAY, fixes, held, HOUR, MINUTE, run } from './retention-rig.js';
import { AuditAction } from '../../../protocol/schemas/audit.js';
import { START, startRig, tmpDir, type Rig } from './harness.js';

/** The audit actions of the hold, as the audit log shows them (protocol/schemas AuditAction). */
const CLOCK_AUDIT = { held: 'retention.held', resumed: 'retention.resumed', trusted: 'retention.clock-trusted' } as const;

/** The retention clock entries of the audit log, oldest first: [action, actor]. */
async function clockAudit(rig: Rig): Promise<{ action: string; actor: string; detail: unknown }[]> {
  const actions: readonly string[] = Object.values(CLOCK_AUDIT);
  return (await rig.store.readAudit(0, 10_000)).filter((a) => actions.includes(a.action)).map(({ action, actor, detail }) => ({ action, actor, detail }));
}

/** Events the gateway stamped with a wall clock at least a day ahead of the real time. */
async function stampedAhead(rig: Rig): Promise<string[]> {
  return (await rig.all()).filter((e) => Date.parse(String(e.event['at'])) > START + DAY).map((e) => e.event.type);
}

/**
 * The reviewer's path: an alarm, then the wall clock jumps 400 days ahead while the gateway runs; retention
 * holds, and the gateway stores events stamped by the jumped clock (the handset's next report; its minute
 * checks did too, until they learnt to wait while the clock is ahead). Returns the file.
 */
async function jumpedWhileRunning(): Promise<string> {
  const file = path.join(tmpDir(), 'tecsos.db');
  const clock = new SteppingClock(START);
  const rig = await startRig({ file, clock });
  await alarm(rig, 1);
  await run(rig, 10 * MINUTE);
  clock.stepWall(400 * DAY);
  await run(rig, 5 * MINUTE);
  expect(held(rig)).toBe('1');
  await alarm(rig, 2);
  // The precondition of the data loss: the log's newest events carry the jumped time.
  expect(await stampedAhead(rig)).toEqual(expect.arrayContaining(['report.accepted', 'handset.status']));
  await rig.stop();
  return file;
}

describe('the retention clock hold survives a restart', () => {
  it('a clock jumped while running, then an unattended restart: still held, and the victim\'s fix of 16 minutes ago stays', async () => {
    const file = await jumpedWhileRunning();

    // The supervisor restarts the gateway (a store failure, a reboot); the clock is still 400 days ahead.
    const rig = await startRig({ file, clock: new SteppingClock(START + 400 * DAY + 16 * MINUTE) });
    await run(rig, 0); // the purge at start-up
    expect(held(rig)).toBe('1');
    expect(rig.errors.join('\n')).toContain('retention held');
    expect(await fixes(rig)).toEqual({ stored: 2, redacted: 0 });
    await rig.core.purgeNow();
    expect(await fixes(rig)).toEqual({ stored: 2, redacted: 0 });
    // A day later by the time that really passed, a second restart: still held.
    await run(rig, DAY);
    await rig.stop();
    const again = await startRig({ file, clock: new SteppingClock(START + 401 * DAY + 20 * MINUTE) });
    await run(again, 0);
    expect(held(again)).toBe('1');
    expect(await fixes(again)).toEqual({ stored: 2, redacted: 0 });
    // The audit log says so, by system:retention, with the time it trusted.
    const audit = await clockAudit(again);
    expect(audit.every((a) => a.action === CLOCK_AUDIT.held && a.actor === 'system:retention')).toBe(true);
    // The first hold: found by the first minute check after the jump, at 10 min 0 s + up to a minute.
    expect(audit[0]?.detail).toContain(`trusted=${new Date(START + 11 * MINUTE).toISOString()}`);
  });

  it('a clock set right while the gateway was down (an hour) is trusted at the restart, and the hold is closed in the audit log', async () => {
    const file = await jumpedWhileRunning();

    const rig = await startRig({ file, clock: new SteppingClock(START + 75 * MINUTE), config: { retentionDays: 1 } });
    await run(rig, 0);
    expect(held(rig)).toBe('0');
    expect((await clockAudit(rig)).at(-1)?.action).toBe(CLOCK_AUDIT.resumed);
    expect(await fixes(rig)).toEqual({ stored: 2, redacted: 0 });
    // Trusted for good: a day later the fix goes, and a later restart (its newest `at` is 400 days ahead) is
    // judged by the log again.
    await run(rig, DAY);
    await rig.core.purgeNow();
    expect(await fixes(rig)).toEqual({ stored: 2, redacted: 1 });
    expect(held(rig)).toBe('0');
  });

  it('a hold that lasted ten days, then the clock set right during a day off: trusted (the hold is recorded again every hour)', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new SteppingClock(START);
    const rig = await startRig({ file, clock, config: { retentionDays: 1 } });
    await alarm(rig, 1);
    clock.stepWall(400 * DAY);
    await run(rig, 10 * DAY);
    expect(held(rig)).toBe('1');
    await rig.stop();

    const back = await startRig({ file, clock: new SteppingClock(START + 11 * DAY), config: { retentionDays: 1 } });
    await run(back, 0);
    expect(held(back)).toBe('0');
    expect(back.errors).toEqual([]);
  });

  it('events stored within the minute after a jump (before the minute check) do not make the next start trust it', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new SteppingClock(START);
    const rig = await startRig({ file, clock });
    await alarm(rig, 1);
    clock.stepWall(400 * DAY);
    await alarm(rig, 2); // stamped 400 days ahead; no timer has run since the jump
    expect(held(rig)).toBe('1');
    await rig.stop();

    const next = await startRig({ file, clock: new SteppingClock(START + 400 * DAY + MINUTE) });
    await run(next, 0);
    expect(held(next)).toBe('1');
    expect(await fixes(next)).toEqual({ stored: 2, redacted: 0 });
  });
});

describe("the operator's acknowledgement (--trust-clock=<time>)", () => {
  it('with the time stated, a held clock is trusted at that start, the purges held back catch up, and the audit log names it', async () => {
    const file = await jumpedWhileRunning();
    // Say the clock was right after all (a suspended VM woke 400 days later): the operator checked and states it.
    const now = START + 400 * DAY + 30 * MINUTE;
    const rig = await startRig({ file, clock: new SteppingClock(now), trustClockAt: now + 2 * MINUTE });
    await run(rig, 0);
    expect(held(rig)).toBe('0');
    expect(await fixes(rig)).toEqual({ stored: 2, redacted: 1 });
    const last = (await clockAudit(rig)).at(-1);
    expect(last).toMatchObject({ action: CLOCK_AUDIT.trusted, actor: 'system:retention' });
    expect(last?.detail).toContain(`stated=${new Date(now + 2 * MINUTE).toISOString()}`);
    expect(AuditAction.options).toEqual(expect.arrayContaining(Object.values(CLOCK_AUDIT)));
    await rig.stop();

    // A later plain restart keeps trusting it (the acknowledgement is the newest record).
    const later = await startRig({ file, clock: new SteppingClock(now + HOUR) });
    await run(later, 0);
    expect(held(later)).toBe('0');
  });

  // The log's newest events were stamped 400 days ahead (the jump); the operator set the clock right and
  // acknowledged it. A restart before any event is stored took those stamps as its reference again: the wall
  // clock 400 days behind its own log, held (retention stopped deleting) although nothing had changed.
  it('a plain restart after the acknowledgement, with no event stored since, is not held again by the log stamped ahead', async () => {
    const file = await jumpedWhileRunning();
    const now = START + HOUR; // the real time: the clock set right
    const rig = await startRig({ file, clock: new SteppingClock(now), trustClockAt: now });
    await run(rig, 0);
    expect(held(rig)).toBe('0');
    await rig.stop();

    const later = await startRig({ file, clock: new SteppingClock(now + 2 * HOUR) });
    await run(later, 0);
    expect(held(later)).toBe('0');
    expect(later.errors).toEqual([]);
    // Once events are stored by the trusted clock, they are the reference again, as for any restart.
    await alarm(later, 3);
    await later.stop();
    const third = await startRig({ file, clock: new SteppingClock(now + 3 * HOUR) });
    await run(third, 0);
    expect(held(third)).toBe('0');
    await third.stop();
  });

  it('the acknowledgement does not outlast its own bounds: a clock stepped back, or a week ahead, at a later restart is held', async () => {
    const file = await jumpedWhileRunning();
    const now = START + HOUR;
    const rig = await startRig({ file, clock: new SteppingClock(now), trustClockAt: now });
    await run(rig, 0);
    await rig.stop();
    for (const wall of [now - 2 * HOUR, now + 9 * DAY]) {
      const next = await startRig({ file, clock: new SteppingClock(wall) });
      await run(next, 0);
      expect(held(next), new Date(wall).toISOString()).toBe('1');
      expect(await fixes(next)).toEqual({ stored: 2, redacted: 0 });
      await next.stop();
    }
  });

  it('a stated time that is not within an hour of the wall clock (a flag left in a service unit) is ignored, loudly', async () => {
    const file = await jumpedWhileRunning();
    const now = START + 400 * DAY + 30 * MINUTE;
    const rig = await startRig({ file, clock: new SteppingClock(now), trustClockAt: now - 2 * HOUR });
    await run(rig, 0);
    expect(held(rig)).toBe('1');
    expect(rig.errors.join('\n')).toContain('--trust-clock ignored');
    expect(await fixes(rig)).toEqual({ stored: 2, redacted: 0 });
    expect((await clockAudit(rig)).map((a) => a.action)).not.toContain(CLOCK_AUDIT.trusted);
  });
});
