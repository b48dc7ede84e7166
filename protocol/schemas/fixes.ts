// A position: from a TSR1 report's RMC/GGA (source `gps`) or from an AML SMS (source `aml`). Quality is
// kept honest: the fix's own time (its age is `at` or now minus fixTime), accuracy, GPS status.

import { z } from 'zod';
import { CallId, Counter, HandsetId, IncidentId, Latitude, Longitude, PhoneNumber, Seq, Timestamp } from './common.js';
import { eventSchema } from './envelope.js';

export const FixSource = z.enum(['gps', 'aml']);
export type FixSource = z.infer<typeof FixSource>;

/** RMC status: `valid` (A), `invalid` (V: the position is the receiver's last, not a current fix); null for AML. */
export const GpsStatus = z.enum(['valid', 'invalid']);

/** AML positioning method (parseAml's `method`). */
export const AmlMethod = z.enum(['gnss', 'wifi', 'cell', 'none', 'other']);

export const Fix = eventSchema('fix', {
  /** null: an AML for an ordinary call with no incident. */
  incidentId: IncidentId.nullable(),
  /** null: an AML from a phone that is not a registered handset. */
  handsetId: HandsetId.nullable(),
  /** The call an AML was attached to. */
  callId: CallId.nullable(),
  lat: Latitude,
  lon: Longitude,
  /** Metres (HDOP-based estimate for GPS, the AML radius); null when unknown. */
  accuracyM: z.number().min(0).max(1_000_000).nullable(),
  /** When the position was measured (RMC date+time, AML `top`). */
  fixTime: Timestamp,
  /** When the gateway received the message carrying it. */
  receivedAt: Timestamp,
  source: FixSource,
  gpsStatus: GpsStatus.nullable(),
  amlMethod: AmlMethod.nullable(),
  speedKnots: z.number().min(0).max(1000).nullable(),
  courseDeg: z.number().min(0).max(360).nullable(),
  sats: z.int().min(0).max(99).nullable(),
  hdop: z.number().min(0).max(100).nullable(),
  /** TSR1 counter of the report; null for AML. */
  reportCounter: Counter.nullable(),
  /**
   * AML only: the phone's confidence, in percent, that the caller is inside `accuracyM` (`lc`; Android sends
   * 68). A GPS fix's `accuracyM` is a 95 % estimate; an AML radius at 68 % is about 1.6 times too small beside
   * it (console/map-view.ts draws both at 95 %). Absent when the AML gave none.
   */
  confidencePct: z.number().min(0).max(100).optional(),
  /**
   * An AML that arrived while no call from its sender was up (none yet, or one that had ended): the sender's
   * number (E.164). The fix waits for the next call from that number to ring within 30 min, which then gets a
   * copy of it (`copyOf`).
   */
  fromNumber: PhoneNumber.optional(),
  /** A copy of the AML fix stored at this seq, joined to a call from its sender that rang after it came. */
  copyOf: Seq.optional(),
});
export type Fix = z.infer<typeof Fix>;
