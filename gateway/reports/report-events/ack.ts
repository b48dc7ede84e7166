// ACK: the handset verified and carried out a TSC1 command. The report names no command, so it acknowledges
// the oldest one still waiting (gateway/core/pending-commands.ts). A STOP's ACK is also its incident's
// `incident.tracking-stopped` `handset`, whatever the incident's state.
import { event } from '../../core/state.js';
import type { NewEvent } from '../../store/event-store.js';
import type { ReportEventHandler } from './types.js';

export const ack: ReportEventHandler = ({ state, handset, report }) => {
  const pending = state.commands.oldest(handset.id);
  if (pending === undefined) return {};
  const events: NewEvent[] = [
    event(state, 'command.result', {
      handsetId: handset.id,
      counter: pending.counter,
      result: 'acknowledged',
      detail: `ACK report n=${report.counter}`,
    }),
  ];
  // A STOP's ACK says her handset stopped: recorded on its incident whatever its state (tracking; already shown
  // stopped by the handler's STOP, which the incident may be closed after; closed, the close's STOP going
  // after the close), which keeps this ACK's counter (`stoppedAt`): once it is closed, a TRK numbered above it
  // is a new alarm, not its tail (trk.ts).
  const incident = pending.incidentId === null ? undefined : state.incidents.get(pending.incidentId);
  if (pending.kind === 'STOP' && incident !== undefined) {
    events.push(event(state, 'incident.tracking-stopped', { incidentId: incident.id, handsetId: handset.id, reason: 'handset', by: null }));
  }
  return { events };
};
