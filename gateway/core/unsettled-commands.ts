// TSC1 commands a crash left unsettled: a counter reserved (`command.reserved`, durable before the SMS may
// leave) and no `command.result` for it. The gateway stopped somewhere between the reservation and storing the
// modem's answer, so the SMS may or may not have left: the modem may have taken it (+CMGS) a moment before a
// SIGKILL. Before this, nothing of such a command reached the log but the internal reservation: the handler who
// pressed Stop saw her incident still tracking, with no STOP on record, and the handset's ACK of the STOP that
// had left acknowledged nothing (no command was waiting), so the incident read tracking until its silence
// timeout (docs/gateway.md "TSC1 commands").
//
// At the next start, before the lines are read (an ACK may be waiting on a SIM), each one is recorded as
// `command.sent` (line `unknown`) + `command.result` `sent` whose detail says it may not have left: it then waits
// for its ACK as any sent command, the ACK settles it (a STOP's marks her incident stopped, by the handset), and
// no ACK within 15 minutes is its `timeout`. Nothing is re-sent: the handler decides (a second STOP or LOCATE
// signs a higher counter, which the handset accepts). A reservation from before they named their command has
// only a `command.result` `failed` saying the same.
import type { CommandReserved } from './internal-events.js';
import type { NewEvent, StoredEvent } from '../store/event-store.js';
import { event, type CoreState } from './state.js';

/** The event types start-up reads to find them (through the store's type index). */
export const UNSETTLED_TYPES: readonly string[] = ['command.reserved', 'command.result'];

/**
 * How far before the log's newest event start-up looks: a command is sent within seconds of its reservation
 * (minutes behind a busy line at worst), and every start settles what the one before it left; an SMS older
 * than its validity (24 h) is gone from the network anyway.
 */
export const UNSETTLED_LOOKBACK_MS = 24 * 3600_000;

/** The line of a command whose line is not known (schemas' LineId: a name no line has). */
export const UNKNOWN_LINE = 'unknown';

/**
 * The `command.result` `sent` detail of a command that may not have left (the console shows it as such): `why`
 * the gateway does not know. Also for a line that failed after the modem was given the SMS (gateway-core.ts).
 */
export function mayNotHaveLeft(why: string): string {
  return `uncertain: ${why}; it may not have left: the handset's ACK will show it arrived`.slice(0, 500);
}

/** The reservations among `events` (reservations and results, ascending) that no result followed, oldest first. */
export function unsettledReservations(events: readonly StoredEvent[]): (CommandReserved & { seq: number })[] {
  const open = new Map<string, CommandReserved & { seq: number }>();
  for (const s of events) {
    const e = s.event as Record<string, unknown>;
    const key = `${String(e['handsetId'])}:${String(e['counter'])}`;
    if (e['type'] === 'command.reserved') open.set(key, { ...(e as unknown as CommandReserved), seq: s.seq });
    else if (e['type'] === 'command.result') open.delete(key);
  }
  return [...open.values()];
}

/** The events that record one unsettled reservation as a command that may have left. */
export function settleEvents(state: CoreState, r: CommandReserved): NewEvent[] {
  const { handsetId, counter } = r;
  const why = `the gateway stopped after reserving this command (${r.at}) and before the modem's answer was stored`;
  if (r.command === undefined) {
    return [event(state, 'command.result', { handsetId, counter, result: 'failed', detail: `uncertain: ${why}; it may have been sent` })];
  }
  return [
    event(state, 'command.sent', { handsetId, incidentId: r.incidentId ?? null, counter, command: r.command, by: r.by ?? null, lineId: UNKNOWN_LINE }),
    event(state, 'command.result', { handsetId, counter, result: 'sent', detail: mayNotHaveLeft(why) }),
  ];
}
