// The store's interface: the append-only event log (the source of truth), the hash-chained audit log,
// projection snapshots, and retention. The embedded implementation is SQLite (sqlite-event-store.ts); a
// national deployment puts the log on NATS JetStream and the audit log and snapshots on PostgreSQL, so
// nothing here names an SQLite type: sequence numbers are plain integers, bodies are JSON, every call is async.

/**
 * An event as the gateway writes it: `type` and any JSON payload, optionally `at` (ISO 8601 text or
 * milliseconds since the epoch). Without `at`, the store sets it to the commit time as ISO 8601 text, which is
 * protocol/schemas' envelope `at` ("the instant the gateway stored it"). `at` is also what retention ages the
 * event by. The store does not interpret the payload: protocol/schemas defines and validates the event union.
 */
export type NewEvent = { readonly type: string; readonly at?: string | number; readonly [key: string]: unknown };

/** An event as stored: its `seq` (1, 2, 3, ... with no gaps, ever) and when it was committed. */
export type StoredEvent<E extends NewEvent = NewEvent> = {
  readonly seq: number;
  /** Milliseconds since the epoch at which the transaction holding it was committed. */
  readonly storedAt: number;
  /**
   * True when retention has redacted it: `event` is then a tombstone `{ type, at, redacted: true }`; `seq`,
   * `type` and `at` are kept so that the log stays dense and a resuming client sees every seq. An event
   * retention cleared fields of (see SupersededField) is not redacted: it keeps everything else, those fields
   * are null and `redactedFields` names them.
   */
  readonly redacted: boolean;
  /** The event as stored, `at` always present (the WebSocket message is `{ v: 1, seq, ...event }`). */
  readonly event: E & { readonly at: string | number };
};

/**
 * Called after a transaction is durable, with its events in seq order (never before: stored, then told).
 * `texts[i]`, when given and not undefined, is `JSON.stringify(events[i].event)` as the store wrote it: the
 * fan-out makes its message from it instead of serialising the event again (gateway/fanout/wire.ts wireText).
 */
export type EventListener = (events: readonly StoredEvent[], texts?: readonly (string | undefined)[]) => void;

/** The event log. */
export interface EventLog {
  /**
   * Appends events, in the given order, atomically (all or none). The promise resolves only once they are
   * durable (a `kill -9` or power cut afterwards loses none of them); appends from many callers in the same
   * moment share one transaction (group commit). Rejects with a StoreError (`STORE_BAD_EVENT`,
   * `STORE_WRITE_FAILED`, `STORE_CLOSED`); a rejected append stored nothing.
   */
  append<E extends NewEvent>(events: readonly E[]): Promise<StoredEvent<E>[]>;
  /**
   * Appends like append(), but hands out the events' seqs (and stamps) now, synchronously, so the one writer
   * (the gateway's core) can decide the next event from state that includes these before they are durable
   * (docs/gateway.md "Decide ahead of durability"). `durable` resolves once they are; nothing may be told
   * to anyone (a modem, a console, an HTTP caller) before that. Throws a StoreError at once for a bad event or
   * a closed or failed store. If the transaction fails, `durable` rejects and the store refuses every later
   * write (fail-stop): the caller's state is then ahead of the log, and only a restart (a rebuild from the
   * log) makes them agree again. The events must not be changed once staged (neither the objects given, nor
   * the stored ones, nor anything nested in them): the store has written their JSON, its listeners are told
   * that text (EventListener), and the fan-out sends it to a role that its check of the event object says gets
   * it whole (a victim field deleted from the object after stage() still went out to engineers in the text).
   * Tests enforce it: with TECSOS_FREEZE_STAGED=1 (vitest.config.ts) the store deep-freezes them here, so a
   * change throws (gateway/store/deep-freeze.ts); production does not freeze (one boolean test per call).
   */
  stage<E extends NewEvent>(events: readonly E[]): StagedAppend<E>;
  /** Events with `seq > afterSeq`, ascending, at most `limit` (default 1000, at most 10000). */
  readSince(afterSeq: number, limit?: number): Promise<StoredEvent[]>;
  /** The seq of the newest durable event (0 for an empty log). */
  lastSeq(): Promise<number>;
  /**
   * Listens to committed events. Listeners run after the commit and before the appenders' promises resolve;
   * a listener that throws is reported (options.onError) and does not affect the store or other listeners.
   * To resume a client without a gap: subscribe (buffering), then readSince, then drop buffered seqs already read.
   */
  subscribe(listener: EventListener): () => void;
  /** The `fix` events of one incident (its track), seq order; redacted ones are left out. */
  readFixes(incidentId: string): Promise<StoredEvent[]>;
  /** The seq of the first not-redacted event of `type` whose `at` is at or after `sinceMs` (null: none). */
  firstSeqOf(type: string, sinceMs: number): Promise<number | null>;
  /**
   * Not-redacted events of the given types whose `at` is at or after `sinceMs`, with `afterSeq < seq <=
   * upToSeq`, ascending, at most `limit` (default 1000, at most 10000): a start-up replay of just what one
   * projection needs from a stretch of the log (the SMS reassembler's recent parts).
   */
  readTypesSince(types: readonly string[], sinceMs: number, afterSeq: number, upToSeq: number, limit?: number): Promise<StoredEvent[]>;
}

