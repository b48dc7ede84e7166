// Server-side sessions behind an opaque cookie.
//
// The cookie carries 32 random bytes (base64url, 43 characters); the server keeps only their SHA-256, so a
// heap dump or a log line with the table in it cannot be replayed as a cookie. A session ends at logout, after
// `idleMs` without use, or `absoluteMs` after login whatever the use (a control-room shift).
//
// The table lives in memory and is written behind to the store (SessionRecords, the `sessions` table), so that
// a gateway restart (a crash, a fail-stop restarted by the supervisor, an upgrade) does not log the control
// room out in the middle of an incident. Only the digest goes to disk. Use refreshes `lastSeenAt` in memory at
// every request and on disk at most once a minute (TOUCH_WRITE_MS): after a restart a session may expire up
// to a minute early, never late. A restored session whose user is gone, disabled or has another role is
// dropped (restore()).
//
// The limits count time that passed (a monotonic clock), not wall-clock readings: an NTP step, `date -s`, a
// virtual machine resumed or an RTC kept in local time moves the wall clock by an hour or more at once, and
// that signed every console out at its next heartbeat, in the middle of whatever call was ringing (a step back
// kept sessions hours beyond their shift). The wall times are kept for the disk: across a restart, the time
// since them is all there is.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../protocol/time/clock.js';
import type { SessionRecords } from '../store/event-store.js';
import { monotonicOf } from '../../protocol/time/monotonic.js';
import { isRole, type Role } from './roles.js';

/** The signed-in user a session belongs to. */
export type SessionUser = { readonly username: string; readonly role: Role };

/** One live session (never contains the cookie value itself). */
export type Session = SessionUser & { readonly createdAt: number; lastSeenAt: number };

/** Expiry settings. */
export type SessionLimits = {
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly maxSessions: number;
  /** Sessions one user may hold (absent: a tenth of maxSessions, 1,000); beyond it their own oldest end. */
  readonly maxPerUser?: number;
};

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 60 * 60_000,
  maxSessions: 10_000,
};

