// Incident events: one incident per alarm (or per TecSOS call), acknowledged, tracked and closed by handlers.

import { z } from 'zod';
import { CallId, Counter, ForceName, HandsetId, IncidentId, Note, Username } from './common.js';
import { CallPriority } from './calls.js';
import { eventSchema } from './envelope.js';

/** How an incident ended. */
export const IncidentOutcome = z.enum([
  'officers-attended',
  'resolved-by-phone',
  'transferred',
  'false-alarm',
  'accidental-activation',
  'test',
  'no-trace',
  'other',
]);
export type IncidentOutcome = z.infer<typeof IncidentOutcome>;

/**
 * What opened the incident: an ALM report, a call from a handset (before its report), a TST report, or a TRK
 * report from a handset with no incident (`tracking`: the handset only tracks after an alarm, so its alarm
 * SMS was lost and its call has not come through; gateway/reports/report-events/trk.ts).
 */
export const IncidentCause = z.enum(['alarm', 'call', 'test', 'tracking']);
export type IncidentCause = z.infer<typeof IncidentCause>;

export const IncidentOpened = eventSchema('incident.opened', {
  incidentId: IncidentId,
  handsetId: HandsetId,
  cause: IncidentCause,
  priority: CallPriority,
  callId: CallId.nullable(),
  force: ForceName.nullable(),
});

export const IncidentAcknowledged = eventSchema('incident.acknowledged', {
  incidentId: IncidentId,
  by: Username,
  note: Note.optional(),
});

export const IncidentClosed = eventSchema('incident.closed', {
  incidentId: IncidentId,
  by: Username,
  outcome: IncidentOutcome,
  /** The force it was handed to, when outcome is `transferred`. */
  transferredTo: ForceName.optional(),
  note: Note.optional(),
});

/** Tracking ended: a handler sent STOP, the tracking period ran out, or the handset stopped by itself. */
export const IncidentTrackingStopped = eventSchema('incident.tracking-stopped', {
  incidentId: IncidentId,
  handsetId: HandsetId,
  reason: z.enum(['handler', 'timeout', 'handset']),
  by: Username.nullable(),
});

export const IncidentLocateRequested = eventSchema('incident.locate-requested', {
  incidentId: IncidentId,
  handsetId: HandsetId,
  by: Username,
});

/**
 * The victim raised a new alarm (an ALM after the one that the incident already had) while the incident was
 * acknowledged and not closed: it needs a handler's attention again, so the incident is open (not
 * acknowledged) from here, and the console sounds as for a new alarm.
 */
export const IncidentReAlarmed = eventSchema('incident.re-alarmed', {
  incidentId: IncidentId,
  handsetId: HandsetId,
  /** The ALM report's counter (`n`). */
  reportCounter: Counter,
});

export type IncidentOpened = z.infer<typeof IncidentOpened>;
export type IncidentReAlarmed = z.infer<typeof IncidentReAlarmed>;
export type IncidentAcknowledged = z.infer<typeof IncidentAcknowledged>;
export type IncidentClosed = z.infer<typeof IncidentClosed>;
export type IncidentTrackingStopped = z.infer<typeof IncidentTrackingStopped>;
export type IncidentLocateRequested = z.infer<typeof IncidentLocateRequested>;
