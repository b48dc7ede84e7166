// REST response bodies: incidents, calls and tracks as the gateway's projections hold them, for the console's
// first load (afterwards it follows the WebSocket events). Victim data appears only in IncidentView.victim,
// and only after the read was written to the audit log.

import { z } from 'zod';
import {
  BatteryPct,
  CallId,
  Csq,
  ForceName,
  HandsetId,
  IncidentId,
  LineId,
  Latitude,
  Longitude,
  PhoneNumber,
  Timestamp,
  Username,
} from './common.js';
import { CallEndedBy, CallPriority } from './calls.js';
import { AmlMethod, FixSource, GpsStatus } from './fixes.js';
import { VictimRecord } from './handsets.js';
import { IncidentCause, IncidentOutcome } from './incidents.js';

/** One position of a track (oldest first in a Track). */
export const TrackPoint = z.object({
  fixTime: Timestamp,
  receivedAt: Timestamp,
  lat: Latitude,
  lon: Longitude,
  accuracyM: z.number().min(0).max(1_000_000).nullable(),
  source: FixSource,
  gpsStatus: GpsStatus.nullable(),
  amlMethod: AmlMethod.nullable(),
  speedKnots: z.number().min(0).max(1000).nullable(),
  courseDeg: z.number().min(0).max(360).nullable(),
  /** AML only: the phone's confidence in `accuracyM`, percent (the `fix` event's; the REST track leaves it out). */
  confidencePct: z.number().min(0).max(100).optional(),
});
export type TrackPoint = z.infer<typeof TrackPoint>;

/** GET /api/incidents/:id/track (JSON form; GeoJSON and GPX exports are separate). */
export const Track = z.object({
  incidentId: IncidentId,
  handsetId: HandsetId.nullable(),
  points: z.array(TrackPoint).max(100_000),
});
export type Track = z.infer<typeof Track>;

export const IncidentState = z.enum(['open', 'acknowledged', 'closed']);

/** GET /api/incidents (list, `victim` null) and GET /api/incidents/:id (with the victim record, audited). */
export const IncidentView = z.object({
  id: IncidentId,
  handsetId: HandsetId,
  state: IncidentState,
  cause: IncidentCause,
  priority: CallPriority,
  force: ForceName.nullable(),
  openedAt: Timestamp,
  acknowledgedAt: Timestamp.nullable(),
  acknowledgedBy: Username.nullable(),
  closedAt: Timestamp.nullable(),
  closedBy: Username.nullable(),
  outcome: IncidentOutcome.nullable(),
  /** The force it was handed to, when the outcome is `transferred` (incident.closed `transferredTo`). */
  transferredTo: ForceName.optional(),
  /** The handset is still sending TRK reports for this incident. */
  tracking: z.boolean(),
  callIds: z.array(CallId).max(100),
  lastFix: TrackPoint.nullable(),
  handset: z
    .object({ batteryPct: BatteryPct.nullable(), csq: Csq.nullable(), lastReportAt: Timestamp.nullable() })
    .nullable(),
  victim: VictimRecord.nullable(),
});
export type IncidentView = z.infer<typeof IncidentView>;

export const CallState = z.enum(['ringing', 'answered', 'ended']);

/** GET /api/calls: ringing and active calls (and recently ended ones). */
export const CallView = z.object({
  id: CallId,
  lineId: LineId,
  callerNumber: PhoneNumber.nullable(),
  priority: CallPriority,
  handsetId: HandsetId.nullable(),
  incidentId: IncidentId.nullable(),
  force: ForceName.nullable(),
  state: CallState,
  ringingAt: Timestamp,
  answeredAt: Timestamp.nullable(),
  answeredBy: Username.nullable(),
  endedAt: Timestamp.nullable(),
  endedBy: CallEndedBy.nullable(),
  /**
   * The user (call handler or supervisor) who hung up: call.ended's `by`. Null when the caller or the network
   * ended the call, or a handler's hang-up the gateway cannot name. Added 25 Nov, optional: absent in a view made
   * before then, and from a client that does not know it.
   */
  hungUpBy: Username.nullable().optional(),
});
export type CallView = z.infer<typeof CallView>;
