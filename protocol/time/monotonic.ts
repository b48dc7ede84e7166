// Monotonic time: what elapsed, whatever the wall clock did. An NTP step, `date -s`, a resumed virtual
// machine or an RTC kept in local time moves the wall clock by an hour or more at once; an interval measured
// as the difference of two wall readings (a session's idle time, the modem's storage scan, a retention
// check) is then wrong by the step. Such intervals are measured here instead.

import { SystemClock, type Clock } from './clock.js';

/**
 * A clock's monotonic time (ms, any origin). The system clock's is performance.now() (CLOCK_MONOTONIC). A
 * clock may offer its own as `monotonicNow()` (a test's clock whose wall steps); any other injected clock
 * (ManualClock, a replay) only moves forward when told, and is its own.
 */
export function monotonicOf(clock: Clock): () => number {
  const own = (clock as Clock & { monotonicNow?: unknown }).monotonicNow;
  if (typeof own === 'function') return () => (own as () => number).call(clock);
  if (clock instanceof SystemClock) return () => performance.now();
  return () => clock.now();
}
