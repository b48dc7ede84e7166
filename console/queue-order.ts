// The call queue: ringing and active calls, plus TecSOS alarms that have no call yet (an ALM report can
// arrive before, or instead of, the voice call). One order, decided here: TecSOS first, then "TecSOS range,
// unregistered", then ordinary 999 calls, then handset test calls; within a class, ringing before calls
// already on a handler, then the longest waiting first. Pure (tested in node).
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

const RANK: Readonly<Record<CallPriority, number>> = { tecsos: 0, 'tecsos-unregistered': 1, ordinary: 2, test: 3 };
const STATE_RANK = { alarm: 0, ringing: 0, answered: 1 } as const;

/** What the queue label says for each priority. */
export const PRIORITY_LABEL: Readonly<Record<CallPriority, string>> = {
  tecsos: 'TecSOS',
  'tecsos-unregistered': 'TecSOS range, unregistered',
  ordinary: '999 call',
  test: 'Test call',
};

export function compareQueue(a: QueueItem, b: QueueItem): number {
  return RANK[a.priority] - RANK[b.priority] || STATE_RANK[a.state] - STATE_RANK[b.state] || a.since.localeCompare(b.since) || a.key.localeCompare(b.key);
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
