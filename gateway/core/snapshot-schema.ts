// The snapshot of CoreState (snapshot.ts), format 16: everything apply() builds, as JSON, so that a start-up can
// restore it and apply only the events after `lastSeq` instead of the whole log. It is read from disk, so it
// is checked here before anything is restored: every string bounded, every number finite, every union one of
// its members. A snapshot this schema refuses is ignored and the projections are rebuilt from the log.
//
//   { "format": 16, "lastSeq": 2800000,
//     "registry": { "handsets": [ { "id": "TS-00001", "number": "+447700100000", "keyHex": "...",
//                                   "window": { "highest": 71, "bitmap": "ffff...", "macs": [...] }, ... } ],
//                   "byNumber": [["+447700100000", "TS-00001"], ...] },
//     "incidents": { "incidents": [ { "id": "INC-000001", ..., "recentFixes": [ { "seq": 12, ... } ] } ],
//                    "open": [["TS-00001", "INC-000001"], ...] },
//     "calls": { "minted": 3, "calls": [ { "id": "CALL-000003", ... } ], "active": [["L1", "CALL-000003"]] },
//     "commands": { "byHandset": [["TS-00001", [ { "counter": 4, ... } ]]], "locatedAt": [["TS-00001", 1795000000000]] },
//     "waitingAml": [ { "seq": 2799990, "fromNumber": "+447700900999", "lat": 51.5007, ... } ],
//     "owedStops": [ { "handsetId": "TS-00001", "incidentId": "INC-000001", "by": "handler", "until": 1795004200000, "counter": 231234567 } ] }
//
// Maps are lists of pairs in insertion order, which is the order apply() inserted them in (lists and queue
// ties follow it), so a restored state iterates exactly like a rebuilt one. Bump SNAPSHOT_FORMAT when the
// shape or the meaning of a field changes: an old snapshot is then refused, never misread.
import { z } from 'zod';
import { parseReplayWindowState } from '../../protocol/report/replay-window.js';
import { CallEndedBy, CallPriority } from '../../protocol/schemas/calls.js';
import { VictimRecord } from '../../protocol/schemas/handsets.js';
import { Detail } from '../../protocol/schemas/common.js';
import { ReportRejectReason } from '../../protocol/schemas/reports.js';
import { AmlMethod } from '../../protocol/schemas/fixes.js';
import { IncidentCause, IncidentOutcome } from '../../protocol/schemas/incidents.js';
import { MAX_WAITING } from '../incidents/waiting-aml.js';

/**
 * The snapshot format this code writes and reads.
 *   1: an incident's recentFixes in seq (arrival) order.
 *   2: recentFixes in fix-time order (commit 7384005, same shape, new meaning): a format-1 snapshot restored
 *      as is made a late report the incident's last fix again; it is refused and rebuilt from the log.
 *   3: an incident's `alarms` (ALM reports accepted into it), which decides incident.re-alarmed, and a
 *      handset's `issuedAt` (which incidents may show its victim record); a format-2 snapshot has neither, so
 *      it is refused and rebuilt from the log.
 *   4: commands' `locatedAt` (when a LOCATE was last sent to each handset), which tells a LOCATE's TRK from a
 *      TRK that opens an incident (reports/report-events/trk.ts); a format-3 snapshot has none.
 *   5: `locatedAt` holds one pair per LOCATE not yet answered by a TRK (a handset may appear more than once),
 *      no longer the last LOCATE of each handset, answered or not: a format-4 snapshot means something else.
 *   6: an incident's `lowestTrk` (the lowest TRK counter accepted into it), which decides incident.re-alarmed
 *      for an incident opened by a TRK; a format-5 snapshot has none.
 *   7: an incident's `highestCounter` (the highest report counter accepted into it), which tells a report of
 *      an alarm already handled (numbered below the handset's last closed incident) from a new one; a
 *      format-6 snapshot has none.
 *   8: a handset's `keySeq` (the seq of the registration that set its key) and an incident's `openedSeq`,
 *      which tell the current holder's incidents from the previous holder's by log order (they were told by
 *      time, which a clock that ran ahead gets wrong); a format-7 snapshot has neither.
 *   9: `waitingAml`, the AML positions that arrived before any call from their number and wait for one
 *      (incidents/waiting-aml.ts); a format-8 snapshot has none.
 *  10: an incident's `locatesDue` (LOCATEs sent for it that no TRK has answered: their answer is no tracking),
 *      and an incident opened by a call is tracking from its start; a format-9 snapshot has neither.
 *  11: a handset's `lastRejection` (the last report refused that claimed it since its registration: why her
 *      test report did not count); a format-10 snapshot has none.
 *  12: an incident's `lastAck` and `stoppedAt` (the counters of its handset's last ACK and of its last STOP's
 *      ACK), which tell a TRK of her next alarm from the tail of a closed one (reports/report-events/trk.ts); a
 *      format-11 snapshot has neither.
 *  13: a command waiting for its ACK says whether it may not have left (`uncertain`: an ACK settles the oldest
 *      that surely left first, core/pending-commands.ts); a format-12 snapshot has no such mark.
 *  14: `owedStops`, the close's STOPs that no line sent, which the core sends again when a line is free
 *      (core/owed-stops.ts); a format-13 snapshot has none.
 *  15: each owed STOP's `counter` (its last try's), whose second `command.result` settles it once expired; a
 *      format-14 snapshot has none.
 *  16: each call's `hungUpBy`, the user who hung up (call.ended's `by`), which its view shows the consoles; a
 *      format-15 snapshot has none.
 */
export const SNAPSHOT_FORMAT = 16;

