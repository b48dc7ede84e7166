// The call queue: ringing and active calls, plus TecSOS alarms that have no call yet (an ALM report can
// arrive before, or instead of, the voice call). One order, decided here:
//   1. class: TecSOS (registered, or "TecSOS range, unregistered"), then ordinary 999 calls, then test calls;
//   2. what still needs a handler (ringing, alarm not acknowledged) before what one already has (answered,
//      acknowledged);
//   3. a registered TecSOS handset before an unregistered number in a TecSOS range;
//   4. the longest waiting first.
// Pure (tested in node).
import type { CallPriority, CallView } from '../protocol/schemas/index.js';
import type { ConsoleState, IncidentState } from './console-state.js';

export type QueueItem = {
  /** Stable key for the DOM (`call:<id>` or `incident:<id>`). */
  readonly key: string;
  readonly callId: string | null;
  readonly incidentId: string | null;
  readonly priority: CallPriority;
  /** `alarm`: a TecSOS incident with no live call. */
  readonly state: 'ringing' | 'answered' | 'alarm';
  /** Since when it has waited (call ringing time, incident opening time). */
  readonly since: string;
  readonly callerNumber: string | null;
  readonly handsetId: string | null;
  readonly lineId: string | null;
  readonly force: string | null;
  readonly answeredBy: string | null;
  readonly incidentState: IncidentState['state'] | null;
};

const CLASS: Readonly<Record<CallPriority, number>> = { tecsos: 0, 'tecsos-unregistered': 0, ordinary: 1, test: 2 };
const WITHIN_CLASS: Readonly<Record<CallPriority, number>> = { tecsos: 0, 'tecsos-unregistered': 1, ordinary: 0, test: 0 };

/** 0: needs a handler now; 1: someone has it. */
function attention(q: QueueItem): number {
  switch (q.state) {
    case 'ringing':
      return 0;
    case 'alarm':
      return q.incidentState === 'open' ? 0 : 1;
    case 'answered':
      return 1;
    default: {
      const never: never = q.state;
      return Number(never);
    }
  }
}

/** What the queue label says for each priority. */
export const PRIORITY_LABEL: Readonly<Record<CallPriority, string>> = {
  tecsos: 'TecSOS',
  'tecsos-unregistered': 'TecSOS range, unregistered',
  ordinary: '999 call',
  test: 'Test call',
};

export function compareQueue(a: QueueItem, b: QueueItem): number {
  return CLASS[a.priority] - CLASS[b.priority] || attention(a) - attention(b) || WITHIN_CLASS[a.priority] - WITHIN_CLASS[b.priority]
    || a.since.localeCompare(b.since) || a.key.localeCompare(b.key);
}

function fromCall(c: CallView, state: ConsoleState): QueueItem {
  const inc = c.incidentId === null ? undefined : state.incidents.get(c.incidentId);
  return {
    key: `call:${c.id}`, callId: c.id, incidentId: c.incidentId, priority: c.priority, state: c.state === 'answered' ? 'answered' : 'ringing',
    since: c.ringingAt, callerNumber: c.callerNumber, handsetId: c.handsetId, lineId: c.lineId, force: c.force,
    answeredBy: c.answeredBy, incidentState: inc?.state ?? null,
  };
}

/** The queue, in order. */
export function queueOf(state: ConsoleState): QueueItem[] {
  const items: QueueItem[] = [];
  const live = new Set<string>();
  for (const c of state.calls.values()) {
    if (c.state === 'ended') continue;
    items.push(fromCall(c, state));
    if (c.incidentId !== null) live.add(c.incidentId);
  }
  for (const i of state.incidents.values()) {
    if (i.state === 'closed' || live.has(i.id)) continue;
    items.push({
      key: `incident:${i.id}`, callId: null, incidentId: i.id, priority: i.priority, state: 'alarm', since: i.openedAt,
      callerNumber: null, handsetId: i.handsetId, lineId: null, force: i.force, answeredBy: null, incidentState: i.state,
    });
  }
  return items.sort(compareQueue);
}
