// An SMS's receivedAt is a wall-clock time: the core stores it as the report's ISO time (sms.received,
// fixes, rejections), dates the fix from the GPS time of day with it, and matches an AML to its call by it.
// The redelivery window counts elapsed (monotonic) time instead (7c9df3b): the two must not be mixed up. Under
// the system clock the monotonic time is performance.now(), ms since the process started: handed out as
// receivedAt, every report was stored as received in January 1970.
import { describe, expect, it } from 'vitest';
import { MessageIntake } from '../../../gateway/lines/message-intake.js';
import type { IncomingSms, LineMetrics } from '../../../gateway/lines/types.js';
import { systemClock, type Clock } from '../../../protocol/time/clock.js';
import { SteppingClock } from '../../support/stepping-clock.js';

const PDU = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D';

function intakeOn(clock: Clock) {
  const got: IncomingSms[] = [];
  const metrics: LineMetrics = { lineId: 'L1', commands: 0, timeouts: 0, reconnects: 0, smsReceived: 0, smsDeleted: 0, smsCorrupt: 0, smsNotMine: 0, calls: 0 };
  const intake = new MessageIntake({ lineId: 'L1', clock, engine: () => undefined, deliver: (s) => got.push(s), metrics, warn: () => undefined });
  return { intake, got };
}

describe('the time an SMS was received', () => {
  it('is the wall clock, not the monotonic time the redelivery window counts', () => {
    const clock = new SteppingClock(Date.UTC(2026, 10, 24, 3, 0, 0));
    clock.stepWall(3_600_000); // NTP put the wall clock right: wall and monotonic time now differ by an hour
    const x = intakeOn(clock);
    x.intake.onUrc({ name: '+CMT', line: '+CMT: ,27', body: PDU });
    expect(x.got.map((s) => new Date(s.receivedAt).toISOString())).toEqual(['2026-11-24T04:00:00.000Z']);
  });

  it('under the system clock is today, not a time in 1970', () => {
    const x = intakeOn(systemClock);
    const before = Date.now();
    x.intake.onUrc({ name: '+CMT', line: '+CMT: ,27', body: PDU });
    expect(x.got[0]?.receivedAt).toBeGreaterThanOrEqual(before);
    expect(x.got[0]?.receivedAt).toBeLessThanOrEqual(Date.now());
  });
});
