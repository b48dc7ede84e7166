// An incident's track: the projection keeps only the newest fixes in memory (memory stays flat however long a
// handset tracks), the whole track is read from the log (EventStore.readFixes + views.ts trackFromFixEvents),
// in fix-time order, with retention's redactions left out.
import { describe, expect, it } from 'vitest';
import type { TrackPoint } from '../../../protocol/schemas/views.js';
import { incidentView, trackFromFixEvents, trackOf } from '../../../gateway/core/views.js';
import { RECENT_FIXES, type Incident } from '../../../gateway/incidents/incidents.js';
import { deliverPdus, fleetHandset, positionOf, registrationOf, reportText } from '../../support/fleet.js';
import { startRig, type Rig } from '../core/harness.js';

/** The points with protocol/schemas' TrackPoint fields (views.ts gives both them and the export fields). */
const pointsOf = (t: { points: readonly unknown[] }) => t.points as readonly (TrackPoint & { at: string; latitude: number })[];

const H = fleetHandset(0);
const FIXES = RECENT_FIXES * 3;

/** An alarm, then TRK reports every 10 s; report 7 arrives after report 8 (SMS reorder). Returns the incident. */
async function longTrack(rig: Rig): Promise<Incident> {
  const t0 = rig.clock.now();
  const order = Array.from({ length: FIXES }, (_, i) => i + 1);
  [order[6], order[7]] = [order[7] as number, order[6] as number];
  for (const n of order) {
    rig.clock.advance(10_000);
    const text = reportText(H, n, t0 + n * 10_000, n === 1 ? 'ALM' : 'TRK');
    await rig.sms(deliverPdus(text, H.number, n, rig.clock.now()));
  }
  return rig.core.state.incidents.all()[0] as Incident;
}

