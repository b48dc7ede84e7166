// Login rate limit: at most `maxFailures` failed logins per username and per client address within a sliding
// `windowMs` (default 5 per 15 min). Over the limit, login answers 429 with Retry-After (seconds until the
// oldest failure in the window leaves it) whether or not the password is right, so guessing cannot continue
// behind the limit. A successful login clears the username's failures (not the address's: one office NAT may
// hold many handlers, but one address guessing many accounts stays limited).
import type { Clock } from '../../protocol/time/clock.js';

export type LoginLimits = { readonly maxFailures: number; readonly windowMs: number; readonly maxKeys: number };

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { maxFailures: 5, windowMs: 15 * 60_000, maxKeys: 50_000 };

/** Either allowed, or blocked for `retryAfterS` seconds. */
export type LimitVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterS: number };

/** Sliding-window failure counter keyed by `user:<name>` and `ip:<address>`. */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /** Whether a login attempt for this username from this address may be checked at all. */
  check(username: string, ip: string): LimitVerdict {
    const wait = Math.max(this.waitMs(`user:${username.toLowerCase()}`), this.waitMs(`ip:${ip}`));
    return wait > 0 ? { allowed: false, retryAfterS: Math.ceil(wait / 1000) } : { allowed: true };
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
    const cutoff = this.clock.now() - this.limits.windowMs;
    while (list.length > 0 && (list[0] as number) <= cutoff) list.shift();
    if (list.length === 0) this.failures.delete(key);
    return list;
  }

  private waitMs(key: string): number {
    const list = this.recent(key);
    if (list.length < this.limits.maxFailures) return 0;
    const oldestCounted = list[list.length - this.limits.maxFailures] as number;
    return Math.max(1, oldestCounted + this.limits.windowMs - this.clock.now());
  }

  private add(key: string): void {
    const list = this.recent(key);
    if (list.length === 0) {
      if (this.failures.size >= this.limits.maxKeys) {
        const oldest = this.failures.keys().next().value;
        if (oldest !== undefined) this.failures.delete(oldest);
      }
      this.failures.set(key, list);
    }
    list.push(this.clock.now());
    // Never keep more timestamps than the limit needs.
    if (list.length > this.limits.maxFailures) list.shift();
  }
}
