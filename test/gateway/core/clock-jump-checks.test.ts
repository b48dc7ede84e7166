// The minute checks (missed heartbeats, tracking and command timeouts, stale rings) age what they watch by
// the wall clock. A clock that jumps forward (a bad NTP server, an RTC reset to a future date) must not raise
// a false alarm for every handset and stop every live incident's tracking at once: while retention holds the
// clock as ahead of the time it trusts (gateway/core/retention-clock.ts), the checks wait; once the clock is
// set right they run as before.
import { describe, expect, it } from 'vitest';
import { SteppingClock } from '../../support/stepping-clock.js';
import { deliver, report, START, startRig } from './harness.js';

const DAY = 86_400_000;
const MINUTE = 60_000;

describe('the minute checks and a wall clock that jumped forward', () => {
  it('raise no missed heartbeat and stop no tracking while the clock is held; run again once it is set right', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock });
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }, undefined, clock.now())));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    clock.stepWall(400 * DAY);
    for (let i = 0; i < 3; i++) {
      clock.advance(MINUTE);
      await rig.core.idle();
    }
    expect(rig.ofType('handset.health')).toEqual([]);
    expect(rig.ofType('incident.tracking-stopped')).toEqual([]);
    expect((await rig.core.getIncident(id))?.['tracking']).toBe(true);
    // Set right: three real minutes have passed, nothing is due; ten more minutes of silence stop the tracking.
    clock.stepWall(-400 * DAY);
    clock.advance(MINUTE);
    await rig.core.idle();
    expect(rig.ofType('incident.tracking-stopped')).toEqual([]);
    for (let i = 0; i < 10; i++) {
      clock.advance(MINUTE);
      await rig.core.idle();
    }
    expect(rig.ofType('incident.tracking-stopped')).toMatchObject([{ incidentId: id, reason: 'timeout' }]);
    expect(rig.ofType('handset.health')).toEqual([]);
  });
});
