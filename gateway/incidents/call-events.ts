// Call events from the lines (RING/+CLIP, answered, NO CARRIER) -> call.* events, and the one place a
// ringing call's priority is decided (gateway/calls/priority.ts) and joined to an incident:
//
// - ringing: the number normalised to E.164, then decidePriority (registered handset -> tecsos, or test in
//   test mode; a force's TecSOS range -> tecsos-unregistered; withheld or other -> ordinary). A registered
//   handset's call joins its open incident or opens one (cause `call`, or `test`; a live call first closes an
//   open test incident, test-incident.ts). A repeated RING/+CLIP from the same number is the same call; a ring
//   with another number on a line whose call never ended ends it. A call from before a restart (no line of
//   this process has reported it) is the same call only if it rang less than RESTART_SAME_CALL_MS ago: a
//   999 call rings on until answered, so a crash and a restart in the middle of a 20-minute wait must not
//   split her call in two (the old one "missed", the new one at the bottom of the queue with its wait reset);
//   but a demo stopped with a call ringing and started the next day showed the new alarm's call as the old
//   one, "waiting 20:49:23". (The stale-ring check ends a call from before the restart that no line has
//   announced again 5 minutes after the start: gateway-core.ts.) An AML position from the number that came
//   before the call rang (waiting-aml.ts) is copied onto the call.
// - identified: the number of a call that rang with number null because its modem could not say it then (its
//   AT+CLCC refused as it began to ring: gateway/lines/call-tracker.ts). Decided as a ringing would have been
//   (handset, priority, incident opened or joined, AML copied), as call.identified on the same call: never a
//   second call, whether it still rings or a handler has answered it; never over a number the call already has.
// - answered: by the handler who asked (`system` when nobody did). ended: `handler` when a handler hung up.
import { normaliseNumber } from '../calls/phone-number.js';
import { decidePriority } from '../calls/priority.js';
import { event, type CoreState } from '../core/state.js';
import type { LineCallEvent } from '../lines/types.js';
import type { NewEvent } from '../store/event-store.js';
import { closeTestIncident } from './test-incident.js';

/** Who asked to answer / hang up a call (pending requests, kept by the core). */
export type CallRequests = {
  answeredBy(callId: string): string | undefined;
  hungUpBy(callId: string): string | undefined;
  /** A line of this process reported this call ringing (default: none did). */
  onLine?(callId: string): boolean;
};

/**
 * A ringing call from before a restart that rang less than this long ago is the same call when its line rings
 * again with the same number: far longer than a restart takes, far shorter than a stopped demo's night.
 */
export const RESTART_SAME_CALL_MS = 60 * 60_000;

/** Whether a ring at `at` could still be `call` (from before a restart) ringing on: it rang less than RESTART_SAME_CALL_MS before. */
export function couldBeSameCall(call: { readonly ringingAt: string }, at: number): boolean {
  return Date.parse(call.ringingAt) > at - RESTART_SAME_CALL_MS;
}

/** The recorder of an answer nobody asked for (the modem answered on its own). */
export const SYSTEM_USER = 'system';

