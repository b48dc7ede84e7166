// TRK: a tracking fix. It joins the handset's open incident (the fix carries it).
//
// A TRK from a handset with no open incident opens one (cause `tracking`): the handset only tracks after an
// alarm, so its ALM SMS was lost and its call has not come through (no coverage for voice, every line busy).
// Without this the control room saw nothing while she was tracked every 30 s. Two TRKs come legitimately
// with no open incident, and open nothing:
//   - the answer to a LOCATE (one TRK with a fresh fix, sent after the LOCATE's ACK, up to a minute later;
//     hours later when the handset was off and the network kept the LOCATE): one TRK for each LOCATE sent
//     to the handset less than LOCATE_ANSWER_MS (24 h 5 min, the SMS's validity) ago and not yet answered
//     (the first TRK after a LOCATE answers it: core/pending-commands.ts), so a lost alarm's next TRK still
//     opens the incident;
//   - the tail of an alarm after its incident was closed (closing sends STOP, but one that could not be sent
//     or is still on its way leaves the handset tracking until its tracking period, 60 min from the alarm
//     by default, runs out): a TRK numbered below the last report
//     of the handset's last closed incident (closed-alarm.ts), however late it arrives; or one that arrives
//     less than TRACKING_TAIL_MS after that incident closed, unless the handset had acknowledged a STOP for
//     that incident with a report numbered below the TRK and above all of the incident's (`stoppedAt`): it
//     had stopped, so a TRK it sent after that is a new alarm whose ALM was lost (without this, her next
//     alarm opened nothing for 70 min after a close whose STOP she acknowledged). A STOP sent but not
//     acknowledged keeps the tail: its TRKs may be the old alarm's last ones in flight. A handset provisioned
//     with a longer tracking period (`tracking`, up to 24 h) opens a new incident after that: stop its
//     tracking before closing.
// A handset in test mode opens a test incident, as its ALM would.
//
// An open test incident with no alarm of its own (the TST every provisioning sends, left open until someone
// closes it) never tracks: a TRK of a handset not in test mode, other than the two above, is a live alarm
// whose ALM was lost, and must not join the test (no sound, queued below every 999 call). It opens a live
// incident, and the gateway closes the test one, as for a live ALM (incidents/test-incident.ts).
import { LOCATE_ANSWER_MS } from '../../core/pending-commands.js';
import type { Incident } from '../../incidents/incidents.js';
import { fromClosedAlarm, lastClosedUnderKey } from './closed-alarm.js';
import type { ReportEventHandler } from './types.js';

export { LOCATE_ANSWER_MS };

/** The default tracking period (60 min from the alarm, which came before the close) and a margin for SMS delays. */
export const TRACKING_TAIL_MS = 70 * 60_000;

/** A test incident with no alarm of its own: the provisioning TST's, which starts no tracking. */
const isTstOnly = (i: Incident): boolean => i.priority === 'test' && i.alarms === 0;

/**
 * True when TRK `counter` was sent after the handset had stopped tracking for the closed incident `i`: its STOP
 * was acknowledged by a report numbered below the TRK, and that ACK came after every report of the incident
 * (a TRK of the incident numbered above the ACK means it tracked again: a re-alarm, a LOCATE's answer).
 */
function sentAfterStop(i: Incident, counter: number): boolean {
  return i.stoppedAt !== null && counter > i.stoppedAt && i.stoppedAt >= (i.highestCounter ?? -1);
}

export const trk: ReportEventHandler = ({ state, handset, incident, report, receivedAt }) => {
  if (incident !== undefined && !(isTstOnly(incident) && !handset.testMode)) return {};
  if (state.commands.locateUnanswered(handset.id, receivedAt - LOCATE_ANSWER_MS)) return {};
  if (fromClosedAlarm(state, handset, report.counter)) return {};
  // A close stamped after now (the wall clock ran ahead then, or is behind now) says nothing of the time since
  // beyond TRACKING_TAIL_MS: taken as it stands, every TRK of her next lost alarm opened nothing until the
  // clock caught up with it (a day ahead: a day).
  // A test incident with no alarm of its own (the provisioning TST) has no tail: a TST starts no tracking, so
  // a TRK after its close is a live alarm whose ALM was lost, handed-over handset or not.
  const last = lastClosedUnderKey(state, handset);
  const closed = last !== undefined && !isTstOnly(last) && !sentAfterStop(last, report.counter) ? last.closedAt : null;
  if (closed != null && Math.abs(receivedAt - Date.parse(closed)) < TRACKING_TAIL_MS) return {};
  return { open: handset.testMode ? { cause: 'test', priority: 'test' } : { cause: 'tracking', priority: 'tecsos' } };
};
