// One reassembled TSR1 text -> the events it produces, in this order of checks (each failure is a
// report.rejected security event with its reason, and nothing else):
//
//   decodeReport (syntax)      -> wrong-version, truncated, too-long, not-gsm7, bad-field, absurd-value
//   registry by `h`            -> unknown-handset
//   MAC with the handset's key -> bad-mac        (only a verified report may touch the replay window)
//   sender = handset's number  -> sender-mismatch (a valid report relayed from another SIM)
//   replay window              -> duplicate, replay, too-old
//
// An accepted report gives: incident.opened (an alarm, or a TRK of a lost alarm, with no open incident), report.accepted, the fix (if
// the sentences carry a position), handset.status, then what its event code adds (report-events/table.ts)
// and the health changes (battery, heartbeat recovered).
import { decodeReport, verifyReportSync, type DecodedReport } from '../../protocol/report/tsr1.js';
import { ReplayOutcome } from '../../protocol/report/replay-window.js';
import type { HmacSha256Sync } from '../../protocol/report/mac.js';
import type { ReportRejectReason } from '../../protocol/schemas/reports.js';
import { isoTime } from '../../protocol/time/iso-time.js';
import { event, type CoreState } from '../core/state.js';
import { batteryHealth } from '../health/battery.js';
import { heartbeatRecovered } from '../health/heartbeat.js';
import { closeTestIncident } from '../incidents/test-incident.js';
import type { NewEvent } from '../store/event-store.js';
import { gpsFix } from './gps-fix.js';
import { claimedHandset, rejected } from './rejection.js';
import { REPORT_EVENT_HANDLERS } from './report-events/table.js';

export type IntakeResult =
  | { readonly ok: true; readonly events: NewEvent[]; readonly report: DecodedReport }
  | { readonly ok: false; readonly events: NewEvent[]; readonly reason: ReportRejectReason };

/**
 * The refusal of `text`. A report that did not decode (no `r`) still names the handset its text gives (`h=`), else
 * the one whose SIM sent it (rejection.ts claimedHandset); before, such a refusal named no handset.
 */
function refuse(state: CoreState, reason: ReportRejectReason, from: string | null, receivedAt: number, detail: string, text: string, r?: DecodedReport): IntakeResult {
  const claimedHandsetId = r === undefined ? claimedHandset(state, text, from) : r.handsetId;
  const events = [rejected(state, { reason, claimedHandsetId, counter: r?.counter ?? null, fromNumber: from, receivedAt, detail })];
  return { ok: false, events, reason };
}

type Authenticated =
  | { readonly ok: true; readonly report: DecodedReport; readonly handset: NonNullable<ReturnType<CoreState['registry']['get']>> }
  | { readonly ok: false; readonly reason: ReportRejectReason; readonly detail: string; readonly report?: DecodedReport };

/**
 * The checks up to and including the MAC (syntax, registry, MAC): what a damaged text can fail. Used alone
 * by the start-up replay to tell a refused message from one that passed (report-pipeline.ts), without
 * building events.
 */
export function authenticate(state: CoreState, text: string, hmac: HmacSha256Sync): Authenticated {
  const r = decodeReport(text);
  if (!r.ok) {
    const reason = r.reason === 'not-mine' || r.reason === 'bad-mac' ? 'bad-field' : r.reason;
    return { ok: false, reason, detail: `${r.field === undefined ? '' : `${r.field}: `}${r.detail}` };
  }
  const h = state.registry.get(r.handsetId);
  if (h === undefined) return { ok: false, reason: 'unknown-handset', detail: `no handset ${r.handsetId} in the registry`, report: r };
  if (!verifyReportSync(r, h.key, hmac)) return { ok: false, reason: 'bad-mac', detail: `MAC does not match the key of ${h.id}`, report: r };
  return { ok: true, report: r, handset: h };
}

/**
 * Checks and turns one TSR1 text into events. `from` is the sender's E.164 number (null if it has none).
 * Pure with respect to the state: nothing changes until the caller has stored the events and applied them.
 */
export function tsr1Intake(state: CoreState, text: string, from: string | null, receivedAt: number, hmac: HmacSha256Sync): IntakeResult {
  const a = authenticate(state, text, hmac);
  if (!a.ok) return refuse(state, a.reason, from, receivedAt, a.detail, text, a.report);
  const { report: r, handset: h } = a;
  if (from !== h.number) return refuse(state, 'sender-mismatch', from, receivedAt, `${h.id} is registered with ${h.number}, the SMS came from ${from ?? 'no number'}`, text, r);
  const outcome = h.window.check(r.counter, r.mac);
  if (outcome !== ReplayOutcome.FRESH) {
    return refuse(state, outcome, from, receivedAt, `counter ${r.counter} (highest ${h.window.highest}): ${outcome}`, text, r);
  }

  const effect = REPORT_EVENT_HANDLERS[r.event]({ state, report: r, handset: h, incident: state.incidents.openFor(h.id), receivedAt });
  const events: NewEvent[] = [];
  let open = state.incidents.openFor(h.id);
  if (effect.open !== undefined) {
    // A live alarm never joins an open test incident (the engineer's TST at provisioning): that is closed first.
    const closing = closeTestIncident(state, open, effect.open.priority);
    if (closing.length > 0) {
      events.push(...closing);
      open = undefined;
    }
  }
  let incidentId = open?.id ?? null;
  if (incidentId === null && effect.open !== undefined) {
    incidentId = state.incidents.nextId();
    events.push(event(state, 'incident.opened', { incidentId, handsetId: h.id, ...effect.open, callId: null, force: h.force }));
  }
  const receivedIso = isoTime(receivedAt);
  // The three events of every report are written out as event() makes them ({ type, at, ...payload }: the same
  // members in the same order), without a payload object to copy: the copies were about 1.5 % of the gateway
  // thread's samples at saturation (docs/benchmarks.md "Report ingest"; test/gateway/reports/stored-text.test.ts).
  events.push({
    type: 'report.accepted',
    at: state.nowIso(),
    handsetId: h.id,
    counter: r.counter,
    event: r.event,
    batteryPct: r.batteryPct,
    csq: r.csq,
    incidentId,
    receivedAt: receivedIso,
    fromNumber: from,
    // The replay window is rebuilt from these at start-up; a MAC is no secret (it travels in clear).
    mac: r.mac,
  });
  const fix = gpsFix(r.rmc, r.gga, receivedAt);
  if (fix !== null) {
    events.push({ type: 'fix', at: state.nowIso(), incidentId, handsetId: h.id, callId: null, ...fix, receivedAt: receivedIso, source: 'gps', amlMethod: null, reportCounter: r.counter });
  }
  events.push({
    type: 'handset.status',
    at: state.nowIso(),
    handsetId: h.id,
    batteryPct: r.batteryPct,
    csq: r.csq,
    lastReportAt: receivedIso,
    lastEvent: r.event,
    lastCounter: r.counter,
  });
  events.push(...(effect.events ?? []));
  events.push(...heartbeatRecovered(state, h, r.batteryPct));
  if (r.event !== 'LOB') events.push(...batteryHealth(state, h, r.batteryPct));
  return { ok: true, events, report: r };
}
