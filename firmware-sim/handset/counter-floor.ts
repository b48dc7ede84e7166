// Where the report counter restarts when flash has lost it (both counter slots unreadable, flash.ts).
//
// Why: the gateway keeps the highest n it accepted from this handset and refuses n <= highest - 64 as
// `too-old` and a seen n with another MAC as `replay` (protocol/report/replay-window.ts). A handset that
// restarted at 1 would have every report refused, its ALM included, until its counter passed the old
// highest: possibly never. The old value is gone, but the clock bounds it:
//
//   floor = whole seconds from COUNTER_EPOCH_MS (2020-01-01T00:00:00Z) to now
//
// A handset uses far fewer than one n per second over any stretch of time: an n is taken only when a report
// is first sent, and reports are made at most every 5 s (TRK, INTERVAL's minimum; 10 s or 30 s by default),
// the others one per boot, gesture, verified command (each an SMS from the gateway), battery crossing or
// day; they go out one at a time, each SMS waiting for its +CMGS. So every n this handset has used is below
// the seconds elapsed since it first counted, which is after the epoch (no handset of this fleet reported
// before 2026), hence below the floor. That stays true after a restart from the floor (it counts on from
// "seconds since the epoch" at no more than one a second), so a second loss later recovers above the
// first. The gateway takes any jump forward: nothing caps n - highest, n > highest is `fresh`
// (replay-window.ts check; gateway/reports/tsr1-intake.ts adds no limit).
//
// Range: 2^32 - 1 seconds after the epoch is the year 2156, so the floor is a valid n (MAX_COUNTER) for
// 130 years from now; in 2026 it is about 2.1e8, leaving 4e9 reports of headroom.
//
// The clock is the handset's real-time clock (hw.clock), kept across a reboot and set from GPS time or the
// network's; it does not need a fix. An RTC that lost its power restarts from its reset value (1970 or 2000
// on the usual parts), before this firmware was built: a time before CLOCK_VALID_FROM_MS is "not known".
// Then there is no floor, and the firmware waits for a time source before sending (report-queue.ts keeps
// the reports queued and retries; the 999 call, which needs no counter, goes out meanwhile). Not a fixed
// high floor instead: a number not derived from the time would break the bound above for the next loss,
// and a low one is refused by the gateway just as counting from 1 is; a report held costs nothing the
// gateway would have accepted.

import { CLOCK_VALID_FROM_MS, COUNTER_EPOCH_MS, counterFloor } from '../../protocol/report/index.js';

// The floor is shared with the gateway, which counts its TSC1 commands on from it after a restore
// (protocol/report/counter-floor.ts, gateway/registry/command-counter.ts).
export { CLOCK_VALID_FROM_MS, COUNTER_EPOCH_MS };

/**
 * The last-used counter to restart from when flash lost it, above every n this handset can have used, or
 * undefined when the clock is not known (then no report may be numbered yet).
 */
export function lostCounterFloor(nowMs: number | undefined): number | undefined {
  return counterFloor(nowMs);
}