export function lineCallEvents(s: CoreState, e: LineCallEvent, requests: CallRequests): NewEvent[] {
  const current = s.calls.onLine(e.lineId);
  switch (e.kind) {
    case 'ringing': {
      const number = normaliseNumber(e.number, e.toa, s.config.countryCode);
      if (current !== undefined && current.state === 'ringing' && current.callerNumber === number) {
        if (requests.onLine?.(current.id) === true || couldBeSameCall(current, e.at)) return [];
      }
      const events: NewEvent[] = [];
      if (current !== undefined) events.push(callEnded(s, current.id, e.lineId, 'network', null, e.at));
      events.push(...ringingEvents(s, e.lineId, number));
      return events;
    }
    case 'identified': {
      if (current === undefined || current.callerNumber !== null) return [];
      const number = normaliseNumber(e.number, e.toa, s.config.countryCode);
      return number === null ? [] : identityEvents(s, 'call.identified', current.id, e.lineId, number);
    }
    case 'answered':
      if (current === undefined || current.state !== 'ringing') return [];
      return [event(s, 'call.answered', { callId: current.id, lineId: e.lineId, by: requests.answeredBy(current.id) ?? SYSTEM_USER })];
    case 'ended': {
      if (current === undefined) return [];
      // While a handler's hang-up is on its way, a NO CARRIER is taken as hers (modems answer ATH with one); but
      // not an end the line found by itself (`network`: the modem no longer lists the call, or it rebooted): a
      // call gone before her ATH, e.g. ended while the gateway was down, was recorded as hung up by her (review).
      const by = e.endedBy === 'network' ? null : (requests.hungUpBy(current.id) ?? null);
      return [callEnded(s, current.id, e.lineId, by !== null ? 'handler' : e.endedBy, by, e.at)];
    }
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** incident.opened (a registered handset with none open) + call.ringing. */
export function ringingEvents(s: CoreState, lineId: string, number: string | null): NewEvent[] {
  return identityEvents(s, 'call.ringing', s.calls.nextId(), lineId, number);
}

/**
 * What a caller's number decides for a call: incident.opened (a registered handset with none open), then
 * `type` (call.ringing for a new call, call.identified for one that rang with number null), then the AML
 * positions from that number that were waiting for a call.
 */
function identityEvents(s: CoreState, type: 'call.ringing' | 'call.identified', callId: string, lineId: string, number: string | null): NewEvent[] {
  const decision = decidePriority(
    number,
    (n) => {
      const h = s.registry.byE164(n);
      return h === undefined ? undefined : { handsetId: h.id, force: h.force, testMode: h.testMode };
    },
    s.config.tecsosRanges,
  );
  const events: NewEvent[] = [];
  let incident: string | null = null;
  if (decision.handsetId !== null) {
    let open = s.incidents.openFor(decision.handsetId);
    const closing = closeTestIncident(s, open, decision.priority);
    if (closing.length > 0) {
      events.push(...closing);
      open = undefined;
    }
    incident = open?.id ?? null;
    if (incident === null) {
      incident = s.incidents.nextId();
      const cause = decision.priority === 'test' ? 'test' : 'call';
      events.push(event(s, 'incident.opened', { incidentId: incident, handsetId: decision.handsetId, cause, priority: decision.priority, callId, force: decision.force }));
    }
  }
  events.push(
    event(s, type, {
      callId,
      lineId,
      callerNumber: number,
      priority: decision.priority,
      handsetId: decision.handsetId,
      incidentId: incident,
      force: decision.force,
      reason: decision.reason,
    }),
  );
  // The caller's AML that came before her call rang (waiting-aml.ts): a copy joins this call (and its incident).
  if (number !== null) {
    for (const w of s.waitingAml.for(number, s.clock.now())) {
      events.push(
        event(s, 'fix', {
          incidentId: incident,
          handsetId: decision.handsetId,
          callId,
          lat: w.lat,
          lon: w.lon,
          accuracyM: w.accuracyM,
          fixTime: w.fixTime,
          receivedAt: w.receivedAt,
          source: 'aml',
          gpsStatus: null,
          amlMethod: w.amlMethod,
          speedKnots: null,
          courseDeg: null,
          sats: null,
          hdop: null,
          reportCounter: null,
          ...(w.confidencePct !== null && { confidencePct: w.confidencePct }),
          fromNumber: w.fromNumber,
          copyOf: w.seq,
        }),
      );
    }
  }
  return events;
}

/** call.ended, with the talk time since it was answered. */
export function callEnded(s: CoreState, callId: string, lineId: string, endedBy: 'caller' | 'handler' | 'network', by: string | null, at: number): NewEvent {
  const c = s.calls.get(callId);
  const talkSeconds = c?.answeredAt == null ? null : Math.max(0, Math.round((at - Date.parse(c.answeredAt)) / 1000));
  return event(s, 'call.ended', { callId, lineId, endedBy, by, talkSeconds });
}
