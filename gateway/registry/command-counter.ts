// The gateway's next TSC1 counter (`n=`) for a handset.
//
// Normally the stored counter plus one. But the handset keeps the highest command counter it verified in
// flash (its replay window), and the store can forget: a store restored from a backup has lost every
// command sent since, and counting on from it the gateway would sign counters the handset has seen. The
// handset refuses those as replays, silently (no ACK), so a STOP or LOCATE would go unanswered after a
// restore until the counter caught up, or until the handset was re-provisioned. So the counter is also kept
// at or above the seconds since 2020 (protocol/report/counter-floor.ts, as a handset whose flash lost its
// counter does): commands to one handset come far slower than one a second over any stretch, so every
// counter it has seen is below the floor of a later second. A burst of commands runs the counter ahead of
// the clock by its length, which a restore (minutes at the least) outlasts.
//
// No floor from a clock that is not set, nor from one so far ahead (past MAX_COUNTER / 2, the year 2088) that
// following it would spend most of the 32-bit counter: after such a clock was put right, the stored counter
// would still be ahead of it, and every command after would count on from there.

import { MAX_COUNTER, counterFloor } from '../../protocol/report/index.js';

const FLOOR_LIMIT = Math.floor(MAX_COUNTER / 2);

/** The counter for the next command after `stored` (0: none sent yet), or undefined when the 32 bits are spent. */
export function nextCommandCounter(stored: number, nowMs: number): number | undefined {
  const floor = counterFloor(nowMs);
  const next = Math.max(stored + 1, floor !== undefined && floor <= FLOOR_LIMIT ? floor : 0);
  return next <= MAX_COUNTER ? next : undefined;
}
