// An incident's track comes from the log, not the projection: the projection keeps only the newest fixes
// (memory stays flat however long an incident tracks), the REST track and its exports get every fix.
import { describe, expect, it } from 'vitest';
import { RECENT_FIXES } from '../../../gateway/incidents/incidents.js';
import { START, deliver, report, startRig } from './harness.js';

describe('track', () => {
  it('has every fix of a long incident, oldest first, while the projection holds only the newest', async () => {
    const rig = await startRig();
    const n = RECENT_FIXES + 15;
    for (let c = 1; c <= n; c++) await rig.sms(deliver(report({ counter: c, event: c === 1 ? 'ALM' : 'TRK' }, undefined, START + c * 10_000), undefined, c), START + c * 10_000);
    const [opened] = rig.ofType('incident.opened');
    const id = opened?.['incidentId'] as string;
    expect(rig.ofType('fix')).toHaveLength(n);
    const track = await rig.core.track(id);
    expect(track?.points).toHaveLength(n);
    const times = (track?.points ?? []).map((p) => (p as unknown as { fixTime: string }).fixTime);
    expect(times).toEqual([...times].sort());
    expect(times[0]).toBe(new Date(START + 10_000).toISOString());
    expect(rig.core.state.incidents.get(id)?.recentFixes.length).toBe(RECENT_FIXES);
    // The incident view's last fix is the newest one.
    expect((await rig.core.getIncident(id))?.lastFix).toMatchObject({ fixTime: times[n - 1] });
  });
});