function digest(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

/** How often a session's `lastSeenAt` is written to disk while it is in use. */
export const TOUCH_WRITE_MS = 60_000;

/** Where sessions are kept across restarts: the store's `sessions` table. */
export type SessionPersistence = SessionRecords;

/** A live session, with its login, last use and last write to disk in monotonic time (what the limits count). */
type Entry = Session & { createdMono: number; seenMono: number; writtenMono: number };


const DIGEST = /^[A-Za-z0-9_-]{43}$/;

/** Session table keyed by the SHA-256 of the cookie value, in memory, written behind to `persistence`. */
export class SessionStore {
  private readonly byDigest = new Map<string, Entry>();
  private readonly mono: () => number;

  constructor(
    private readonly clock: Clock,
    private readonly limits: SessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly persistence?: SessionPersistence,
    /** A write behind failed (the store is failing: the gateway fail-stops on its next event anyway). */
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.mono = monotonicOf(clock);
  }

  /**
   * Loads the sessions kept by the last run. Rows are checked like any outside input; expired ones, and those
   * whose user `current(username)` no longer knows, has disabled or gave another role, are dropped from disk.
   * Returns how many were restored and dropped.
   */
  async restore(current: (username: string) => { role: Role; disabled: boolean } | undefined): Promise<{ restored: number; dropped: number }> {
    if (this.persistence === undefined) return { restored: 0, dropped: 0 };
    const now = this.clock.now();
    const mono = this.mono();
    const drop: string[] = [];
    let restored = 0;
    // Oldest login first: the table's order is the eviction order (create() drops the oldest when full).
    const rows = [...(await this.persistence.loadSessions())].sort((a, b) => a.createdAt - b.createdAt);
    for (const r of rows) {
      const user = typeof r.username === 'string' ? current(r.username) : undefined;
      const ok =
        typeof r.digest === 'string' &&
        DIGEST.test(r.digest) &&
        isRole(r.role) &&
        Number.isFinite(r.createdAt) &&
        Number.isFinite(r.lastSeenAt) &&
        r.createdAt <= now &&
        user !== undefined &&
        !user.disabled &&
        user.role === r.role;
      // Across a restart the wall clock is all there is: the time since the login and the last use by it.
      const seenMono = mono - Math.max(0, now - r.lastSeenAt);
      const entry: Entry | undefined = ok
        ? { username: r.username, role: r.role as Role, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, createdMono: mono - (now - r.createdAt), seenMono, writtenMono: seenMono }
        : undefined;
      if (entry === undefined || this.expired(entry, mono) || this.byDigest.size >= this.limits.maxSessions) {
        if (typeof r.digest === 'string') drop.push(r.digest);
        continue;
      }
      this.byDigest.set(r.digest, entry);
      restored++;
    }
    await this.dropStored(drop).catch(() => undefined); // told to onError
    return { restored, dropped: drop.length };
  }

  /** Opens a session; returns the cookie value (shown once, never stored). */
  create(user: SessionUser): string {
    this.sweep();
    // One user logging in again and again (a script, a stuck browser, an insider) must not push everyone
    // else's sessions out of the full table below: beyond their share, their own oldest sessions end.
    const perUser = Math.max(1, this.limits.maxPerUser ?? Math.ceil(this.limits.maxSessions / 10));
    const mine: string[] = [];
    for (const [k, s] of this.byDigest) if (s.username === user.username) mine.push(k);
    if (mine.length >= perUser) {
      const gone = mine.slice(0, mine.length - perUser + 1);
      for (const k of gone) this.byDigest.delete(k);
      void this.dropStored(gone);
    }
    if (this.byDigest.size >= this.limits.maxSessions) {
      // Drop the oldest session rather than refuse a login in an emergency.
      const oldest = this.byDigest.keys().next().value;
      if (oldest !== undefined) {
        this.byDigest.delete(oldest);
        void this.dropStored([oldest]);
      }
    }
    const id = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const mono = this.mono();
    const key = digest(id);
    const entry: Entry = { username: user.username, role: user.role, createdAt: now, lastSeenAt: now, createdMono: mono, seenMono: mono, writtenMono: mono };
    this.byDigest.set(key, entry);
    this.write(key, entry);
    return id;
  }

  /** The session for a cookie value, refreshed (idle timer restarted); undefined when unknown or expired. */
  touch(id: string | undefined): Session | undefined {
    if (id === undefined || id.length !== 43) return undefined;
    const key = digest(id);
    const s = this.byDigest.get(key);
    if (s === undefined) return undefined;
    const mono = this.mono();
    if (this.expired(s, mono)) {
      this.byDigest.delete(key);
      void this.dropStored([key]);
      return undefined;
    }
    s.lastSeenAt = this.clock.now();
    s.seenMono = mono;
    if (mono - s.writtenMono >= TOUCH_WRITE_MS) {
      s.writtenMono = mono;
      this.write(key, s);
    }
    return s;
  }

  /** Ends one session (logout); resolves once that is on disk, so a restart cannot bring it back. */
  destroy(id: string | undefined): Promise<void> {
    if (id === undefined) return Promise.resolve();
    const key = digest(id);
    if (!this.byDigest.delete(key)) return Promise.resolve();
    return this.dropStored([key]);
  }

  /** Ends every session of a user (disabled account). Returns how many. */
  destroyUser(username: string): number {
    const gone: string[] = [];
    for (const [k, s] of this.byDigest) {
      if (s.username === username) {
        this.byDigest.delete(k);
        gone.push(k);
      }
    }
    void this.dropStored(gone);
    return gone.length;
  }

  /** Number of live sessions (after dropping expired ones). */
  get size(): number {
    this.sweep();
    return this.byDigest.size;
  }

  /** By monotonic time (`mono`): a step of the wall clock neither ends a session nor lengthens it. */
  private expired(s: Entry, mono: number): boolean {
    return mono - s.seenMono >= this.limits.idleMs || mono - s.createdMono >= this.limits.absoluteMs;
  }

  private sweep(): void {
    const mono = this.mono();
    const gone: string[] = [];
    for (const [k, s] of this.byDigest) {
      if (this.expired(s, mono)) {
        this.byDigest.delete(k);
        gone.push(k);
      }
    }
    void this.dropStored(gone);
  }

  /** Resolves when the writes asked for so far are on disk (or have failed, which onError was told). */
  written(): Promise<void> {
    return this.lastWrite;
  }

  private lastWrite: Promise<void> = Promise.resolve();

  private write(key: string, s: Entry): void {
    if (this.persistence === undefined) return;
    this.lastWrite = this.persistence.putSession({ digest: key, username: s.username, role: s.role, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt }).catch(this.onError);
  }

  private dropStored(keys: readonly string[]): Promise<void> {
    if (this.persistence === undefined || keys.length === 0) return Promise.resolve();
    const done = this.persistence.dropSessions(keys);
    this.lastWrite = done.catch(this.onError);
    return done;
  }
}
