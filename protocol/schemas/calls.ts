// Call events: a modem line rings (RING + +CLIP), a handler answers (ATA), the call ends.

import { z } from 'zod';
import { CallId, ForceName, HandsetId, IncidentId, LineId, PhoneNumber, Username } from './common.js';
import { eventSchema } from './envelope.js';

/** Decided by one function in the gateway (gateway/calls/priority.ts); TecSOS rings first. */
export const CallPriority = z.enum(['tecsos', 'tecsos-unregistered', 'test', 'ordinary']);
export type CallPriority = z.infer<typeof CallPriority>;

/** Who ended a call: the caller hung up, a handler hung up, or the network dropped it (NO CARRIER etc.). */
export const CallEndedBy = z.enum(['caller', 'handler', 'network']);
export type CallEndedBy = z.infer<typeof CallEndedBy>;

export const CallRinging = eventSchema('call.ringing', {
  callId: CallId,
  lineId: LineId,
  /** null: number withheld. */
  callerNumber: PhoneNumber.nullable(),
  priority: CallPriority,
  /** Registered handset the number belongs to, if any. */
  handsetId: HandsetId.nullable(),
  /** Open incident of that handset, if any. */
  incidentId: IncidentId.nullable(),
  /** Force whose TecSOS range or registry the number is in. */
  force: ForceName.nullable(),
});

/**
 * The caller's number of a call that rang with number null because its modem could not say it then (its
 * AT+CLCC refused as the call began to ring, a late +CLIP), and what it decides, as call.ringing would have
 * said: it replaces the call's number, priority, handset, incident and force, whatever state the call is in
 * (a handler may have answered it). At most one per call, only for a call that rang with number null.
 */
export const CallIdentified = eventSchema('call.identified', {
  callId: CallId,
  lineId: LineId,
  callerNumber: PhoneNumber,
  priority: CallPriority,
  handsetId: HandsetId.nullable(),
  incidentId: IncidentId.nullable(),
  force: ForceName.nullable(),
});

export const CallAnswered = eventSchema('call.answered', {
  callId: CallId,
  lineId: LineId,
  by: Username,
});

export const CallEnded = eventSchema('call.ended', {
  callId: CallId,
  lineId: LineId,
  endedBy: CallEndedBy,
  /** The handler who hung up, when endedBy is `handler`. */
  by: Username.nullable(),
  /** Seconds since answered; null when never answered. */
  talkSeconds: z.int().min(0).max(7 * 24 * 3600).nullable(),
});

export type CallRinging = z.infer<typeof CallRinging>;
export type CallIdentified = z.infer<typeof CallIdentified>;
export type CallAnswered = z.infer<typeof CallAnswered>;
export type CallEnded = z.infer<typeof CallEnded>;
