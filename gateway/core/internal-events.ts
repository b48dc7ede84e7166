// Internal events: stored in the log beside the protocol/schemas GatewayEvents, because the log is the only
// source of truth, but never sent to a console (public-log.ts masks them). They hold what no console may see:
// the raw SMS (a victim's position, before verification) and the handset registration (its key, the victim's
// record). Schemas live here, not in protocol/schemas, since nothing outside the gateway reads them.
//
//   { type: 'sms.received', at, lineId: 'L1', pdu: '07914477...', index: 3, receivedAt: '2026-11-23T06:00:01.000Z' }
//   { type: 'handset.registered', at, handsetId: 'TS-0001', number: '+447700900123', imei: '356938035643809',
//     keyHex: '64 hex digits', force: 'Met', victim: {...}, testMode: false, by: 'engineer' }
//   { type: 'command.reserved', at, handsetId: 'TS-0001', counter: 18, command: { kind: 'STOP' }, incidentId: 'INC-000001', by: 'handler' }
//   { type: 'stop.owed', at, handsetId: 'TS-0001', incidentId: 'INC-000001', by: 'handler', until: '2026-11-23T07:10:00.000Z' }
//   { type: 'reassembly.expired', at, from: '+447700900123', ref: 42, refBits: 8, total: 2, firstSeenAt }
import { z } from 'zod';
import { ForceName, HandsetId, IncidentId, LineId, PhoneNumber, Timestamp, Username, Counter } from '../../protocol/schemas/common.js';
import { VictimRecord } from '../../protocol/schemas/handsets.js';
import { HandsetCommand } from '../../protocol/schemas/commands.js';

const base = { at: Timestamp };

/** One incoming SMS (one part), stored before anything else is done with it, so release() may delete it. */
export const SmsReceived = z.object({
  ...base,
  type: z.literal('sms.received'),
  lineId: LineId,
  /** As the modem gave it (stored even when it is not valid hex: it is evidence of what arrived). */
  pdu: z.string().max(1200),
  index: z.int().min(0).nullable(),
  receivedAt: Timestamp,
});

/** A handset's registration (REST, manifest import): the registry is a projection of these. */
export const HandsetRegistered = z.object({
  ...base,
  type: z.literal('handset.registered'),
  handsetId: HandsetId,
  number: PhoneNumber,
  imei: z.string().regex(/^[0-9]{15}$/),
  /** The 32-byte report key, hex. */
  keyHex: z.string().regex(/^[0-9a-f]{64}$/),
  force: ForceName,
  /** The holder's record; null once retention cleared it from a registration a later one replaced (retention.ts). */
  victim: VictimRecord.nullable(),
  testMode: z.boolean(),
  by: z.union([Username, z.literal('system')]),
  /** Set by retention with the fields it cleared (`['victim']`). */
  redactedFields: z.array(z.string()).optional(),
});

/**
 * A TSC1 counter taken before the command goes out, so that a crash can never make the gateway reuse one; with
 * the command it is for (absent before they were kept), so that a crash before its outcome was stored leaves
 * enough to record it at the next start (unsettled-commands.ts).
 */
export const CommandReserved = z.object({
  ...base,
  type: z.literal('command.reserved'),
  handsetId: HandsetId,
  counter: Counter,
  command: HandsetCommand.optional(),
  incidentId: IncidentId.nullable().optional(),
  by: z.union([Username, z.null()]).optional(),
});

/**
 * A close's STOP that surely did not leave (stored with its `command.result` `failed`): the core sends it again
 * when a line is free, until `until` (owed-stops.ts).
 */
export const StopOwed = z.object({
  ...base,
  type: z.literal('stop.owed'),
  handsetId: HandsetId,
  incidentId: IncidentId,
  by: z.union([Username, z.null()]),
  until: Timestamp,
  /** The counter of the try that failed (its `command.result`); absent in logs from before 25 Nov 2026. */
  counter: Counter.optional(),
});

/** A concatenated SMS given up on (its report.rejected `incomplete` is stored with it); start-up replay uses it. */
export const ReassemblyExpired = z.object({
  ...base,
  type: z.literal('reassembly.expired'),
  from: z.string().max(40),
  ref: z.int().min(0).max(0xffff),
  refBits: z.union([z.literal(8), z.literal(16)]),
  total: z.int().min(1).max(255),
  firstSeenAt: z.number(),
});

export const InternalEvent = z.discriminatedUnion('type', [SmsReceived, HandsetRegistered, CommandReserved, StopOwed, ReassemblyExpired]);
export type InternalEvent = z.infer<typeof InternalEvent>;
export type SmsReceived = z.infer<typeof SmsReceived>;
export type HandsetRegistered = z.infer<typeof HandsetRegistered>;
export type CommandReserved = z.infer<typeof CommandReserved>;
export type StopOwed = z.infer<typeof StopOwed>;
export type ReassemblyExpired = z.infer<typeof ReassemblyExpired>;

/** The internal event types, for the retention list and the masking of public-log.ts. */
export const INTERNAL_EVENT_TYPES: readonly InternalEvent['type'][] = InternalEvent.options.map((o) => o.shape.type.value);
