// The call queue: ringing and active calls, plus TecSOS alarms that have no call yet (an ALM report can
// arrive before, or instead of, the voice call). One order, decided here:
//   1. class: TecSOS (registered, or "TecSOS range, unregistered"), then ordinary 999 calls, then test calls;
//   2. what still needs a handler (ringing, alarm not acknowledged) before what one already has (answered,
//      acknowledged);
//   3. a registered TecSOS handset before an unregistered number in a TecSOS range;
//   4. the longest waiting first.
// Beside the queue, the calls that rang and ended before anyone answered them (missedOf): a TecSOS-range
// number that hung up leaves no incident behind, so without this list nothing on screen said it had rung.
// Pure (tested in node).
import type { CallEndedBy, CallPriority, CallView } from '../protocol/schemas/index.js';
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
  /** An alarm row: its incident has had a 999 call (ended since); the row must not say "no call yet". */
  readonly hadCall: boolean;
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
    answeredBy: c.answeredBy, incidentState: inc?.state ?? null, hadCall: true,
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
      hadCall: i.callIds.length > 0,
    });
  }
  return items.sort(compareQueue);
}

/** How long a call that ended unanswered stays in the Missed list. */
export const MISSED_FOR_MS = 30 * 60_000;
/** At most this many missed calls are listed. */
export const MISSED_SHOWN = 10;

/** A call that rang and ended before anyone answered it. */
export type MissedItem = {
  /** `call:<id>`: selecting it shows the call (its number, line, AML positions) in the incident panel. */
  readonly key: string;
  readonly callId: string;
  readonly priority: CallPriority;
  readonly callerNumber: string | null;
  readonly handsetId: string | null;
  readonly lineId: string;
  readonly force: string | null;
  readonly ringingAt: string;
  readonly endedAt: string;
  readonly endedBy: CallEndedBy;
};

/**
 * Calls that ended unanswered in the last {@link MISSED_FOR_MS} (the caller gave up, or the network dropped
 * the call), TecSOS first, then the newest first. Not listed: test calls; a call a handler ended (that was a
 * decision); a call whose incident is still in the queue (its alarm row stands for it).
 */
export function missedOf(state: ConsoleState, nowMs: number): MissedItem[] {
  const items: MissedItem[] = [];
  for (const c of state.calls.values()) {
    if (c.state !== 'ended' || c.answeredAt !== null || c.endedAt === null || c.endedBy === null) continue;
    if (c.endedBy === 'handler' || c.priority === 'test') continue;
    if (nowMs - Date.parse(c.endedAt) > MISSED_FOR_MS) continue;
    const inc = c.incidentId === null ? undefined : state.incidents.get(c.incidentId);
    if (inc !== undefined && inc.state !== 'closed') continue;
    items.push({
      key: `call:${c.id}`, callId: c.id, priority: c.priority, callerNumber: c.callerNumber, handsetId: c.handsetId, lineId: c.lineId,
      force: c.force, ringingAt: c.ringingAt, endedAt: c.endedAt, endedBy: c.endedBy,
    });
  }
  return items.sort((a, b) => CLASS[a.priority] - CLASS[b.priority] || b.endedAt.localeCompare(a.endedAt) || a.key.localeCompare(b.key)).slice(0, MISSED_SHOWN);
}
