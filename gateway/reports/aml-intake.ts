// An AML SMS (ETSI TS 103 625, `A"ML=1;lt=..;lg=..;rd=..`), sent by any phone that dials 999, from any
// number: its position is attached to the call from the same number (the one still up, else one that ended
// within AML_CALL_GRACE_MS), and so to that call's incident when it has one. An AML from a number with no
// such call is still stored as a fix with no call (it may be the only location the caller ever sends). Such
// a fix, and one attached to a call that has already ended, carries its sender (`fromNumber`) and waits: the
// call it belongs to may not have rung yet (held in the network's queue while every line is busy; a phone
// sends its AML within seconds of dialling; a caller who was cut off dials again), and the first call from
// that number to ring within 30 min gets a copy (incidents/waiting-aml.ts).
// parseAml refusing it is a report.rejected `bad-aml`; an AML that says "no fix" adds no position.
// An AML sent as 8-bit data (Android's ELS may pack the text as GSM 7-bit septets into the octets of a data
// SMS) is unpacked by parseAmlData; its text as the SMS layer shows it (one character per octet) is no AML.
import { parseAml } from '../../protocol/report/aml.js';
import { parseAmlData } from '../../protocol/report/aml-data.js';
import { PhoneNumber } from '../../protocol/schemas/common.js';
import { isoTime } from '../../protocol/time/iso-time.js';
import { event, type CoreState } from '../core/state.js';
import type { NewEvent } from '../store/event-store.js';
import { rejected } from './rejection.js';

/** How long after a call ended its AML is still attached to it. */
export const AML_CALL_GRACE_MS = 30 * 60_000;
/** How far after the SMS's arrival `top` may lie (clocks differ a little) before it is not believed. */
const FUTURE_SLACK_MS = 60_000;

export type AmlIntake = { readonly kind: 'not-aml' } | { readonly kind: 'aml'; readonly events: NewEvent[]; readonly rejected: boolean };

/** `data`: the message's octets when it came as 8-bit data (then `text` shows them one character per octet). */
export function amlIntake(state: CoreState, text: string, from: string | null, receivedAt: number, data?: Uint8Array): AmlIntake {
  let a = parseAml(text);
  if (!a.ok && a.reason === 'not-mine' && data !== undefined) a = parseAmlData(data);
  if (!a.ok && a.reason === 'not-mine') return { kind: 'not-aml' };
  if (!a.ok) {
    return { kind: 'aml', rejected: true, events: [rejected(state, { reason: 'bad-aml', fromNumber: from, receivedAt, detail: `${a.reason}: ${a.detail}` })] };
  }
  if (!a.hasFix) return { kind: 'aml', rejected: false, events: [] };
  const call = from === null ? undefined : state.calls.forAml(from, receivedAt, AML_CALL_GRACE_MS);
  // A position is never from the future: a `top` after the SMS arrived is the phone's clock (one set to local
  // time writes it an hour ahead in British Summer Time). A phone sends its AML within seconds of the call, so
  // the arrival is the honest bound; a future time would sort after every later fix and pose as the newest.
  const top = a.time.getTime();
  const fixTime = top > receivedAt + FUTURE_SLACK_MS ? receivedAt : top;
  const fix = event(state, 'fix', {
    incidentId: call?.incidentId ?? null,
    handsetId: call?.handsetId ?? null,
    callId: call?.id ?? null,
    lat: a.latitude,
    lon: a.longitude,
    accuracyM: Number.isFinite(a.radiusM) ? Math.min(1_000_000, a.radiusM) : null,
    fixTime: isoTime(fixTime),
    receivedAt: isoTime(receivedAt),
    source: 'aml',
    gpsStatus: null,
    amlMethod: a.method,
    speedKnots: null,
    courseDeg: null,
    sats: null,
    hdop: null,
    reportCounter: null,
    ...(Number.isFinite(a.confidencePct) && { confidencePct: a.confidencePct }),
    // (A number the fix schema cannot carry is left out: the fix is still stored, it just waits for no call.)
    ...((call === undefined || call.state === 'ended') && from !== null && PhoneNumber.safeParse(from).success && { fromNumber: from }),
  });
  return { kind: 'aml', rejected: false, events: [fix] };
}
