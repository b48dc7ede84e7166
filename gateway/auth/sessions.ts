// Server-side sessions behind an opaque cookie.
//
// The cookie carries 32 random bytes (base64url, 43 characters); the server keeps only their SHA-256, so a
// heap dump or a log line with the table in it cannot be replayed as a cookie. A session ends at logout, after
// `idleMs` without use, or `absoluteMs` after login whatever the use (a control-room shift). Sessions live in
// memory: a gateway restart logs everyone out, and the console logs in again (docs/api.md).
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../protocol/time/clock.js';
import type { Role } from './roles.js';

/** The signed-in user a session belongs to. */
export type SessionUser = { readonly username: string; readonly role: Role };

/** One live session (never contains the cookie value itself). */
export type Session = SessionUser & { readonly createdAt: number; lastSeenAt: number };

/** Expiry settings. */
export type SessionLimits = { readonly idleMs: number; readonly absoluteMs: number; readonly maxSessions: number };

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 60 * 60_000,
  maxSessions: 10_000,
};

function digest(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/** In-memory session table keyed by the SHA-256 of the cookie value. */
export class SessionStore {
  private readonly byDigest = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
  ) {}

  /** Opens a session; returns the cookie value (shown once, never stored). */
  create(user: SessionUser): string {
    this.sweep();
    if (this.byDigest.size >= this.limits.maxSessions) {
      // Drop the oldest session rather than refuse a login in an emergency.
      const oldest = this.byDigest.keys().next().value;
      if (oldest !== undefined) this.byDigest.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    this.byDigest.set(digest(id), { username: user.username, role: user.role, createdAt: now, lastSeenAt: now });
    return id;
  }

  /** The session for a cookie value, refreshed (idle timer restarted); undefined when unknown or expired. */
  touch(id: string | undefined): Session | undefined {
    if (id === undefined || id.length !== 43) return undefined;
    const key = digest(id);
    const s = this.byDigest.get(key);
    if (s === undefined) return undefined;
    const now = this.clock.now();
    if (this.expired(s, now)) {
      this.byDigest.delete(key);
      return undefined;
    }
    s.lastSeenAt = now;
    return s;
  }

  /** Ends one session (logout). */
  destroy(id: string | undefined): void {
    if (id !== undefined) this.byDigest.delete(digest(id));
  }

  /** Ends every session of a user (disabled account). Returns how many. */
  destroyUser(username: string): number {
    let n = 0;
    for (const [k, s] of this.byDigest) {
      if (s.username === username) {
        this.byDigest.delete(k);
        n++;
      }
    }
    return n;
  }

  /** Number of live sessions (after dropping expired ones). */
  get size(): number {
    this.sweep();
    return this.byDigest.size;
  }

  private expired(s: Session, now: number): boolean {
    return now - s.lastSeenAt >= this.limits.idleMs || now - s.createdAt >= this.limits.absoluteMs;
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [k, s] of this.byDigest) if (this.expired(s, now)) this.byDigest.delete(k);
  }
}
