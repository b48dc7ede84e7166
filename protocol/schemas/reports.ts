// Report events: every TSR1 report (and AML SMS) is either accepted or rejected; a rejection is a
// security event, stored and counted, never attached to an incident.

import { z } from 'zod';
import { Counter, Detail, HandsetId, IncidentId, PhoneNumber, ReportEventCode, Timestamp } from './common.js';
import { eventSchema } from './envelope.js';

/**
 * Why an incoming message was refused. The first group are protocol/report's WireReason codes (decoding
 * and MAC), then the replay window's outcomes, then the gateway's own checks.
 */
export const ReportRejectReason = z.enum([
  'wrong-version',
  'truncated',
  'too-long',
  'not-gsm7',
  'bad-field',
  'absurd-value',
  'bad-mac',
  'duplicate',
  'replay',
  'too-old',
  /** `h=` names no registered handset. */
  'unknown-handset',
  /** The SMS came from a number other than the handset's registered one (after a valid MAC). */
  'sender-mismatch',
  /** A concatenated SMS whose parts never all arrived. */
  'incomplete',
  /** An SMS that is neither TSR1 nor AML from a number with no call. */
  'unknown-sender',
  /** An AML SMS that parseAml refused. */
  'bad-aml',
]);
export type ReportRejectReason = z.infer<typeof ReportRejectReason>;

export const ReportAccepted = eventSchema('report.accepted', {
  handsetId: HandsetId,
  counter: Counter,
  event: ReportEventCode,
  batteryPct: z.int().min(0).max(100),
  csq: z.int().min(0).max(99),
  incidentId: IncidentId.nullable(),
  receivedAt: Timestamp,
  fromNumber: PhoneNumber.nullable(),
});

export const ReportRejected = eventSchema('report.rejected', {
  reason: ReportRejectReason,
  /** The handset the message claims to be from (unverified), when it could be read. */
  claimedHandsetId: HandsetId.nullable(),
  counter: Counter.nullable(),
  fromNumber: PhoneNumber.nullable(),
  receivedAt: Timestamp,
  detail: Detail,
});

export type ReportAccepted = z.infer<typeof ReportAccepted>;
export type ReportRejected = z.infer<typeof ReportRejected>;
