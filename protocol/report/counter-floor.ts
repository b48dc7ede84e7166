// A floor for a TSR1/TSC1 counter (`n=`) taken from the clock: the whole seconds since 2020-01-01T00:00:00Z.
//
// Why: both ends keep the other's highest counter in a replay window (replay-window.ts) and refuse a counter
// they have seen. A sender that lost its own counter (a handset's flash, the gateway's store restored from a
// backup) must not count from where it remembers: the receiver remembers more. Neither end uses counters
// faster than one a second for long (a handset reports at most every 5 s; the gateway sends a handset a
// command when a person asks for one), so every counter used so far is below the seconds elapsed since the
// epoch, and counting on from this floor is fresh to the receiver. Both ends take any jump forward.
//
// Range: 2^32 - 1 seconds after the epoch is the year 2156; in 2026 the floor is about 2.1e8.

import { MAX_COUNTER } from './fields.js';

/** The epoch of the floor: before any handset of the fleet sent a report or got a command. */
export const COUNTER_EPOCH_MS = Date.UTC(2020, 0, 1);

/**
 * Before this the clock is not set (an RTC that lost power restarts at 1970 or 2000): it says nothing of
 * the counters used. The fleet's first handset counted after it.
 */
export const CLOCK_VALID_FROM_MS = Date.UTC(2026, 0, 1);

/** The floor at `nowMs`, or undefined when the clock is not known (missing, not finite, or not yet set). */
export function counterFloor(nowMs: number | undefined): number | undefined {
  if (nowMs === undefined || !Number.isFinite(nowMs) || nowMs < CLOCK_VALID_FROM_MS) return undefined;
  return Math.min(MAX_COUNTER, Math.floor((nowMs - COUNTER_EPOCH_MS) / 1000));
}
