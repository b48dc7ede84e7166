// The embedded EventStore: one SQLite file (better-sqlite3) in WAL mode with synchronous=FULL, written through
// group commit (group-commit.ts). One process writes it: the gateway. Reads use the same connection; since
// better-sqlite3 is synchronous, a read never sees half a transaction.
//
// Seqs are handed out when an append is staged, not when it commits: this process is the only writer (the
// writer lock, writer-lock.ts), and transactions commit in submission order, so the row of a staged event is
// inserted with exactly the seq it was given. Readers (readSince, lastSeq) see only committed events.

import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { systemClock, type Clock } from '../../protocol/time/clock.js';
import { ChainVerifier, GENESIS_HASH, auditHash } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';
import { StoreError, StoreErrorCode } from './errors.js';
import type {
  AuditEntry,
  AuditVerification,
  EventListener,
  EventStore,
  NewAuditEntry,
  NewEvent,
  PurgeResult,
  SupersededField,
  Snapshot,
  StagedAppend,
  StoreStats,
  StoredEvent,
  StoredSession,
} from './event-store.js';
import { deepFreeze, freezeStagedFromEnv } from './deep-freeze.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';

export type SqliteStoreOptions = GroupCommitOptions & {
  /** Time for `storedAt`, audit entries and redaction (default: the wall clock). */
  readonly clock?: Clock;
  /** Where a throwing event listener's error goes (default: a process warning). */
  readonly onError?: (error: unknown) => void;
  /** Called once the database is closed (open-store.ts releases the writer lock here). */
  readonly onClosed?: () => void;
  /** Events redacted per retention transaction (default 5000), so a purge never holds the writer for long. */
  readonly purgeChunk?: number;
  /**
   * Freeze each staged event, all nested in it and its StoredEvent (deep-freeze.ts), so that changing one after
   * stage() throws: for tests (default: on when TECSOS_FREEZE_STAGED=1, which vitest.config.ts sets; else off).
   */
  readonly freezeStaged?: boolean;
};

const DEFAULT_LIMIT = 1000;
const MAX_LIMIT = 10_000;
/** A checkpoint after a purge that a reader kept from finishing is tried again this much later. */
const PURGE_CHECKPOINT_RETRY_MS = 1000;
/** Audit entries verified per slice before yielding to the event loop. */
const VERIFY_SLICE = 5000;
/** A verification walks the whole chain again at least this often, even when nothing else wrote the file. */
export const AUDIT_FULL_WALK_MS = 60 * 60_000;

type EventRow = { seq: number; stored_at: number; body: string; redacted_at: number | null };
type StatementName =
  | 'insert' | 'fixes' | 'firstOf' | 'typesSince' | 'since' | 'maxSeq' | 'auditLast' | 'auditInsert' | 'auditSince' | 'auditLastOf'
  | 'snapshotSave' | 'snapshotLoad' | 'redact' | 'dropSnapshots' | 'sessionsAll' | 'sessionPut' | 'sessionDrop';
type SessionRow = { digest: string; username: string; role: string; created_at: number; last_seen_at: number };
type AuditRow = { seq: number; at: string; actor: string; action: string; subject: string; detail: string; prev_hash: string; hash: string };
/** An event ready to insert: its JSON, and `at` as ms when it has one (undefined: the store stamps it). */
type Prepared = { body: string; type: string; hasAt: boolean; atMs: number | null };

function badEvent(message: string, cause?: unknown): StoreError {
  return new StoreError(StoreErrorCode.BAD_EVENT, message, cause === undefined ? undefined : { cause });
}

/** The last `at` text parsed, and its value: the events of one decision share their `at`. */
let lastAtText = '';
let lastAtMs: number | null = null;

/** `at` as milliseconds: a number is taken as ms since the epoch, text is parsed as ISO 8601. */
function atMillis(at: unknown): number | null {
  if (typeof at === 'number') return Number.isFinite(at) ? Math.round(at) : null;
  if (typeof at === 'string') {
    if (at === lastAtText) return lastAtMs;
    const ms = Date.parse(at);
    lastAtText = at;
    lastAtMs = Number.isNaN(ms) ? null : ms;
    return lastAtMs;
  }
  return null;
}

