// The projections as the REST API shows them (protocol/schemas views.ts: IncidentView, CallView, Track).
// Victim data appears only in an incident read one at a time (the HTTP edge audits that read first).
import type { CallView, IncidentView, Track, TrackPoint } from '../http/actions.js';
import type { Call } from '../incidents/calls.js';
import type { FixRecord, Incident } from '../incidents/incidents.js';
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
  const last = i.fixes[i.fixes.length - 1];
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
    victim: withVictim && h !== undefined ? h.victim : null,
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
  };
}

/**
 * The incident's track, oldest fix first. Each point carries both the HTTP edge's export fields (`at`,
 * `latitude`, `longitude`) and protocol/schemas' TrackPoint fields (`fixTime`, `lat`, `lon`, ...); unknown
 * accuracy, speed and course are null (protocol/schemas), which the exports write as null.
 */
export function trackOf(i: Incident): Track {
  const points = [...i.fixes]
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
