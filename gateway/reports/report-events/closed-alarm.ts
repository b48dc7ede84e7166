// Is a report from an alarm the control room has already handled? A handset numbers its reports as it sends
// them (`n`, rising under one key), so a report numbered below the highest counter accepted into the
// handset's last closed incident was sent before that incident's last report: it belongs to that alarm,
// however late the network delivers it (an SMS held while the handset was out of coverage, or while the
// gateway was down), and must not open a new incident with an old position: a late ALM sounded a second
// alarm, a late TRK opened one "from tracking".
//
// Only under the handset's current key: a re-keyed handset (re-issued to another victim) starts its counters
// again, and its old holder's incidents say nothing of them. Which key an incident opened under goes by log
// order (the incident.opened after the registration that set the key), not by time: by time, an incident
// stamped while the wall clock ran ahead, or in the same millisecond as the re-key, passed for the new
// holder's, and its counter then swallowed her first alarm (an ALM numbered below it opened nothing).
import type { CoreState } from '../../core/state.js';
import type { Incident } from '../../incidents/incidents.js';
import type { Handset } from '../../registry/registry.js';

/** The handset's last closed incident if it opened under the handset's current key. */
export function lastClosedUnderKey(state: CoreState, handset: Handset): Incident | undefined {
  const closed = state.incidents.lastClosed(handset.id);
  return closed !== undefined && closed.openedSeq > handset.keySeq ? closed : undefined;
}

/** True when report `counter` was sent before the last report of the handset's last closed incident. */
export function fromClosedAlarm(state: CoreState, handset: Handset, counter: number): boolean {
  const closed = lastClosedUnderKey(state, handset);
  return closed?.highestCounter !== null && closed?.highestCounter !== undefined && counter < closed.highestCounter;
}
