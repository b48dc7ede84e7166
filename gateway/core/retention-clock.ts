// Retention's clock check: the time retention ages victim data by, so that a wall clock that jumps (a bad NTP
// server, an RTC reset to a future date, an operator's typo in `date -s`) can never redact recent data. The
// purge is irreversible; a wrong clock is bad input, and bad input must never lose stored data.
//
// The rule (docs/operations.md "Retention"):
//
// - Retention trusts the wall clock only while it agrees with a reference that cannot jump:
//   - while running, the last trusted reading carried forward by the monotonic clock (`expected = wall at the
//     last trusted check + monotonic time since`); agreement means within CLOCK_TOLERANCE_MS either way;
//   - at start-up (the monotonic clock restarted with the process), the newest `at` in the log: the wall may be
//     at most CLOCK_TOLERANCE_MS behind it (a clock behind its own log was stepped back) and at most
//     START_ALLOWANCE_MS ahead of it (the longest the gateway may have been switched off; longer needs a
//     person). An empty log is trusted (nothing to lose).
//   The reference is fixed for the life of the process: the first check that agrees with the log becomes it,
//   and later agreeing checks do not move it. A reference that followed every agreeing check let steps under
//   the tolerance add up without limit (50 min forward each minute: 25 h ahead after half an hour, trusted,
//   and a 30-minute-old fix redacted; steps back: purges days late, never an alert). Nothing legitimate
//   moves the wall clock against the monotonic one while running: NTP's slewing adjusts CLOCK_MONOTONIC's
//   rate as well (on Linux only CLOCK_MONOTONIC_RAW is left alone), so only steps and a suspend do, and the
//   steps of a healthy NTP are milliseconds, far inside the tolerance, in total.
// - While not trusted ("held"), retention goes by `min(wall, expected)`: the trusted time carried forward by
//   the monotonic clock, never the jumped clock. So a forward jump redacts nothing early; due redactions go on
//   by the time the gateway trusts; a clock stepped back redacts less (by the wall), never more.
// - Held ends by itself at the first check (every minute, and before every purge) at which the wall clock is
//   back within those bounds of the reference carried forward: someone fixed the clock.
// - A restart starts from the log again: if the gateway stored events under the new clock, a restart accepts
//   it (the operator's acknowledgement, after checking the time: docs/operations.md).
//
// Not a jump: a gateway switched off for up to START_ALLOWANCE_MS (the wall moved, the monotonic clock restarted,
// the log's newest event is from before the stop); NTP slewing (ms per hour); DST (every time here is UTC ms).
import { SystemClock, type Clock } from '../../protocol/time/clock.js';

/** How far the wall clock may drift from the reference and still be trusted (NTP steps at boot are < 1 s). */
export const CLOCK_TOLERANCE_MS = 60 * 60_000;
/** At start-up, how far ahead of the newest event in the log the wall clock may be (the gateway was off). */
export const START_ALLOWANCE_MS = 8 * 86_400_000;

/** What a check found. */
export type ClockVerdict = {
  /** The wall clock agrees with the reference. */
  readonly trusted: boolean;
  /** The time retention ages data by: the wall when trusted, else min(wall, expected). */
  readonly retentionNow: number;
  /** The wall clock's reading. */
  readonly wall: number;
  /** The reference carried forward by the monotonic clock (at start-up: the log's newest `at` + monotonic time since). */
  readonly expected: number;
  /** wall - expected (ms): positive when the wall clock is ahead. */
  readonly offsetMs: number;
};

/** `settled`: set by a check that agreed (fixed from then on); not yet: the log's newest `at` at start-up. */
type Reference = { readonly wall: number; readonly mono: number; readonly aheadAllowance: number; readonly settled: boolean };

/**
 * Retention's clock check (the rule above). One per process: the monotonic readings it compares are only
 * meaningful within one process.
 */
export class RetentionClock {
  private ref: Reference;

  /**
   * @param newestAt the newest event's `at` in the log at start-up (ms), null for an empty log
   * @param wall the wall clock now; @param mono the monotonic clock now
   */
  constructor(newestAt: number | null, wall: number, mono: number) {
    this.ref =
      newestAt === null
        ? { wall, mono, aheadAllowance: CLOCK_TOLERANCE_MS, settled: true }
        : { wall: newestAt, mono, aheadAllowance: START_ALLOWANCE_MS, settled: false };
  }

  /** Checks the wall clock against the reference; the first agreeing reading after start-up becomes it, for good. */
  check(wall: number, mono: number): ClockVerdict {
    const expected = this.ref.wall + (mono - this.ref.mono);
    const offsetMs = wall - expected;
    const trusted = offsetMs >= -CLOCK_TOLERANCE_MS && offsetMs <= this.ref.aheadAllowance;
    if (trusted && !this.ref.settled) this.ref = { wall, mono, aheadAllowance: CLOCK_TOLERANCE_MS, settled: true };
    return { trusted, retentionNow: trusted ? wall : Math.min(wall, expected), wall, expected, offsetMs };
  }
}

/**
 * A clock's monotonic time (ms, any origin): what elapsed, whatever the wall clock did. The system clock's is
 * performance.now() (CLOCK_MONOTONIC). A clock may offer its own as `monotonicNow()` (a test's clock whose wall
 * steps); any other injected clock (ManualClock, a replay) only moves forward when told, and is its own.
 */
export function monotonicOf(clock: Clock): () => number {
  const own = (clock as Clock & { monotonicNow?: unknown }).monotonicNow;
  if (typeof own === 'function') return () => (own as () => number).call(clock);
  if (clock instanceof SystemClock) return () => performance.now();
  return () => clock.now();
}
