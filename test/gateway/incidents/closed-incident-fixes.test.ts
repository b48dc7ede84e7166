// A closed incident stays in memory and in every snapshot for as long as the gateway runs (docs/gateway.md
// "closed incidents stay in memory"), and until retention forgets its fixes (retentionDays, a year by default) it
// kept its newest ten: about 3.3 KB of heap and 2.8 KB of snapshot each instead of about 0.6 KB (measured with
// 10,000 closed incidents), so after a year of alarms the snapshot every restart reads was mostly the positions of
// incidents nobody works any more. Nothing reads more than the last one (the view's lastFix); the track comes
// from the log.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { TrackPoint } from '../../../protocol/schemas/views.js';
import { incidentView } from '../../../gateway/core/views.js';
import { snapshotState } from '../../../gateway/core/snapshot.js';
import { deliverPdus, fleetHandset, registrationOf, reportText } from '../../support/fleet.js';
import { startRig, tmpDir, type Rig } from '../core/harness.js';

const H = fleetHandset(0);
const HANDLER = { username: 'handler', role: 'call-handler' } as const;

async function send(rig: Rig, n: number, fixAt: number, event: 'ALM' | 'TRK'): Promise<void> {
  await rig.sms(deliverPdus(reportText(H, n, fixAt, event), H.number, n, rig.clock.now()));
}

/** The incident's fixes as a restart would read them from the snapshot the gateway saves. */
function snapshotFixes(rig: Rig, id: string): unknown[] {
  const snap = JSON.parse(snapshotState(rig.core.state)) as { incidents: { incidents: { id: string; recentFixes: unknown[] }[] } };
  return snap.incidents.incidents.find((i) => i.id === id)?.recentFixes ?? [];
}

const lastFixTime = (rig: Rig, id: string) => (incidentView(rig.core.state, rig.core.state.incidents.get(id)!, false).lastFix as TrackPoint | null)?.fixTime;

/** Her alarm and 19 TRKs, 10 s apart: the incident they open, with 20 fixes. */
async function trackedIncident(rig: Rig): Promise<string> {
  const t0 = rig.clock.now();
  for (let n = 1; n <= 20; n++) {
    rig.clock.advance(10_000);
    await send(rig, n, t0 + n * 10_000, n === 1 ? 'ALM' : 'TRK');
  }
  return rig.core.state.incidents.all()[0]!.id;
}

describe('a closed incident keeps only its last fix', () => {
  it('in memory and in the snapshot, with the same last fix, also after a restart; the whole track stays in the log', async () => {
    const db = path.join(tmpDir(), 'tecsos.db');
    let rig = await startRig({ register: [registrationOf(H)], file: db });
    const id = await trackedIncident(rig);
    expect(snapshotFixes(rig, id)).toHaveLength(10); // open: the newest ten, as before
    const last = lastFixTime(rig, id);
    expect(await rig.core.close(id, { outcome: 'false-alarm' }, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();

    expect(snapshotFixes(rig, id)).toHaveLength(1);
    expect(lastFixTime(rig, id)).toBe(last);

    // The whole track is still in the log.
    expect((await rig.core.track(id))?.points).toHaveLength(20);

    // A restart (from the snapshot saved at the clean stop) shows the same.
    const clock = rig.clock;
    await rig.stop();
    rig = await startRig({ file: db, clock, register: [] });
    expect(snapshotFixes(rig, id)).toHaveLength(1);
    expect(lastFixTime(rig, id)).toBe(last);
    await rig.stop();
  });

  it('also when the snapshot was written before (a closed incident with its newest ten)', async () => {
    const db = path.join(tmpDir(), 'tecsos.db');
    let rig = await startRig({ register: [registrationOf(H)], file: db });
    const id = await trackedIncident(rig);
    const ten = snapshotFixes(rig, id);
    const last = lastFixTime(rig, id);
    await rig.core.close(id, { outcome: 'false-alarm' }, HANDLER);
    const clock = rig.clock;
    await rig.stop();
    // The snapshot as the code before this change saved it: the closed incident with its newest ten fixes.
    const file = new Database(db);
    const row = file.prepare("SELECT body FROM snapshots WHERE name = 'core'").get() as { body: string };
    const old = JSON.parse(row.body) as { incidents: { incidents: { id: string; recentFixes: unknown[] }[] } };
    old.incidents.incidents.find((i) => i.id === id)!.recentFixes = ten;
    file.prepare("UPDATE snapshots SET body = ? WHERE name = 'core'").run(JSON.stringify(old));
    file.close();

    rig = await startRig({ file: db, clock, register: [] });
    expect(rig.core.state.incidents.get(id)?.recentFixes).toHaveLength(1);
    expect(lastFixTime(rig, id)).toBe(last);
    await rig.stop();
  });
});