const MAX_ITEMS = 10_000_000;
/** Ids, numbers, names, times: short text. */
const Text = z.string().max(200);
const Seq = z.int().min(0);
const Num = z.number();
const Pair = z.tuple([Text, Text]);

const Window = z
  .object({ highest: z.int(), bitmap: z.string().max(16), macs: z.array(z.string().max(16)).max(64) })
  .refine((w) => parseReplayWindowState(w) !== null, 'not a replay window');

const HandsetSnapshot = z.object({
  id: Text,
  number: Text,
  imei: Text,
  keyHex: z.string().regex(/^[0-9a-f]{64}$/),
  force: Text,
  victim: VictimRecord,
  testMode: z.boolean(),
  registeredAt: Text,
  issuedAt: Text,
  keySeq: Seq,
  window: Window,
  commandCounter: Seq,
  batteryPct: Num.nullable(),
  csq: Num.nullable(),
  lastReportAt: Text.nullable(),
  lastHeartbeatAt: Text.nullable(),
  problems: z.array(z.enum(['missed-heartbeat', 'low-battery', 'tamper'])).max(3),
  lastRejection: z.object({ reason: ReportRejectReason, at: Text, detail: Detail }).nullable(),
});

const FixSnapshot = z.object({
  seq: Seq,
  lat: Num,
  lon: Num,
  accuracyM: Num.nullable(),
  fixTime: Text,
  receivedAt: Text,
  source: z.enum(['gps', 'aml']),
  gpsStatus: z.enum(['valid', 'invalid']).nullable(),
  amlMethod: Text.nullable(),
  speedKnots: Num.nullable(),
  courseDeg: Num.nullable(),
});

const IncidentSnapshot = z.object({
  id: Text,
  handsetId: Text,
  state: z.enum(['open', 'acknowledged', 'closed']),
  cause: IncidentCause,
  priority: CallPriority,
  force: Text.nullable(),
  openedAt: Text,
  openedSeq: Seq,
  acknowledgedAt: Text.nullable(),
  acknowledgedBy: Text.nullable(),
  closedAt: Text.nullable(),
  closedBy: Text.nullable(),
  outcome: IncidentOutcome.nullable(),
  transferredTo: Text.nullable(),
  tracking: z.boolean(),
  lastTrackAt: Num,
  locatesDue: z.int().min(0),
  callIds: z.array(Text).max(100_000),
  // The projection keeps at most RECENT_FIXES; a larger list is not one this code wrote.
  recentFixes: z.array(FixSnapshot).max(1000),
  alarms: z.int().min(0),
  lowestTrk: z.int().min(0).nullable(),
  highestCounter: z.int().min(0).nullable(),
  stoppedAt: z.int().min(0).nullable(),
  lastAck: z.int().min(0).nullable(),
});

const CallSnapshot = z.object({
  id: Text,
  lineId: Text,
  callerNumber: Text.nullable(),
  priority: CallPriority,
  handsetId: Text.nullable(),
  incidentId: Text.nullable(),
  force: Text.nullable(),
  state: z.enum(['ringing', 'answered', 'ended']),
  ringingAt: Text,
  answeredAt: Text.nullable(),
  answeredBy: Text.nullable(),
  endedAt: Text.nullable(),
  endedBy: CallEndedBy.nullable(),
  /** Since format 16. */
  hungUpBy: Text.nullable(),
  answeredSeq: Seq.nullable(),
  endedSeq: Seq.nullable(),
});

const WaitingAmlEntry = z.object({
  seq: Seq,
  fromNumber: Text,
  lat: Num,
  lon: Num,
  accuracyM: Num.nullable(),
  fixTime: Text,
  receivedAt: Text,
  amlMethod: AmlMethod.nullable(),
  confidencePct: Num.nullable(),
});

const PendingCommandSnapshot = z.object({
  handsetId: Text,
  counter: Num,
  incidentId: Text.nullable(),
  kind: Text,
  sentAt: Num,
  uncertain: z.boolean(),
});

const OwedStopSnapshot = z.object({
  handsetId: Text,
  incidentId: Text,
  by: Text.nullable(),
  until: Num,
  counter: Num.nullable(),
});

export const CoreSnapshot = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  lastSeq: Seq,
  registry: z.object({ handsets: z.array(HandsetSnapshot).max(MAX_ITEMS), byNumber: z.array(Pair).max(MAX_ITEMS) }),
  incidents: z.object({ incidents: z.array(IncidentSnapshot).max(MAX_ITEMS), open: z.array(Pair).max(MAX_ITEMS) }),
  calls: z.object({ minted: Seq, calls: z.array(CallSnapshot).max(MAX_ITEMS), active: z.array(Pair).max(MAX_ITEMS) }),
  commands: z.object({
    byHandset: z.array(z.tuple([Text, z.array(PendingCommandSnapshot).max(100_000)])).max(MAX_ITEMS),
    locatedAt: z.array(z.tuple([Text, Num])).max(MAX_ITEMS),
  }),
  waitingAml: z.array(WaitingAmlEntry).max(MAX_WAITING),
  owedStops: z.array(OwedStopSnapshot).max(MAX_ITEMS),
});
export type CoreSnapshot = z.infer<typeof CoreSnapshot>;
export type RegistrySnapshot = CoreSnapshot['registry'];
export type IncidentsSnapshot = CoreSnapshot['incidents'];
export type CallsSnapshot = CoreSnapshot['calls'];
export type CommandsSnapshot = CoreSnapshot['commands'];
export type WaitingAmlSnapshot = CoreSnapshot['waitingAml'];
export type OwedStopsSnapshot = CoreSnapshot['owedStops'];
