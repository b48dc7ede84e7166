// The projections as the REST API shows them (protocol/schemas views.ts: IncidentView, CallView, Track).
// Victim data appears only in an incident read one at a time (the HTTP edge audits that read first).
import type { CallView, IncidentView, Track, TrackPoint } from '../http/actions.js';
import type { Call } from '../incidents/calls.js';
import { fixRecordOf, type FixRecord } from '../incidents/fix-record.js';
import type { Incident } from '../incidents/incidents.js';
import type { StoredEvent } from '../store/event-store.js';
import type { CoreState } from './state.js';

function point(f: FixRecord) {
  return {
    fixTime: f.fixTime,
    receivedAt: f.receivedAt,
    lat: f.lat,
    lon: f.lon,
    accuracyM: f.accuracyM,
    source: f.source,
    gpsStatus: f.gpsStatus,
    amlMethod: f.amlMethod,
    speedKnots: f.speedKnots,
    courseDeg: f.courseDeg,
  };
}

/** One incident; `withVictim` adds the victim's record (a single, audited read). */
export function incidentView(state: CoreState, i: Incident, withVictim: boolean): IncidentView {
  const h = state.registry.get(i.handsetId);
  const last = i.recentFixes[i.recentFixes.length - 1];
  return {
    id: i.id,
    handsetId: i.handsetId,
    state: i.state,
    cause: i.cause,
    priority: i.priority,
    force: i.force,
    openedAt: i.openedAt,
    acknowledgedAt: i.acknowledgedAt,
    acknowledgedBy: i.acknowledgedBy,
    closedAt: i.closedAt,
    closedBy: i.closedBy,
    outcome: i.outcome,
    ...(i.transferredTo !== null && { transferredTo: i.transferredTo }),
    tracking: i.tracking,
    callIds: [...i.callIds],
    lastFix: last === undefined ? null : point(last),
    handset: h === undefined ? null : { batteryPct: h.batteryPct, csq: h.csq, lastReportAt: h.lastReportAt },
    // A closed incident of a handset re-issued since (a new key) shows no one's record rather than the new
    // holder's (which holder's it is goes by log order: by time, one stamped while the clock ran ahead showed
    // the new holder's record). An open incident always shows the current record: a handler working an alarm
    // needs it (after a re-issue, the open incident is the new holder's alarm, or an old one nobody closed).
    victim: withVictim && h !== undefined && (i.state !== 'closed' || i.openedSeq > h.keySeq) ? h.victim : null,
  };
}

export function callView(c: Call): CallView {
  return {
    id: c.id,
    lineId: c.lineId,
    callerNumber: c.callerNumber,
    priority: c.priority,
    handsetId: c.handsetId,
    incidentId: c.incidentId,
    force: c.force,
    state: c.state,
    ringingAt: c.ringingAt,
    answeredAt: c.answeredAt,
    answeredBy: c.answeredBy,
    endedAt: c.endedAt,
    endedBy: c.endedBy,
    hungUpBy: c.hungUpBy,
  };
}

/**
 * A track, oldest fix first (by fix time: reports arrive out of order; equal times by seq). Each point carries
 * both the HTTP edge's export fields (`at`, `latitude`, `longitude`) and protocol/schemas' TrackPoint fields
 * (`fixTime`, `lat`, `lon`, ...); unknown accuracy, speed and course are null (protocol/schemas), which the
 * exports write as null.
 */
export function trackOfFixes(i: Incident, fixes: readonly FixRecord[]): Track {
  const points = [...fixes]
    .sort((a, b) => a.fixTime.localeCompare(b.fixTime) || a.seq - b.seq)
    .map((f) => ({
      ...point(f),
      at: f.fixTime,
      latitude: f.lat,
      longitude: f.lon,
      ...(f.speedKnots !== null && { speedKmh: Math.round(f.speedKnots * 1.852 * 100) / 100 }),
    }) as unknown as TrackPoint);
  return { incidentId: i.id, handsetId: i.handsetId, points };
}

/**
 * The incident's whole track (REST /api/incidents/:id/track, GeoJSON and GPX exports) from its `fix` events as
 * the store reads them (EventStore.readFixes, seq order). Redacted events and fixes of other incidents are left
 * out here too, so a caller handing over a wider read still gets this incident's track only.
 */
export function trackFromFixEvents(i: Incident, events: readonly StoredEvent[]): Track {
  const fixes = events.filter((s) => !s.redacted && s.event.type === 'fix' && s.event['incidentId'] === i.id).map(fixRecordOf);
  return trackOfFixes(i, fixes);
}

/**
 * The track of the fixes the projection still holds: only the newest RECENT_FIXES (incidents.ts). Not the
 * whole track: the REST track and the exports must use trackFromFixEvents.
 */
export function trackOf(i: Incident): Track {
  return trackOfFixes(i, i.recentFixes);
}
