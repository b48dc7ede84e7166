// A call answered when the gateway stopped, and the gateway started again with no modem lines configured
// (`lines: []`, main.ts's NoLines: the modems moved to another gateway, a console-only start after a crash).
// c0b6dd2 ends at once a call on a line the gateway no longer has; with no lines at all it was skipped (NoLines
// had no adoptAnswered), so the call stayed "answered" on every console for good, and a handler's hang-up was
// refused ("no modem lines configured"): nothing could ever end it (review of c0b6dd2, end to end with the
// gateway process: /tmp/review-adopt/e2e.mts f).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { NoLines } from '../../../gateway/core/no-lines.js';
import { HANDSET_NUMBER, START, startRig, tmpDir } from '../core/harness.js';

describe('a call answered before a restart, the gateway started again without lines', () => {
  it('is ended by network at once, not left answered for good', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const first = await startRig({ file, clock });
    await first.ring(HANDSET_NUMBER, 'L1');
    first.core.onCall({ kind: 'answered', lineId: 'L1', at: clock.now() });
    await first.core.idle();
    const callId = first.ofType('call.ringing')[0]?.['callId'] as string;
    await first.stop();
    clock.advance(10_000);
    const rig = await startRig({ file, clock, register: [] });
    rig.core.attachLines(new NoLines()); // what gateway-app.ts attaches when no line is configured
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toMatchObject([{ callId, endedBy: 'network' }]);
    expect((await rig.core.listCalls()).find((c) => c.id === callId)?.state).toBe('ended');
  });
});
