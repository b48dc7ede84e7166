// Monotonic time for the edge's limits (session expiry, the login window): time that passed, which no step of
// the wall clock (NTP, `date -s`, a resumed virtual machine) moves. The same rule as retention's clock check.
import { SystemClock, type Clock } from '../../protocol/time/clock.js';

/** Monotonic ms of a clock: its own `monotonicNow()` (a test's stepping clock), performance.now() for the system clock. */
export function monotonicOf(clock: Clock): () => number {
  const own = (clock as Clock & { monotonicNow?: unknown }).monotonicNow;
  if (typeof own === 'function') return () => (own as () => number).call(clock);
  if (clock instanceof SystemClock) return () => performance.now();
  return () => clock.now();
}