describe('incident track', () => {
  it('the whole track comes from the log in fix-time order; memory holds only the newest fixes', async () => {
    const rig = await startRig({ register: [registrationOf(H)] });
    const incident = await longTrack(rig);
    const track = trackFromFixEvents(incident, await rig.store.readFixes(incident.id));
    const points = pointsOf(track);
    expect(track.incidentId).toBe(incident.id);
    expect(track.handsetId).toBe(H.id);
    expect(points).toHaveLength(FIXES);
    // Fix-time order although report 8 arrived before 7; positions are the reported ones (4-decimal minutes).
    const times = points.map((p) => Date.parse(p.fixTime));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    points.forEach((p, i) => {
      const want = positionOf(H, i + 1);
      expect(p.lat).toBeCloseTo(want.lat, 5);
      expect(p.lon).toBeCloseTo(want.lon, 5);
    });
    // Both the export fields and protocol/schemas' TrackPoint fields.
    expect(points[0]).toMatchObject({ source: 'gps', gpsStatus: 'valid', at: points[0]?.fixTime, latitude: points[0]?.lat, speedKnots: 1.2, speedKmh: 2.22 });

    // In memory: the newest RECENT_FIXES by fix time; the view's last fix is the newest.
    expect(incident.recentFixes).toHaveLength(RECENT_FIXES);
    expect((incidentView(rig.core.state, incident, false).lastFix as TrackPoint | null)?.fixTime).toBe(points[FIXES - 1]?.fixTime);
    // The in-memory trail is the tail of the whole track, point for point.
    expect(trackOf(incident).points).toEqual(track.points.slice(-RECENT_FIXES));
  });

  it('a short track is the same from memory and from the log; fixes of other incidents and redacted ones are left out', async () => {
    const rig = await startRig({ register: [registrationOf(H), registrationOf(fleetHandset(1))] });
    const other = fleetHandset(1);
    await rig.sms(deliverPdus(reportText(H, 1, rig.clock.now(), 'ALM'), H.number, 1, rig.clock.now()));
    await rig.sms(deliverPdus(reportText(other, 1, rig.clock.now(), 'ALM'), other.number, 2, rig.clock.now()));
    rig.clock.advance(10_000);
    await rig.sms(deliverPdus(reportText(H, 2, rig.clock.now()), H.number, 3, rig.clock.now()));
    const [mine] = rig.core.state.incidents.all() as [Incident];
    const everything = await rig.store.readSince(0, 10_000);
    expect(trackFromFixEvents(mine, everything)).toEqual(trackOf(mine));
    expect(trackFromFixEvents(mine, everything).points).toHaveLength(2);
    const redacted = everything.map((e) => (e.event.type === 'fix' ? { ...e, redacted: true } : e));
    expect(trackFromFixEvents(mine, redacted).points).toEqual([]);
  });

  it('a late report (an SMS delayed, kept by the replay window) does not become the last fix over a newer one', async () => {
    const rig = await startRig({ register: [registrationOf(H)] });
    const t0 = rig.clock.now();
    rig.clock.advance(120_000);
    await rig.sms(deliverPdus(reportText(H, 1, t0, 'ALM'), H.number, 1, rig.clock.now()));
    await rig.sms(deliverPdus(reportText(H, 3, t0 + 20_000), H.number, 3, rig.clock.now()));
    rig.clock.advance(60_000);
    await rig.sms(deliverPdus(reportText(H, 2, t0 + 10_000), H.number, 2, rig.clock.now()));
    expect(rig.ofType('report.accepted').map((e) => e['counter'])).toEqual([1, 3, 2]);
    const incident = rig.core.state.incidents.all()[0] as Incident;
    const last = incidentView(rig.core.state, incident, false).lastFix as TrackPoint | null;
    expect(last?.fixTime).toBe(new Date(t0 + 20_000).toISOString());
    expect(last?.lat).toBeCloseTo(positionOf(H, 3).lat, 5);
    expect(trackOf(incident)).toEqual(trackFromFixEvents(incident, await rig.store.readFixes(incident.id)));
  });

  it('two fixes with the same fix time: the one that arrived last is the last fix', async () => {
    const rig = await startRig({ register: [registrationOf(H)] });
    const t0 = rig.clock.now();
    rig.clock.advance(60_000);
    await rig.sms(deliverPdus(reportText(H, 1, t0, 'ALM'), H.number, 1, rig.clock.now()));
    rig.clock.advance(10_000);
    await rig.sms(deliverPdus(reportText(H, 2, t0 + 10_000), H.number, 2, rig.clock.now()));
    rig.clock.advance(10_000);
    await rig.sms(deliverPdus(reportText(H, 3, t0 + 10_000), H.number, 3, rig.clock.now()));
    expect(rig.ofType('report.accepted').map((e) => e['counter'])).toEqual([1, 2, 3]);
    expect(positionOf(H, 3).lat).not.toBeCloseTo(positionOf(H, 2).lat, 5);
    const incident = rig.core.state.incidents.all()[0] as Incident;
    const last = incidentView(rig.core.state, incident, false).lastFix as TrackPoint | null;
    expect(last?.fixTime).toBe(new Date(t0 + 10_000).toISOString());
    expect(last?.lat).toBeCloseTo(positionOf(H, 3).lat, 5);
  });

  it('retention: purged fixes leave the track and the memory; the last fix is gone with them', async () => {
    const rig = await startRig({ register: [registrationOf(H)], config: { retentionDays: 1 } });
    const incident = await longTrack(rig);
    rig.clock.advance(2 * 86_400_000);
    await rig.core.purgeNow();
    await rig.core.idle();
    expect(trackFromFixEvents(incident, await rig.store.readFixes(incident.id)).points).toEqual([]);
    expect(incident.recentFixes).toEqual([]);
    expect(incidentView(rig.core.state, incident, false).lastFix).toBeNull();
    // A fix after the purge is the track and the last fix again.
    await rig.sms(deliverPdus(reportText(H, FIXES + 1, rig.clock.now()), H.number, 99, rig.clock.now()));
    const track = trackFromFixEvents(incident, await rig.store.readFixes(incident.id));
    expect(track.points).toHaveLength(1);
    expect(incidentView(rig.core.state, incident, false).lastFix).toEqual(expect.objectContaining({ fixTime: pointsOf(track)[0]?.fixTime }));
  });
});
