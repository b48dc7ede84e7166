// ACK: the handset verified and carried out a TSC1 command. The report names no command, so it acknowledges
// the oldest one still waiting (gateway/core/pending-commands.ts).
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
  const incident = pending.incidentId === null ? undefined : state.incidents.get(pending.incidentId);
  if (pending.kind === 'STOP' && incident !== undefined && incident.tracking) {
    events.push(event(state, 'incident.tracking-stopped', { incidentId: incident.id, handsetId: handset.id, reason: 'handset', by: null }));
  }
  return { events };
};
