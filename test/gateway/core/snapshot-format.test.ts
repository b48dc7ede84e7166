// A snapshot written by an older build. The incidents' recent fixes were kept in seq (arrival) order until
// commit 7384005, and in fix-time order since, under the same snapshot format: a snapshot from before that,
// restored as it is, brings back the late report as the incident's last fix (the very bug 7384005 fixed) for
// every incident open across the upgrade. An old snapshot must be refused (rebuilt from the log), never misread.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import type { CoreSnapshot } from '../../../gateway/core/snapshot-schema.js';
import { restoreState, snapshotState } from '../../../gateway/core/snapshot.js';
import { CoreState } from '../../../gateway/core/state.js';
import { incidentView } from '../../../gateway/core/views.js';
import { CONFIG, deliver, report, START, startRig } from './harness.js';

describe('a snapshot from the build before fix-time ordering', () => {
  it('is not restored as it stands: the incident keeps its newest position as last fix', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }, undefined, START), undefined, 1));
    rig.clock.advance(20_000);
    await rig.sms(deliver(report({ counter: 3, event: 'TRK' }, undefined, START + 20_000), undefined, 2));
    // The late one: measured before counter 3's fix, delivered after it.
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, START + 10_000), undefined, 3));
    const events = await rig.all();
    const rebuilt = new CoreState(CONFIG, new ManualClock(rig.clock.now()));
    for (const e of events) rebuilt.apply(e);
    const incident = rebuilt.incidents.all()[0]!;
    const expected = incidentView(rebuilt, incident, true);
    expect((expected.lastFix as { fixTime?: string } | null)?.fixTime).toBe(new Date(START + 20_000).toISOString());

    // What the older build wrote: the same snapshot, its recent fixes in seq order.
    const old = { ...(JSON.parse(snapshotState(rebuilt)) as CoreSnapshot), format: 1 } as unknown as CoreSnapshot;
    for (const i of old.incidents.incidents) (i.recentFixes as { seq: number }[]).sort((a, b) => a.seq - b.seq);
    const restored = new CoreState(CONFIG, new ManualClock(rig.clock.now()));
    if (restoreState(restored, JSON.stringify(old), { maxSeq: rebuilt.lastSeq })) {
      expect(incidentView(restored, restored.incidents.get(incident.id)!, true).lastFix).toEqual(expected.lastFix);
    }
    // This build's own snapshot is still restored, exactly.
    const fresh = new CoreState(CONFIG, new ManualClock(rig.clock.now()));
    expect(restoreState(fresh, snapshotState(rebuilt), { maxSeq: rebuilt.lastSeq })).toBe(true);
    expect(incidentView(fresh, fresh.incidents.get(incident.id)!, true)).toEqual(expected);
  });
});