/** Events staged by EventLog.stage(): as they will be stored, and when they are durable. */
export type StagedAppend<E extends NewEvent = NewEvent> = {
  readonly stored: StoredEvent<E>[];
  readonly durable: Promise<void>;
};

/**
 * An audit entry as written: who (`actor`) did what (`action`) to what (`subject`), with optional detail.
 * The field names are protocol/schemas' AuditEntry, so a stored entry is what the REST audit view sends.
 */
export type NewAuditEntry = {
  /** A username (`jsmith`), or `system` for the gateway's own actions. */
  readonly actor: string;
  /** e.g. `track.read`, `victim.read`, `purge` (protocol/schemas AuditAction). */
  readonly action: string;
  /** What was touched: `handset:TS-0001`, `incident:abc` (default: empty). */
  readonly subject?: string;
  /** Any JSON (protocol/schemas expects short text). */
  readonly detail?: unknown;
};

/** A stored audit entry. `hash` = SHA-256(prevHash + canonical JSON of {seq, at, actor, action, subject, detail}). */
export type AuditEntry = {
  /** 1, 2, 3, ... in the audit log's own sequence (not the event log's). */
  readonly seq: number;
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly detail: unknown;
  readonly prevHash: string;
  readonly hash: string;
};

/** Why a link of the audit chain is broken. */
export const AuditBreak = {
  /** The entry's content no longer matches its hash (edited). */
  HASH_MISMATCH: 'AUDIT_HASH_MISMATCH',
  /** The entry's prev_hash is not the previous entry's hash (an entry before it was removed, inserted or edited with its hash). */
  PREV_MISMATCH: 'AUDIT_PREV_MISMATCH',
  /** Entry seqs are not consecutive (an entry was removed). */
  GAP: 'AUDIT_GAP',
} as const;
export type AuditBreak = (typeof AuditBreak)[keyof typeof AuditBreak];

/**
 * The result of verifying the audit chain. `head` (the last entry's seq and hash) is what to record outside
 * the machine (a daily log line, a supervisor's report): the chain proves everything up to a recorded head.
 */
export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: { readonly seq: number; readonly hash: string } | null }
  | { readonly ok: false; readonly entries: number; readonly brokenAt: number; readonly reason: AuditBreak; readonly message: string };

/** The audit log: who saw or changed what. Append-only and hash-chained. */
export interface AuditLog {
  /** Appends an entry; resolves once it is durable (group-committed with events). */
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Entries with `seq > afterSeq`, ascending, at most `limit` (default 1000, at most 10000). */
  readAudit(afterSeq: number, limit?: number): Promise<AuditEntry[]>;
  /**
   * Verifies the whole chain; reports the first broken link. The SQLite store re-hashes only the entries appended
   * since its last good verification while nothing else has written the file (docs/store.md).
   */
  verifyAuditChain(): Promise<AuditVerification>;
}

/** A projection's saved state: built from every event up to and including `seq`. */
export type Snapshot = { readonly name: string; readonly seq: number; readonly json: string; readonly savedAt: number };

