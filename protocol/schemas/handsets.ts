// Handsets: status and health events, and the engineer's registration body (with the victim's record).

import { z } from 'zod';
import { BatteryPct, Counter, Csq, Detail, ForceName, HandsetId, IncidentId, Note, PhoneNumber, ReportEventCode, Timestamp } from './common.js';
import { eventSchema } from './envelope.js';
import { ReportRejectReason } from './reports.js';

/** The handset's last known state, after every accepted report. */
export const HandsetStatus = eventSchema('handset.status', {
  handsetId: HandsetId,
  batteryPct: BatteryPct,
  csq: Csq,
  lastReportAt: Timestamp,
  lastEvent: ReportEventCode,
  lastCounter: Counter,
});

/** A problem engineers must look at (or its end: `recovered`). */
export const HandsetProblem = z.enum(['missed-heartbeat', 'low-battery', 'tamper', 'recovered']);

export const HandsetHealth = eventSchema('handset.health', {
  handsetId: HandsetId,
  problem: HandsetProblem,
  lastHeartbeatAt: Timestamp.nullable(),
  batteryPct: BatteryPct.nullable(),
  detail: Detail,
});

/**
 * A handset key as typed or pasted by an engineer: 32 bytes as 64 hex digits, or as base64 / base64url
 * (43 characters unpadded, 44 with `=`).
 */
export const HandsetKeyText = z
  .string()
  .max(100)
  .refine((s) => /^[0-9a-fA-F]{64}$/.test(s) || /^[A-Za-z0-9+/_-]{43}=?$/.test(s), {
    message: 'key must be 32 bytes: 64 hex digits or 43/44 base64 characters',
  });

/** A risk marker shown to handlers, e.g. `weapons`, `strangulation-history`, `children-present`. */
export const RiskMarker = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/);

/** The victim's record, shown to the handler with the call. Every read of it is audited. */
export const VictimRecord = z.strictObject({
  name: z.string().min(1).max(100),
  /** What the handler must know at once (e.g. "abuser has keys; hearing impaired; speak Polish"). */
  safetyNotes: Note,
  riskMarkers: z.array(RiskMarker).max(20),
  /** Usual address, to compare with the fix. */
  address: z.string().max(300).optional(),
  /** The abuser's description / name for officers. */
  perpetratorNotes: Note.optional(),
});
export type VictimRecord = z.infer<typeof VictimRecord>;

/** POST /api/handsets (engineer). */
export const HandsetRegisterRequest = z.strictObject({
  id: HandsetId,
  /** The handset SIM's number (E.164): its calls and SMS come from it. */
  number: PhoneNumber,
  imei: z.string().regex(/^[0-9]{15}$/),
  key: HandsetKeyText,
  /** Police force the handset is issued by. */
  force: ForceName,
  victim: VictimRecord,
  /** Test mode: its calls are labelled test calls. */
  testMode: z.boolean().default(false),
  /** Re-register an existing id (new key, new victim): refused without it. */
  replace: z.boolean().default(false),
});
export type HandsetRegisterRequest = z.infer<typeof HandsetRegisterRequest>;

/** A handset as listed to engineers (never the key). */
export const HandsetView = z.object({
  id: HandsetId,
  number: PhoneNumber,
  imei: z.string().regex(/^[0-9]{15}$/),
  force: ForceName,
  testMode: z.boolean(),
  registeredAt: Timestamp,
  batteryPct: BatteryPct.nullable(),
  csq: Csq.nullable(),
  lastReportAt: Timestamp.nullable(),
  lastHeartbeatAt: Timestamp.nullable(),
  /**
   * True until the gateway has accepted a report signed with the handset's current key (after provisioning,
   * its test report): a handset whose key, number or line is wrong stays untested. Optional: older gateways.
   */
  untested: z.boolean().optional(),
  /**
   * The last report refused that claimed to be from this handset since its last registration (why a
   * test report did not count: `sender-mismatch`, `bad-mac`, ...); the claim is unverified. Engineers get
   * `detail: ''` (it may name the number the SMS came from: docs/api.md "Who sees what"). Optional: older gateways.
   */
  lastRejection: z.object({ reason: ReportRejectReason, at: Timestamp, detail: Detail }).nullable().optional(),
  /** The open incident (not a test one) the handset is in: a re-issue (new key) is refused until it is closed. */
  openIncidentId: IncidentId.nullable().optional(),
});
export type HandsetView = z.infer<typeof HandsetView>;

export type HandsetStatus = z.infer<typeof HandsetStatus>;
export type HandsetHealth = z.infer<typeof HandsetHealth>;
