// A test incident (a TST report: the engineer's AT+TSTEST that every provisioning sends, or the alarm gesture
// of a handset in test mode) stays open until someone closes it. A live alarm from that handset (an ALM, or a
// TecSOS call, from a handset not in test mode) must not join it: it would be labelled a test, queued below
// every 999 call without the alarm sound, and closed as a test by the next handler who tidies the queue. The
// test incident is closed by the gateway (outcome `test`) in the same decision that opens the live one, so
// the rule "one open incident per handset" holds.
import type { CallPriority } from '../../protocol/schemas/calls.js';
import { event, type CoreState } from '../core/state.js';
import type { NewEvent } from '../store/event-store.js';
import type { Incident } from './incidents.js';

/** Who closes a test incident that a live alarm replaced. */
const GATEWAY_USER = 'system';

/**
 * `incident.closed` for the handset's open incident when it is a test one and `priority` (the alarm that is
 * arriving) is not a test; otherwise nothing (the alarm joins the open incident as before).
 */
export function closeTestIncident(s: CoreState, open: Incident | undefined, priority: CallPriority): NewEvent[] {
  if (open === undefined || open.priority !== 'test' || priority === 'test') return [];
  return [
    event(s, 'incident.closed', {
      incidentId: open.id,
      by: GATEWAY_USER,
      outcome: 'test',
      note: 'closed by the gateway: a live alarm from the handset opened a new incident',
    }),
  ];
}