/** Snapshots let projections start from a saved state plus the events after it, not from seq 1. */
export interface SnapshotStore {
  /** Saves (replaces) a projection's state; `seq` may not be beyond the last durable event. */
  saveSnapshot(name: string, seq: number, json: string): Promise<void>;
  loadSnapshot(name: string): Promise<Snapshot | undefined>;
}

/**
 * A signed-in session kept across restarts (gateway/auth/sessions.ts): the SHA-256 of the cookie value (base64url,
 * 43 characters), never the value itself, so a copy of the database cannot be replayed as a cookie.
 */
export type StoredSession = {
  readonly digest: string;
  readonly username: string;
  readonly role: string;
  /** Login time, ms since the epoch. */
  readonly createdAt: number;
  /** Last use as last written (the session table writes it at most once a minute per session). */
  readonly lastSeenAt: number;
};

/**
 * Sessions outside the event log: they are short-lived working state of the HTTP edge, not history, so they
 * are neither replayed nor kept by retention. Writes go through the same group commit as events.
 */
export interface SessionRecords {
  /** Every session row (the caller drops the expired ones). */
  loadSessions(): Promise<StoredSession[]>;
  /** Inserts or replaces one session. */
  putSession(session: StoredSession): Promise<void>;
  /** Deletes sessions by digest (unknown digests are ignored). */
  dropSessions(digests: readonly string[]): Promise<void>;
}

/**
 * A field a purge clears (sets to null, and names in the event's `redactedFields`) in the events of `type` that
 * a later event of that type with the same `key` field replaced, once that later one is older than the purge's
 * `before`: a re-issued handset's former holder's record, `{type: 'handset.registered', key: 'handsetId',
 * field: 'victim'}`. The rest of the event stays, so that the projections rebuild exactly as before. `key` and
 * `field` are top-level names (letters and digits).
 */
export type SupersededField = { readonly type: string; readonly key: string; readonly field: string };

/** What a purge did. */
export type PurgeResult = {
  /** Events redacted by this purge (already-redacted ones are not counted). */
  readonly redacted: number;
  /** Lowest and highest seq redacted (null when none). */
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  /** Events whose superseded field was cleared (see SupersededField), not counted in `redacted`. */
  readonly cleared: number;
  /** Snapshots dropped (they may hold the purged data; projections rebuild from the log). */
  readonly snapshotsDropped: number;
  /** The audit entries recording the purge: one per chunk of redactions (one when nothing matched). */
  readonly audits: readonly AuditEntry[];
};

/** Everything the gateway stores. */
export interface EventStore extends EventLog, AuditLog, SnapshotStore, SessionRecords {
  /**
   * Retention: redacts events of the given types whose `at` is before `before` (victim data: fixes, safety
   * notes...), keeping seq, type and at as a tombstone, drops snapshots, and audits the purge (always, even
   * when nothing matched; actor default `system`). Works in chunks, each one transaction with its own audit
   * entry, so other writes are not held up and nothing is ever redacted unaudited.
   */
  purge(before: number | Date, types: readonly string[], actor?: string, superseded?: readonly SupersededField[]): Promise<PurgeResult>;
  /**
   * The newest audit entry whose action is one of `actions`, undefined when none (index `audit_by_action`:
   * no scan of the audit log). The gateway reads its retention clock hold back at start-up with it.
   */
  lastAuditOf(actions: readonly string[]): Promise<AuditEntry | undefined>;
  /** Counters for /metrics. */
  stats(): StoreStats;
  /** Finishes pending writes, then closes. Later calls reject with `STORE_CLOSED`. */
  close(): Promise<void>;
}

export type StoreStats = {
  /** Events appended since open. */
  readonly eventsAppended: number;
  /** Write transactions committed since open (events per transaction shows group commit at work). */
  readonly transactions: number;
  /** Writes waiting for the next transaction. */
  readonly queued: number;
  /** True once a transaction failed: the store takes no more writes (fail-stop; restart the gateway). */
  readonly failed: boolean;
  /** Purge chunks since open that redacted or cleared events (what was read before one may be gone since). */
  readonly purges: number;
  /** Audit entries hashed by verifyAuditChain since open (a verification re-hashes only what it must). */
  readonly auditEntriesVerified: number;
};
