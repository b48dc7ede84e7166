// The restart's grace for calls from before it (gateway-core.ts liveAt): it keeps only a call its line could
// still ring again as the same call (rang less than RESTART_SAME_CALL_MS ago); an older one is ended at the
// first minute check, as before the grace.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { HANDSET_NUMBER, START, startRig, tmpDir } from '../core/harness.js';

describe('the restart grace', () => {
  it('a call left ringing by a gateway stopped overnight is ended at the first minute check, not kept at the top of the queue 5 min', async () => {
    // A demo stopped with a call ringing and started the next day: no ring can make it the same call again
    // (call-events.ts), so the grace would only show "waiting 20:00:xx" in the queue for 5 minutes.
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const first = await startRig({ file, clock });
    await first.ring(HANDSET_NUMBER);
    await first.stop();
    clock.advance(20 * 3600_000);
    const rig = await startRig({ file, clock, register: [] });
    rig.clock.advance(61_000);
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toMatchObject([{ endedBy: 'network' }]);
    expect((await rig.core.listCalls()).map((c) => c.state)).toEqual(['ended']);
  });
});