function prepareEvent(e: NewEvent, index: number): Prepared {
  if (typeof e !== 'object' || e === null) throw badEvent(`event ${index} is not an object`);
  if (typeof e.type !== 'string' || e.type === '') throw badEvent(`event ${index} has no type`);
  if (e.at !== undefined && typeof e.at !== 'string' && typeof e.at !== 'number') throw badEvent(`event ${index} (${e.type}): "at" is neither text nor a number`);
  let body: string;
  try {
    body = JSON.stringify(e);
  } catch (cause) {
    throw badEvent(`event ${index} (${e.type}) is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  // An unreadable `at` is stored anyway (an alarm must not be refused over a timestamp); retention then
  // goes by the commit time.
  return { body, type: e.type, hasAt: e.at !== undefined, atMs: atMillis(e.at) };
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `limit ${limit} is not a positive integer`);
  return Math.min(limit, MAX_LIMIT);
}

/**
 * The deepest nesting of objects and arrays an audit detail may have (the gateway writes text; a caller's
 * record is flat). Deeper is refused on write, and a stored one (edited by hand) is named by the verification
 * and listed as its text: the hash's canonical form and the API's JSON.stringify recurse, and where they run
 * out of stack depends on the stack, not on a fixed depth (objects 4,200-4,600 deep passed the canonical form
 * and then failed the API's JSON: GET /api/audit answered 500 naming nothing).
 */
export const AUDIT_DETAIL_MAX_DEPTH = 64;

/** Whether objects and arrays nest deeper than `max` in `value` (without recursion: the value may be any depth). */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [v, depth] = top;
    if (typeof v !== 'object' || v === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

function checkSeq(seq: number, what: string): void {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `${what} ${seq} is not a non-negative integer`);
}

/**
 * The stored detail (canonical JSON as written), or not ok when it no longer parses or is nested deeper than
 * AUDIT_DETAIL_MAX_DEPTH: edited by hand (JSON 5,000 arrays deep ran out of stack in the hash's canonical form).
 */
function auditDetail(r: AuditRow): { readonly ok: true; readonly value: unknown } | { readonly ok: false } {
  try {
    const value = JSON.parse(r.detail) as unknown;
    if (typeof value === 'object' && value !== null && nestedDeeperThan(value, AUDIT_DETAIL_MAX_DEPTH)) return { ok: false };
    return { ok: true, value };
  } catch {
    return { ok: false };
  }
}

/**
 * An audit row as an entry. A detail that no longer parses (the row was edited outside the gateway) is listed
 * as its raw text, so the log can still be read; verifyAuditChain names that entry as edited.
 */
function toAuditEntry(r: AuditRow): AuditEntry {
  return auditEntryOf(r, auditDetail(r));
}

function auditEntryOf(r: AuditRow, d: ReturnType<typeof auditDetail>): AuditEntry {
  return { seq: r.seq, at: r.at, actor: r.actor, action: r.action, subject: r.subject, detail: d.ok ? d.value : r.detail, prevHash: r.prev_hash, hash: r.hash };
}

function toStoredEvent(r: EventRow): StoredEvent {
  const event = JSON.parse(r.body) as StoredEvent['event'];
  // redacted_at is also set on an event retention only cleared fields of (its `redactedFields`): not a tombstone.
  return { seq: r.seq, storedAt: r.stored_at, redacted: r.redacted_at !== null && !('redactedFields' in event), event };
}

/**
 * The purge's audit detail: short text, as protocol/schemas' AuditEntry.detail (at most 500 characters),
 * e.g. `redacted 1204 events (report.fix, victim.notes) before 2026-10-24T00:00:00.000Z; 1 snapshot dropped`.
 */
function purgeDetail(beforeMs: number, types: readonly string[], redacted: number, snapshots: number, cleared: readonly string[] = []): string {
  const text = `redacted ${redacted} events (${types.join(', ')}) before ${new Date(beforeMs).toISOString()}${cleared.map((c) => `; ${c}`).join('')}; ${snapshots} snapshot${snapshots === 1 ? '' : 's'} dropped`;
  return text.length <= 500 ? text : `${text.slice(0, 497)}...`;
}

/**
 * One staged append as a group-commit write. A class rather than two closures per append: the hot path of
 * every incoming SMS goes through here, and closures cost an allocation each (and a naming call under tsx).
 */
class StagedWrite {
  constructor(
    private readonly store: SqliteEventStore,
    private readonly rows: readonly Prepared[],
    private readonly bodies: readonly string[],
    private readonly stored: readonly StoredEvent[],
    private readonly now: number,
  ) {}

  run(): void {
    const insert = this.store.sql.insert;
    const { rows, bodies, stored, now } = this;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as Prepared;
      insert.run((stored[i] as StoredEvent).seq, r.type, r.atMs ?? now, now, bodies[i] as string);
    }
  }

  committed(): void {
    const store = this.store;
    for (const s of this.stored) store.justCommitted.push(s);
    // The listeners' texts: JSON.stringify(event), which the stored JSON is unless `at` was stamped in front of it.
    for (let i = 0; i < this.rows.length; i++) store.justCommittedTexts.push((this.rows[i] as Prepared).hasAt ? this.bodies[i] : undefined);
    store.last = (this.stored[this.stored.length - 1] as StoredEvent).seq;
    store.appended += this.stored.length;
  }
}

export class SqliteEventStore implements EventStore {
  private readonly commits: GroupCommit;
  private readonly clock: Clock;
  private readonly onError: (error: unknown) => void;
  private readonly listeners = new Set<EventListener>();
  /** @internal committed, not yet told to the listeners. */
  justCommitted: StoredEvent[] = [];
  /** @internal JSON.stringify of each justCommitted event's `event`, when at hand (EventListener). */
  justCommittedTexts: (string | undefined)[] = [];
  /** @internal the newest committed seq. */
  last: number;
  /** The newest staged seq (>= last). */
  private staged: number;
  /** @internal events committed since open. */
  appended = 0;
  /** Purge chunks that changed events, since open (StoreStats.purges). */
  private purges = 0;
  /** Audit entries hashed by verifyAuditChain since open (StoreStats.auditEntriesVerified). */
  private auditHashed = 0;
  /**
   * The last good verification: the chain up to `head` verified, while the file's `PRAGMA data_version` was
   * `dataVersion` (see verifyAuditChain), in a walk from the first entry that began at `walkedAt`.
   */
  private auditVerified: { entries: number; head: { seq: number; hash: string }; dataVersion: number; walkedAt: number } | undefined;
  private isClosed = false;
  /** @internal the prepared statements (StagedWrite inserts through them). Typed by name: the declaration
   * build (tsconfig.build.json) must be able to name better-sqlite3's Statement type. */
  readonly sql: Readonly<Record<StatementName, Database.Statement>>;
  private readonly onClosed: (() => void) | undefined;
  private readonly purgeChunk: number;
  /** Freeze what stage() hands out (SqliteStoreOptions.freezeStaged). */
  private readonly freezeStaged: boolean;

  /** Use openEventStore() (open-store.ts), which opens, configures and migrates the database first. */
  constructor(
    private readonly db: Database.Database,
    /** The database file, for messages. */
    readonly file: string,
    options: SqliteStoreOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.onClosed = options.onClosed;
    this.purgeChunk = Math.max(1, options.purgeChunk ?? 5000);
    this.freezeStaged = options.freezeStaged ?? freezeStagedFromEnv();
    this.onError = options.onError ?? ((e) => process.emitWarning(`event listener failed: ${e instanceof Error ? e.stack : String(e)}`));
    const victims = `(SELECT seq FROM events WHERE redacted_at IS NULL AND type IN (SELECT value FROM json_each(@types))
      AND at_ms < @before LIMIT @chunk)`;
    this.sql = {
      insert: db.prepare('INSERT INTO events (seq, type, at_ms, stored_at, body) VALUES (?, ?, ?, ?, ?)'),
      fixes: db.prepare(
        `SELECT seq, stored_at, body, redacted_at FROM events
         WHERE type = 'fix' AND redacted_at IS NULL AND json_extract(body, '$.incidentId') = ? ORDER BY seq`,
      ),
      firstOf: db.prepare('SELECT min(seq) FROM events WHERE type = ? AND at_ms >= ? AND redacted_at IS NULL').pluck(),
      typesSince: db.prepare(
        `SELECT seq, stored_at, body, redacted_at FROM events WHERE type IN (SELECT value FROM json_each(?)) AND at_ms >= ?
         AND redacted_at IS NULL AND seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
      ),
      since: db.prepare('SELECT seq, stored_at, body, redacted_at FROM events WHERE seq > ? ORDER BY seq LIMIT ?'),
      maxSeq: db.prepare('SELECT coalesce(max(seq), 0) AS seq FROM events').pluck(),
      auditLast: db.prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1'),
      auditInsert: db.prepare('INSERT INTO audit (seq, at, actor, action, subject, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      auditSince: db.prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?'),
      auditLastOf: db.prepare('SELECT * FROM audit WHERE action = ? ORDER BY seq DESC LIMIT 1'),
      snapshotSave: db.prepare(
        'INSERT INTO snapshots (name, seq, body, saved_at) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq, body = excluded.body, saved_at = excluded.saved_at',
      ),
      snapshotLoad: db.prepare('SELECT name, seq, body, saved_at FROM snapshots WHERE name = ?'),
      redact: db
        .prepare(
          `UPDATE events SET body = json_object('type', type, 'at', json_extract(body, '$.at'), 'redacted', json('true')), redacted_at = @now WHERE seq IN ${victims} RETURNING seq`,
        )
        .pluck(),
      dropSnapshots: db.prepare('DELETE FROM snapshots'),
      sessionsAll: db.prepare('SELECT digest, username, role, created_at, last_seen_at FROM sessions'),
      sessionPut: db.prepare(
        'INSERT INTO sessions (digest, username, role, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (digest) DO UPDATE SET last_seen_at = excluded.last_seen_at',
      ),
      sessionDrop: db.prepare('DELETE FROM sessions WHERE digest = ?'),
    };
    this.last = this.sql.maxSeq.get() as number;
    this.staged = this.last;
    const tx = db.transaction((fn: () => void) => fn());
    const stillThere = fileIdentity(file);
    this.commits = new GroupCommit(
      (fn) => {
        stillThere();
        tx.immediate(fn);
      },
      () => this.notify(),
      options,
    );
  }

  append<E extends NewEvent>(events: readonly E[]): Promise<StoredEvent<E>[]> {
    try {
      const staged = this.stage(events);
      return staged.durable.then(() => staged.stored);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  stage<E extends NewEvent>(events: readonly E[]): StagedAppend<E> {
    this.checkWritable();
    if (!Array.isArray(events)) throw badEvent('append takes an array of events');
    if (events.length === 0) return { stored: [], durable: Promise.resolve() };
    const rows = events.map(prepareEvent);
    const now = this.clock.now();
    let stamp: string | undefined;
    const stored: StoredEvent<E>[] = new Array(rows.length);
    const bodies: string[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i] as Prepared;
      const given = events[i] as E;
      let event = given as StoredEvent<E>['event'];
      let body = r.body;
      if (!r.hasAt) {
        // No `at`: stamp the staging time into the stored JSON itself, so replays see the same value.
        stamp ??= new Date(now).toISOString();
        body = `{"at":${JSON.stringify(stamp)},${r.body.slice(1)}`;
        event = { ...given, at: stamp } as StoredEvent<E>['event'];
      }
      bodies[i] = body;
      stored[i] = { seq: ++this.staged, storedAt: now, redacted: false, event };
    }
    // Tests only (deep-freeze.ts): a change to a staged event, or to the object given for it, then throws.
    if (this.freezeStaged) {
      for (let i = 0; i < stored.length; i++) {
        deepFreeze(events[i]);
        deepFreeze(stored[i]);
      }
    }
    const durable = this.commits.submit(new StagedWrite(this, rows, bodies, stored, now));
    return { stored, durable };
  }

  async readSince(afterSeq: number, limit = DEFAULT_LIMIT): Promise<StoredEvent[]> {
    this.checkOpen();
    checkSeq(afterSeq, 'seq');
    return (this.sql.since.all(afterSeq, checkLimit(limit)) as EventRow[]).map(toStoredEvent);
  }

  async lastSeq(): Promise<number> {
    this.checkOpen();
    return this.last;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async readFixes(incidentId: string): Promise<StoredEvent[]> {
    this.checkOpen();
    if (typeof incidentId !== 'string') throw new StoreError(StoreErrorCode.BAD_ARGUMENT, 'incident id is not text');
    return (this.sql.fixes.all(incidentId) as EventRow[]).map(toStoredEvent);
  }

  async readTypesSince(types: readonly string[], sinceMs: number, afterSeq: number, upToSeq: number, limit = DEFAULT_LIMIT): Promise<StoredEvent[]> {
    this.checkOpen();
    checkSeq(afterSeq, 'seq');
    checkSeq(upToSeq, 'seq');
    const rows = this.sql.typesSince.all(JSON.stringify(types), Math.floor(sinceMs), afterSeq, upToSeq, checkLimit(limit)) as EventRow[];
    return rows.map(toStoredEvent);
  }

  async firstSeqOf(type: string, sinceMs: number): Promise<number | null> {
    this.checkOpen();
    return (this.sql.firstOf.get(type, Math.floor(sinceMs)) as number | null) ?? null;
  }

  appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    if (this.isClosed) return this.rejectClosed();
    if (this.commits.failure !== undefined) return Promise.reject(this.commits.failure);
    let detail: string;
    try {
      if (typeof entry?.actor !== 'string' || entry.actor === '') throw badEvent('audit entry has no "actor"');
      if (typeof entry.action !== 'string' || entry.action === '') throw badEvent('audit entry has no "action"');
      if (entry.subject !== undefined && typeof entry.subject !== 'string') throw badEvent('audit entry "subject" is not text');
      if (nestedDeeperThan(entry.detail, AUDIT_DETAIL_MAX_DEPTH)) throw badEvent(`audit entry detail is nested deeper than ${AUDIT_DETAIL_MAX_DEPTH}`);
      detail = canonicalJson(entry.detail ?? null);
    } catch (e) {
      return Promise.reject(e instanceof StoreError ? e : badEvent(`audit entry detail cannot be stored: ${String(e)}`, e));
    }
    return this.commits.submit({ run: () => this.writeAudit(entry, detail) });
  }

  async readAudit(afterSeq: number, limit = DEFAULT_LIMIT): Promise<AuditEntry[]> {
    this.checkOpen();
    checkSeq(afterSeq, 'audit seq');
    return (this.sql.auditSince.all(afterSeq, checkLimit(limit)) as AuditRow[]).map(toAuditEntry);
  }

  async lastAuditOf(actions: readonly string[]): Promise<AuditEntry | undefined> {
    this.checkOpen();
    if (!Array.isArray(actions) || !actions.every((a) => typeof a === 'string')) throw new StoreError(StoreErrorCode.BAD_ARGUMENT, 'audit actions are not a list of text');
    let newest: AuditRow | undefined;
    for (const action of actions) {
      const row = this.sql.auditLastOf.get(action) as AuditRow | undefined;
      if (row !== undefined && (newest === undefined || row.seq > newest.seq)) newest = row;
    }
    return newest === undefined ? undefined : toAuditEntry(newest);
  }

  /**
   * Walks the chain from the first entry, or only from the head of the last good verification when nothing can
   * have changed the entries before it: this process only appends to the audit log (triggers refuse updates and
   * deletes), and `PRAGMA data_version` changes whenever another connection (sqlite3, a script with the file)
   * commits to the file. So a supervisor's `GET /api/audit` pages no longer re-hash every entry ever written
   * (about 9 us each: a year of a busy control room's reads is minutes per page); an edit by anyone else is still
   * found at the next verification, and the whole chain is walked again at least every AUDIT_FULL_WALK_MS in
   * case the file was changed below SQLite (its bytes edited while the gateway runs).
   */
  async verifyAuditChain(): Promise<AuditVerification> {
    this.checkOpen();
    const dataVersion = this.db.pragma('data_version', { simple: true }) as number;
    const now = this.clock.now();
    const known = this.auditVerified;
    const resume =
      known !== undefined && known.dataVersion === dataVersion && now - known.walkedAt >= 0 && now - known.walkedAt < AUDIT_FULL_WALK_MS
        ? known
        : undefined;
    const verifier = resume === undefined ? new ChainVerifier() : ChainVerifier.after(resume);
    const walkedAt = resume === undefined ? now : resume.walkedAt;
    let after = resume === undefined ? 0 : resume.head.seq;
    for (;;) {
      const rows = this.sql.auditSince.all(after, VERIFY_SLICE) as AuditRow[];
      for (const r of rows) {
        const d = auditDetail(r);
        this.auditHashed++;
        const broken = verifier.check(auditEntryOf(r, d), d.ok);
        if (broken !== undefined) {
          this.auditVerified = undefined;
          return broken;
        }
      }
      if (rows.length < VERIFY_SLICE) {
        const result = verifier.result();
        if (result.ok && result.head !== null) this.auditVerified = { entries: result.entries, head: result.head, dataVersion, walkedAt };
        return result;
      }
      after = (rows[rows.length - 1] as AuditRow).seq;
      await new Promise((r) => setImmediate(r));
      this.checkOpen();
    }
  }

  saveSnapshot(name: string, seq: number, json: string): Promise<void> {
    if (this.isClosed) return this.rejectClosed();
    try {
      if (typeof name !== 'string' || name === '') throw new StoreError(StoreErrorCode.BAD_ARGUMENT, 'snapshot has no name');
      checkSeq(seq, `snapshot ${name}: seq`);
      if (typeof json !== 'string') throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `snapshot ${name}: json is not text`);
      // Staged events up to `seq` are written before this, in the same or an earlier transaction.
      if (seq > this.staged) throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `snapshot ${name} claims seq ${seq}, but the log ends at ${this.staged}`);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.commits.submit({ run: () => void this.sql.snapshotSave.run(name, seq, json, this.clock.now()) });
  }

  async loadSnapshot(name: string): Promise<Snapshot | undefined> {
    this.checkOpen();
    const r = this.sql.snapshotLoad.get(name) as { name: string; seq: number; body: string; saved_at: number } | undefined;
    return r === undefined ? undefined : { name: r.name, seq: r.seq, json: r.body, savedAt: r.saved_at };
  }

  async loadSessions(): Promise<StoredSession[]> {
    this.checkOpen();
    return (this.sql.sessionsAll.all() as SessionRow[]).map((r) => ({
      digest: r.digest,
      username: r.username,
      role: r.role,
      createdAt: r.created_at,
      lastSeenAt: r.last_seen_at,
    }));
  }

  putSession(s: StoredSession): Promise<void> {
    if (this.isClosed) return this.rejectClosed();
    if (this.commits.failure !== undefined) return Promise.reject(this.commits.failure);
    const { digest, username, role, createdAt, lastSeenAt } = s;
    return this.commits.submit({ run: () => void this.sql.sessionPut.run(digest, username, role, Math.floor(createdAt), Math.floor(lastSeenAt)) });
  }

  dropSessions(digests: readonly string[]): Promise<void> {
    if (this.isClosed) return this.rejectClosed();
    if (this.commits.failure !== undefined) return Promise.reject(this.commits.failure);
    if (digests.length === 0) return Promise.resolve();
    const list = [...digests];
    return this.commits.submit({
      run: () => {
        for (const d of list) this.sql.sessionDrop.run(d);
      },
    });
  }

  async purge(before: number | Date, types: readonly string[], actor = 'system', superseded: readonly SupersededField[] = []): Promise<PurgeResult> {
    if (this.isClosed) return this.rejectClosed();
    const beforeMs = before instanceof Date ? before.getTime() : before;
    if (typeof beforeMs !== 'number' || !Number.isFinite(beforeMs)) {
      throw new StoreError(StoreErrorCode.BAD_ARGUMENT, `purge: "before" ${String(before)} is not a time`);
    }
    if (!Array.isArray(types) || types.some((t) => typeof t !== 'string' || t === '')) {
      throw new StoreError(StoreErrorCode.BAD_ARGUMENT, 'purge: types must be a list of event type names');
    }
    // Names go into a JSON path: top-level identifiers only.
    const NAME = /^[A-Za-z][A-Za-z0-9]*$/;
    if (!Array.isArray(superseded) || superseded.some((f) => typeof f.type !== 'string' || f.type === '' || !NAME.test(f.key) || !NAME.test(f.field))) {
      throw new StoreError(StoreErrorCode.BAD_ARGUMENT, 'purge: superseded fields must name a type, and a key and a field of letters and digits');
    }
    const params = { types: JSON.stringify(types), before: beforeMs, chunk: this.purgeChunk };
    const total = { redacted: 0, cleared: 0, firstSeq: null as number | null, lastSeq: null as number | null, snapshotsDropped: 0, audits: [] as AuditEntry[] };
    // Chunk by chunk, each its own transaction with its own audit entry: other writes (an alarm) go between
    // chunks, and a crash half-way leaves every redaction done so far audited.
    for (let chunk = 0; ; chunk++) {
      const done = await this.commits.submit({
        run: () => {
          const now = this.clock.now();
          const seqs = this.sql.redact.all({ ...params, now }) as number[];
          // The superseded fields go with the first chunk (there are few: one per re-registration).
          const cleared = chunk === 0 ? superseded.map((f) => this.clearSuperseded(f, beforeMs, now)) : [];
          const clearedText = cleared.map((c, i) => {
            const f = superseded[i] as SupersededField;
            return `cleared ${f.field} of ${c.length} superseded ${f.type} event${c.length === 1 ? '' : 's'}`;
          });
          const all = [...seqs, ...cleared.flat()];
          const range = { n: seqs.length, cleared: all.length - seqs.length, first: all.length > 0 ? Math.min(...all) : null, last: all.length > 0 ? Math.max(...all) : null };
          if (all.length > 0) this.purges++;
          if (all.length === 0 && chunk > 0) return { ...range, dropped: 0, audit: undefined };
          const dropped = all.length > 0 ? this.sql.dropSnapshots.run().changes : 0;
          const audit = this.writeAudit(
            { actor, action: 'purge', subject: all.length > 0 ? `events:${range.first}..${range.last}` : 'events' },
            canonicalJson(purgeDetail(beforeMs, types, range.n, dropped, clearedText)),
          );
          return { ...range, dropped, audit };
        },
        // Redacted bodies must leave the WAL too, not only the main file (secure_delete zeroes freed space there).
        committed: (r) => {
          if (r.n < this.purgeChunk && total.redacted + total.cleared + r.n + r.cleared > 0) this.checkpointAfterPurge();
        },
      });
      total.redacted += done.n;
      total.cleared += done.cleared;
      if (done.first !== null) total.firstSeq = Math.min(total.firstSeq ?? done.first, done.first);
      if (done.last !== null) total.lastSeq = Math.max(total.lastSeq ?? done.last, done.last);
      total.snapshotsDropped += done.dropped;
      if (done.audit !== undefined) total.audits.push(done.audit);
      if (done.n < this.purgeChunk) return total;
    }
  }

  /**
   * Clears `f.field` in the events of `f.type` a later one with the same `f.key` replaced, that later one older
   * than `beforeMs`. The append-only trigger lets a body change only as retention's one redaction (redacted_at
   * set once): it is set here too, and `redactedFields` tells the read path this is no tombstone.
   * Found from the events of `f.type` not cleared yet (the partial index events_unredacted_by_type_time), not by
   * looking, for each one, at every later event (a correlated subquery walked the whole log after each handset's
   * registration, all fixes included: seconds to minutes of the daily purge with the writer and the event loop
   * held, growing with the log). A cleared one is never needed as the later one: whatever replaced it replaced
   * every earlier one too, and they were cleared with it.
   */
  private clearSuperseded(f: SupersededField, beforeMs: number, now: number): number[] {
    const rows = this.db
      .prepare(`SELECT seq, at_ms, json_extract(body, @key) AS k FROM events WHERE type = @type AND redacted_at IS NULL ORDER BY seq`)
      .all({ type: f.type, key: `$.${f.key}` }) as { seq: number; at_ms: number; k: unknown }[];
    // Per key value, the last event older than `before`: every one before it was replaced by it.
    const lastOld = new Map<unknown, number>();
    for (const r of rows) if (r.k !== null && r.at_ms < beforeMs) lastOld.set(r.k, r.seq);
    const seqs = rows.filter((r) => r.k !== null && r.seq < (lastOld.get(r.k) ?? -Infinity)).map((r) => r.seq);
    const clear = this.db.prepare(
      `UPDATE events SET body = json_set(body, @field, json('null'), '$.redactedFields', json_array(@name)), redacted_at = @now
       WHERE seq = @seq AND redacted_at IS NULL`,
    );
    for (const seq of seqs) clear.run({ seq, field: `$.${f.field}`, name: f.field, now });
    return seqs;
  }

  stats(): StoreStats {
    return { eventsAppended: this.appended, transactions: this.commits.transactions, queued: this.commits.queued, failed: this.commits.failure !== undefined, purges: this.purges, auditEntriesVerified: this.auditHashed };
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    try {
      this.commits.flush();
    } finally {
      this.db.close();
      this.onClosed?.();
    }
  }

  /**
   * Moves the redacted bodies out of the WAL (TRUNCATE: copy every frame into the database, empty the WAL).
   * Without waiting: a reader in the file (sqlite3 .backup, an operator's query) blocks a TRUNCATE until it
   * ends, and with the connection's busy_timeout that held the gateway's only thread for 5 s, no alarm handled,
   * then gave up leaving the purged data in the WAL. Busy now means: try again in a second, until it is done.
   */
  private checkpointAfterPurge(warned = false): void {
    if (this.isClosed) return;
    const wait = this.db.pragma('busy_timeout', { simple: true }) as number;
    let busy = 0;
    try {
      this.db.pragma('busy_timeout = 0');
      busy = (this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0]?.busy ?? 0;
    } catch (e) {
      busy = 1;
      // Once per purge, not every second: the purged bodies stay in the WAL until the disk lets it finish.
      if (!warned) process.emitWarning(`${this.file}: the WAL checkpoint after a retention purge failed, retrying every second (the purged data is still in the WAL until it succeeds): ${e instanceof Error ? e.message : String(e)}`);
      warned = true;
    } finally {
      this.db.pragma(`busy_timeout = ${wait}`);
    }
    if (busy !== 0) setTimeout(() => this.checkpointAfterPurge(warned), PURGE_CHECKPOINT_RETRY_MS).unref();
  }

  /** Inside a transaction: chains and inserts one audit entry. */
  private writeAudit(entry: NewAuditEntry, detail: string): AuditEntry {
    const prev = this.sql.auditLast.get() as { seq: number; hash: string } | undefined;
    const content = {
      seq: (prev?.seq ?? 0) + 1,
      at: new Date(this.clock.now()).toISOString(),
      actor: entry.actor,
      action: entry.action,
      subject: entry.subject ?? '',
      detail: JSON.parse(detail) as unknown,
    };
    const prevHash = prev?.hash ?? GENESIS_HASH;
    const hash = auditHash(prevHash, content);
    this.sql.auditInsert.run(content.seq, content.at, content.actor, content.action, content.subject, detail, prevHash, hash);
    return { ...content, prevHash, hash };
  }

  private notify(): void {
    if (this.justCommitted.length === 0) return;
    const batch = this.justCommitted;
    const texts = this.justCommittedTexts;
    this.justCommitted = [];
    this.justCommittedTexts = [];
    for (const listener of this.listeners) {
      try {
        listener(batch, texts);
      } catch (e) {
        this.onError(e);
      }
    }
  }

  private checkWritable(): void {
    this.checkOpen();
    if (this.commits.failure !== undefined) throw this.commits.failure;
  }

  private checkOpen(): void {
    if (this.isClosed) throw new StoreError(StoreErrorCode.CLOSED, `store ${this.file} is closed`);
  }

  private rejectClosed<T>(): Promise<T> {
    return Promise.reject(new StoreError(StoreErrorCode.CLOSED, `store ${this.file} is closed`));
  }
}

/**
 * A check, run before each transaction, that `file` is still the file the store opened. SQLite goes on writing
 * into a database file that was removed or replaced under it (a clean-up script, `rm -rf data` by mistake, a
 * backup moved over it with the gateway running): commits succeed into an inode no one can open again, the
 * modems' SMS are deleted, and the restart finds an empty log or another one. So the transaction is refused
 * instead, and the store fails stop (group-commit.ts). One stat call per transaction, not per event; none for
 * a store in memory.
 */
function fileIdentity(file: string): () => void {
  if (file === ':memory:') return () => undefined;
  const opened = statSync(file);
  return () => {
    const now = statSync(file, { throwIfNoEntry: false });
    if (now === undefined || now.ino !== opened.ino || now.dev !== opened.dev) {
      throw new Error(`the store file ${file} was removed or replaced while the gateway ran: nothing more is written into a file that is no longer there`);
    }
  };
}
