// Login rate limit: at most `maxFailures` failed logins per client address (default 5) and
// `maxFailuresPerUser` per username from all addresses together (default 20), within a sliding `windowMs`
// (15 min). Over a limit, login answers 429 with Retry-After (seconds until the oldest failure counted leaves
// the window) whether or not the password is right, so guessing cannot continue behind the limit. A
// successful login clears the username's failures (not the address's: one office NAT may hold many handlers,
// but one address guessing many accounts stays limited).
//
// Why the username's limit is higher than the address's: with the same 5, anyone who could reach the login
// page locked a named call handler out of the console for 15 minutes with five wrong passwords, from any
// address, in the middle of a shift (a denial of service on the control room). Now one address cannot lock
// out anyone but itself; locking out a user takes failures from at least four addresses, while a guesser
// spread over many addresses is still held to 20 guesses per user per 15 minutes.
//
// Attempts still being checked (scrypt takes ~50 ms) count against the limit with the recorded failures
// (begin/end): otherwise a burst of guesses sent at once would all pass the check before the first failure
// is recorded (50 concurrent wrong passwords were all checked). An attempt that only in-flight attempts stand
// in the way of waits for them to end, so honest logins at the same moment are delayed, never refused.
//
// The window counts time that passed (monotonic.ts): with the wall clock stepped back four hours, a handler who
// had mistyped her password five times was refused for four hours and a quarter.
import type { Clock } from '../../protocol/time/clock.js';
import { monotonicOf } from '../../protocol/time/monotonic.js';

export type LoginLimits = {
  /** Failed logins per client address in the window. */
  readonly maxFailures: number;
  /** Failed logins per username, from all addresses together, in the window (default 4 x maxFailures). */
  readonly maxFailuresPerUser?: number;
  readonly windowMs: number;
  readonly maxKeys: number;
};

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { maxFailures: 5, maxFailuresPerUser: 20, windowMs: 15 * 60_000, maxKeys: 50_000 };

/** Either allowed, or blocked for `retryAfterS` seconds. */
export type LimitVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterS: number };

/** Sliding-window failure counter keyed by `user:<name>` and `ip:<address>`. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  /** Attempts begun and not yet ended, per key. */
  private readonly inFlight = new Map<string, number>();
  /** Attempts waiting for an attempt in flight to end. */
  private waiting: (() => void)[] = [];

  /** Monotonic ms: the failures' times and the window's cutoff. */
  private readonly now: () => number;
  /**
   * When the keys whose failures have all left the window were last dropped (sweepStale). A key is otherwise
   * dropped only when it is looked at again: every address and username that ever failed once stayed, up to
   * `maxKeys`, for the life of the process (a gateway runs for months).
   */
  private sweptAt = Number.NEGATIVE_INFINITY;

  constructor(
    clock: Clock,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {
    this.now = monotonicOf(clock);
  }

  /** Whether a login attempt for this username from this address may be checked at all. */
  check(username: string, ip: string): LimitVerdict {
    const wait = Math.max(this.waitMs(`user:${username.toLowerCase()}`), this.waitMs(`ip:${ip}`));
    return wait > 0 ? { allowed: false, retryAfterS: Math.ceil(wait / 1000) } : { allowed: true };
  }

  /**
   * Starts an attempt: blocked when the recorded failures reach the limit (as `check`); else allowed as soon
   * as the failures plus the attempts in flight are under the limit for both keys. Call `end` when it is
   * decided (after `fail` or `succeed`), whatever happens.
   */
  async begin(username: string, ip: string): Promise<LimitVerdict> {
    const keys = [`user:${username.toLowerCase()}`, `ip:${ip}`];
    for (;;) {
      const verdict = this.check(username, ip);
      if (!verdict.allowed) return verdict;
      if (keys.every((k) => this.recent(k).length + (this.inFlight.get(k) ?? 0) < this.limitOf(k))) {
        for (const k of keys) this.inFlight.set(k, (this.inFlight.get(k) ?? 0) + 1);
        return verdict;
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** Ends an attempt started by `begin`; the attempts waiting for it check again. */
  end(username: string, ip: string): void {
    for (const k of [`user:${username.toLowerCase()}`, `ip:${ip}`]) {
      const n = (this.inFlight.get(k) ?? 0) - 1;
      if (n > 0) this.inFlight.set(k, n);
      else this.inFlight.delete(k);
    }
    const woken = this.waiting;
    this.waiting = [];
    for (const resolve of woken) resolve();
  }

  /** Records a failed attempt against both keys. */
  fail(username: string, ip: string): void {
    this.add(`user:${username.toLowerCase()}`);
    this.add(`ip:${ip}`);
  }

  /** Records a success: the username's failures are forgiven. */
  succeed(username: string): void {
    this.failures.delete(`user:${username.toLowerCase()}`);
  }

  private recent(key: string): number[] {
    const list = this.failures.get(key);
    if (list === undefined) return [];
    const cutoff = this.now() - this.limits.windowMs;
    while (list.length > 0 && (list[0] as number) <= cutoff) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  /** The failures allowed for a key: per username, or per address. */
  private limitOf(key: string): number {
    return key.startsWith('user:') ? (this.limits.maxFailuresPerUser ?? 4 * this.limits.maxFailures) : this.limits.maxFailures;
  }

  private waitMs(key: string): number {
    const list = this.recent(key);
    const limit = this.limitOf(key);
    if (list.length < limit) return 0;
    const oldestCounted = list[list.length - limit] as number;
    return Math.max(1, oldestCounted + this.limits.windowMs - this.now());
  }

  /** Keys (addresses and usernames) with failures held: those in the window, and stale ones until the next sweep. */
  get keys(): number {
    return this.failures.size;
  }

  /** Drops the keys whose newest failure has left the window; at most once a window, when a failure is recorded. */
  private sweepStale(): void {
    const now = this.now();
    if (now - this.sweptAt < this.limits.windowMs) return;
    this.sweptAt = now;
    const cutoff = now - this.limits.windowMs;
    for (const [key, list] of this.failures) if (list.length === 0 || (list[list.length - 1] as number) <= cutoff) this.failures.delete(key);
  }

  private add(key: string): void {
    this.sweepStale();
    const list = this.recent(key);
    if (list.length === 0) {
      if (this.failures.size >= this.limits.maxKeys) {
        const oldest = this.failures.keys().next().value;
        if (oldest !== undefined) this.failures.delete(oldest);
      }
      this.failures.set(key, list);
    }
    list.push(this.now());
    // Never keep more timestamps than the limit needs.
    if (list.length > this.limitOf(key)) list.shift();
  }
}
