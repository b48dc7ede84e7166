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
// - The hold survives a restart. A held gateway goes on storing events stamped by the wall clock it does not
//   trust (heartbeats missed by that clock, tracking timeouts), so the log's newest `at` is no reference after
//   a hold: a restart (the supervisor's after a store failure, a reboot, a deploy) would take the jumped time
//   from it, trust the clock, and the start-up purge would redact every recent fix. So the hold is written to
//   the store's hash-chained audit log by `system:retention` (CLOCK_AUDIT): `retention.held` when retention
//   stops trusting the clock, again every HOLD_RECORD_EVERY_MS while it stays held (its trusted time moved
//   on), `retention.resumed` when it trusts it again. At start-up, when the newest of those entries is a hold,
//   the reference is the trusted time it recorded, with the start-up bounds: a clock still wrong stays held; a
//   clock set right during a downtime of up to a week is trusted (and `retention.resumed` written). The core
//   also checks before each commit, so the hold is queued ahead of the first event a jumped clock stamps.
// - Nothing else ends a hold but the operator: `gateway/main.ts --trust-clock=<UTC time>`, the time they read
//   from a trusted clock (docs/operations.md). If the wall clock is within CLOCK_TOLERANCE_MS of it, that start
//   trusts the wall clock (as an empty log) and writes `retention.clock-trusted`; otherwise the flag is ignored
//   with an error log. Stating the time, rather than a bare flag, makes the acknowledgement a check someone
//   made: a flag left in a service unit goes stale within the hour instead of acknowledging every later jump.
// - The acknowledgement survives a restart until a newer event exists. Its entry records the log's newest `at`
//   at that start (`newest=`, trustedDetail()). Acknowledging a clock that was set right after a jump means the
//   log's newest events are stamped ahead of it; a later restart that took them as its reference again held a
//   clock the operator had just checked (retention stopped, until the next acknowledgement). So while the
//   newest record is the acknowledgement and the log's newest `at` is still the one it recorded (no event
//   since), the reference is the wall time it trusted, with the start-up bounds, as for a recorded hold: a clock
//   stepped back more than an hour behind it, or more than 8 days ahead, is held. Once an event is stored, it
//   was stamped by the trusted clock (a jump since would have been held and recorded first), and the log is
//   the reference again. An entry without `newest=` (written before this rule) leaves the log the reference.
//
// Not a jump: a gateway switched off for up to START_ALLOWANCE_MS (the wall moved, the monotonic clock restarted,
// the log's newest event is from before the stop); NTP slewing (ms per hour); DST (every time here is UTC ms).

/** How far the wall clock may drift from the reference and still be trusted (NTP steps at boot are < 1 s). */
export const CLOCK_TOLERANCE_MS = 60 * 60_000;
/** At start-up, how far ahead of the newest event in the log the wall clock may be (the gateway was off). */
export const START_ALLOWANCE_MS = 8 * 86_400_000;

