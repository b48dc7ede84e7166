// ALM: the victim held the button. Opens an incident unless one is open (then the alarm joins it); a handset
// in test mode raises a test incident, never a live one.
//
// A new alarm into an incident that a handler has acknowledged but not closed (the incident already had its
// ALM: this is another hold of the button, the firmware sends one ALM per alarm) is incident.re-alarmed: the
// incident needs a handler again. Without it the alarm joined quietly, with no sound, queued as handled.
// The first ALM of an incident opened by the handset's call (the SMS came after the call) is that call's
// alarm, not a new one; and an ALM while a handler is on the incident's answered call needs no sound. The alarm gesture of a handset in test mode (an engineer's test) re-opens nothing:
// it would sound a live alarm on the console for a test.
import { event } from '../../core/state.js';
import type { Incident } from '../../incidents/incidents.js';
import { fromClosedAlarm, lastClosedUnderKey } from './closed-alarm.js';
import type { ReportContext, ReportEventHandler } from './types.js';

/**
 * The incident had its alarm already: an ALM came, or (opened by a TRK, its ALM lost) this ALM is numbered
 * above a TRK of the incident, so it was pressed after tracking began; the lost ALM, arriving late, is below.
 */
const isNewAlarm = (incident: Incident, counter: number): boolean =>
  incident.alarms > 0 || (incident.cause === 'tracking' && incident.lowestTrk !== null && counter > incident.lowestTrk);

/**
 * An ALM with no open incident, numbered below the last report of the handset's last closed incident, is that
 * incident's own alarm arriving late (it opened by the call, or by a TRK when this ALM was held): it opens
 * nothing (closed-alarm.ts). Not when it would have been a new alarm had it come before the close (isNewAlarm:
 * a second press, whose TRKs overtook its ALM and joined the incident quietly, so no one has seen it), nor when
 * that incident was a test and this alarm is live (the TST's incident, a TRK answering a LOCATE joined to it).
 */
const lateOwnAlarm = (state: ReportContext['state'], handset: ReportContext['handset'], counter: number): boolean => {
  const closed = lastClosedUnderKey(state, handset);
  return closed !== undefined && fromClosedAlarm(state, handset, counter) && !isNewAlarm(closed, counter) && (closed.priority !== 'test' || handset.testMode);
};

export const alm: ReportEventHandler = ({ state, handset, incident, report }) => ({
  ...(!(incident === undefined && lateOwnAlarm(state, handset, report.counter)) && {
    open: handset.testMode ? { cause: 'test', priority: 'test' } : { cause: 'alarm', priority: 'tecsos' },
  }),
  ...(incident !== undefined && incident.state === 'acknowledged' && isNewAlarm(incident, report.counter) && incident.priority !== 'test' && !handset.testMode &&
    // A handler is talking to her: the alarm joins the call that is already answered.
    !incident.callIds.some((id) => state.calls.get(id)?.state === 'answered') && {
    events: [event(state, 'incident.re-alarmed', { incidentId: incident.id, handsetId: handset.id, reportCounter: report.counter })],
  }),
});
