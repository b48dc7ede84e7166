// One function decides how urgent a call is. Every way a call can be a TecSOS call ends here, in one flag
// (DESIGN.md: "normalise at the boundary"); the queue order, the console's colour and the audible alert all
// follow from its answer and from nothing else.

import type { E164 } from './phone-number.js';

/** The four kinds of call, most urgent first. */
export type CallPriority = 'tecsos' | 'tecsos-unregistered' | 'test' | 'ordinary';

/** Queue rank of each priority: lower rings first. */
export const PRIORITY_RANK: Readonly<Record<CallPriority, number>> = {
  tecsos: 0,
  'tecsos-unregistered': 1,
  test: 2,
  ordinary: 3,
};

/** A ring-fenced block of numbers that a police force has issued to TecSOS handsets. */
export interface TecsosRange {
  force: string;
  /** First and last number of the block, E.164, same length. */
  first: E164;
  last: E164;
}

/** What the registry knows of a handset with that number. */
export interface RegisteredHandset {
  handsetId: string;
  force: string;
  /** The engineer put the handset in test mode: its calls are labelled as tests, never as live alarms. */
  testMode: boolean;
}

export interface PriorityDecision {
  priority: CallPriority;
  handsetId: string | null;
  force: string | null;
  /** Why, in words a supervisor reading the audit trail understands. */
  reason: string;
}

/**
 * Decides a call's priority.
 * @param caller the caller's number in E.164, or null when withheld (withheld calls are ordinary: a TecSOS
 *   handset never withholds its number, so a withheld call cannot be matched to a victim)
 * @param lookup the registry's handset for a number, if any
 * @param ranges the configured TecSOS number ranges of every force
 */
export function decidePriority(
  caller: E164 | null,
  lookup: (n: E164) => RegisteredHandset | undefined,
  ranges: readonly TecsosRange[],
): PriorityDecision {
  if (caller === null) return { priority: 'ordinary', handsetId: null, force: null, reason: 'number withheld' };
  const handset = lookup(caller);
  if (handset !== undefined) {
    return handset.testMode
      ? { priority: 'test', handsetId: handset.handsetId, force: handset.force, reason: 'registered handset in test mode' }
      : { priority: 'tecsos', handsetId: handset.handsetId, force: handset.force, reason: 'registered TecSOS handset' };
  }
  const range = ranges.find((r) => inRange(caller, r));
  if (range !== undefined) {
    return { priority: 'tecsos-unregistered', handsetId: null, force: range.force, reason: `TecSOS range of ${range.force}, unregistered` };
  }
  return { priority: 'ordinary', handsetId: null, force: null, reason: 'ordinary caller' };
}

/** Numbers of equal length compare as digit strings, so no precision is lost on 15-digit numbers. */
function inRange(n: E164, r: TecsosRange): boolean {
  return n.length === r.first.length && n >= r.first && n <= r.last;
}
