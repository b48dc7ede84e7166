// ACK: the handset verified and carried out a TSC1 command. The report names no command, so it acknowledges
// the oldest one still waiting, one that surely left before one that may not have
// (gateway/core/pending-commands.ts). A STOP's ACK is also its incident's
// `incident.tracking-stopped` `handset`, whatever the incident's state, and her current incident's when that is
// another one (her handset stopped all its tracking).
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
  if (pending.kind !== 'STOP') return { events };
  const incident = pending.incidentId === null ? undefined : state.incidents.get(pending.incidentId);
  if (incident !== undefined) {
    events.push(event(state, 'incident.tracking-stopped', { incidentId: incident.id, handsetId: handset.id, reason: 'handset', by: null }));
  }
  // A STOP stops all her tracking, whichever incident it was sent for: her handset has one alarm at a time. So
  // the ACK is also her current incident's (the open one, else her last closed one) when that is another one
  // and the ACK was sent after all its reports: a STOP for her closed incident that reached her after her new
  // alarm (written as it opened), or her new incident's STOP whose ACK is taken as that of an older STOP whose
  // ACK SMS was lost. Without it that incident never got `stoppedAt`, and once closed her next alarm whose ALM
  // was lost opened nothing for 70 min. Only while every command waiting is a STOP: the ACK is then surely a
  // STOP's; with a LOCATE or INTERVAL waiting too it may be theirs, and her live incident must not read stopped.
  const current = state.incidents.openFor(handset.id) ?? state.incidents.lastClosed(handset.id);
  if (
    current !== undefined &&
    current !== incident &&
    report.counter > (current.highestCounter ?? -1) &&
    state.commands.waiting(handset.id).every((c) => c.kind === 'STOP')
  ) {
    events.push(event(state, 'incident.tracking-stopped', { incidentId: current.id, handsetId: handset.id, reason: 'handset', by: null }));
  }
  return { events };
};