/** Audit actions (protocol/schemas AuditAction) recording the hold, written by RETENTION_ACTOR. */
export const CLOCK_AUDIT = {
  /** Retention stopped trusting the wall clock (again every HOLD_RECORD_EVERY_MS while held). Detail: holdDetail(). */
  held: 'retention.held',
  /** Retention trusts the wall clock again (it agreed with the reference). */
  resumed: 'retention.resumed',
  /** The operator started the gateway with --trust-clock=<time> and the wall clock agreed with that time. */
  trusted: 'retention.clock-trusted',
} as const;
export const CLOCK_AUDIT_ACTIONS: readonly string[] = Object.values(CLOCK_AUDIT);
/** The audit actor of retention's own entries (the purge's too). */
export const RETENTION_ACTOR = 'system:retention';
/** While held, the hold is recorded again this often, so a restart's reference is never staler than this. */
export const HOLD_RECORD_EVERY_MS = 60 * 60_000;

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

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * A `retention.held` entry's detail: `trusted=<ISO>; wall=<ISO>; offsetHours=<n>`. `trusted` is the reference
 * carried forward (the verdict's `expected`), the time a restart takes as its reference.
 */
export function holdDetail(v: ClockVerdict): string {
  return `trusted=${iso(v.expected)}; wall=${iso(v.wall)}; offsetHours=${Math.round(v.offsetMs / 36_000) / 100}`;
}

/** The `trusted=` time of a holdDetail() (ms), undefined when it has none. */
export function trustedAtOf(detail: unknown): number | undefined {
  const m = typeof detail === 'string' ? /(?:^|; )trusted=([^;]+)/.exec(detail) : null;
  const ms = m === null ? NaN : Date.parse(m[1] as string);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A UTC time with minutes and an explicit zone, as --trust-clock takes it: `2026-11-23T23:20Z`. */
const STATED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses --trust-clock's value (ms); throws an Error a person can act on. */
export function parseStatedTime(text: string): number {
  const ms = STATED_TIME.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) {
    throw new Error(`--trust-clock needs the time now as read from a trusted clock, in UTC with minutes, e.g. --trust-clock=${iso(Date.now()).slice(0, 16)}Z (got "${text}")`);
  }
  return ms;
}

/** The newest CLOCK_AUDIT entry, as read from the audit log. */
export type ClockRecord = { readonly action: string; readonly detail: unknown };

/** How start-up sets retention's reference (startReference). */
export type StartReference = {
  /** RetentionClock's `newestAt`: null trusts the wall clock (an empty log, or the operator's acknowledgement). */
  readonly reference: number | null;
  /**
   * Where it came from. `hold`: the last run ended held and recorded its trusted time. `acknowledged`: the
   * operator's acknowledgement of an earlier start, no event stored since (its trusted wall time).
   */
  readonly from: 'empty' | 'log' | 'hold' | 'operator' | 'acknowledged';
  /** The newest record is a hold: a first agreeing check ends it (`retention.resumed`). */
  readonly heldOnRecord: boolean;
  /** --trust-clock was given but the wall clock is not within CLOCK_TOLERANCE_MS of the stated time: ignored. */
  readonly staleAcknowledgement: boolean;
  /** The newest record is a hold whose trusted time cannot be read (then the log's newest `at` is used). */
  readonly unreadableHold: boolean;
};

/**
 * The start-up reference (the rule above): the operator's acknowledgement when given and it agrees with the
 * wall clock; else a recorded hold's trusted time; else the log's newest `at`; an empty log trusts the wall.
 * @param newestAt the log's newest `at` (null: empty); @param last the newest CLOCK_AUDIT entry
 * @param statedAt the time the operator stated with --trust-clock, if given; @param wall the wall clock now
 */
export function startReference(newestAt: number | null, last: ClockRecord | undefined, statedAt: number | undefined, wall: number): StartReference {
  const heldOnRecord = last?.action === CLOCK_AUDIT.held;
  const heldAt = heldOnRecord ? trustedAtOf(last?.detail) : undefined;
  const acknowledgedAt = last?.action === CLOCK_AUDIT.trusted ? acknowledgedAtOf(last.detail, newestAt) : undefined;
  const staleAcknowledgement = statedAt !== undefined && Math.abs(wall - statedAt) > CLOCK_TOLERANCE_MS;
  const base = { heldOnRecord, staleAcknowledgement, unreadableHold: heldOnRecord && heldAt === undefined };
  if (statedAt !== undefined && !staleAcknowledgement) return { ...base, reference: null, from: 'operator' };
  if (heldAt !== undefined) return { ...base, reference: heldAt, from: 'hold' };
  if (acknowledgedAt !== undefined) return { ...base, reference: acknowledgedAt, from: 'acknowledged' };
  return { ...base, reference: newestAt, from: newestAt === null ? 'empty' : 'log' };
}

/**
 * A `retention.clock-trusted` entry's detail: `stated=<ISO>; wall=<ISO>; newest=<ISO|none>; <held since: ...|not
 * held>`. `newest` is the log's newest `at` at that start: while it still is, a restart's reference is `wall`.
 * @param last the newest CLOCK_AUDIT entry before this start (a hold it ends is quoted)
 */
export function trustedDetail(statedAt: number, wall: number, newestAt: number | null, last: ClockRecord | undefined): string {
  const was = last?.action === CLOCK_AUDIT.held ? `held since: ${String(last.detail)}` : 'not held';
  return `stated=${iso(statedAt)}; wall=${iso(wall)}; newest=${newestAt === null ? 'none' : iso(newestAt)}; ${was}`;
}

/** The `wall=` time of a trustedDetail() (ms) when its `newest=` is still the log's newest `at`; else undefined. */
function acknowledgedAtOf(detail: unknown, newestAt: number | null): number | undefined {
  if (typeof detail !== 'string' || newestAt === null) return undefined;
  const newest = /(?:^|; )newest=([^;]+)/.exec(detail)?.[1];
  const at = /(?:^|; )wall=([^;]+)/.exec(detail)?.[1];
  const ms = at === undefined ? NaN : Date.parse(at);
  return newest === iso(newestAt) && Number.isFinite(ms) ? ms : undefined;
}
