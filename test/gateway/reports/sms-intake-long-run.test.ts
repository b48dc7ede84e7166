// Memory of the SMS intake over a gateway's months of running. At start-up the intake reads every stored
// `reassembly.expired` (so that an expiry is not reported twice, sms-intake.ts goLive); after a start without a
// snapshot that is every expiry of the log: they were kept for the life of the process, one key per concatenated
// SMS that never completed (224 after 8 simulated weeks of 4 a day; one per SMS in a hostile flood of
// first parts), although nothing reads them once live.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SmsIntake } from '../../../gateway/reports/sms-intake.js';
import type { StoredEvent } from '../../../gateway/store/event-store.js';
import { START } from '../core/harness.js';

const DAY = 86_400_000;

/** A stored `reassembly.expired` of a 2-part message from `from`, first seen `daysAgo` days before START. */
function expired(seq: number, from: string, daysAgo: number): StoredEvent {
  const at = START - daysAgo * DAY;
  return {
    seq,
    storedAt: at,
    redacted: false,
    event: { type: 'reassembly.expired', at: new Date(at).toISOString(), from, ref: seq & 0xff, refBits: 8, total: 2, firstSeenAt: at - 600_000 },
  };
}

describe('SmsIntake over months', () => {
  it('forgets the stored expiries it read at start-up once it is live', () => {
    const intake = new SmsIntake(new ManualClock(START));
    // 90 days of a log with 20 incomplete messages a day, each from a number never seen again.
    let seq = 0;
    for (let day = 90; day > 0; day--) for (let i = 0; i < 20; i++) intake.replay(expired(++seq, `+4479${String(10_000_000 + seq)}`, day));
    expect(intake.rememberedExpiries).toBe(1800);
    expect(intake.goLive()).toEqual([]);
    expect(intake.rememberedExpiries).toBe(0);
  });
});
