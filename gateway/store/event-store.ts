// The store's interface: the append-only event log (the source of truth), the hash-chained audit log,
// projection snapshots, and retention. The embedded implementation is SQLite (sqlite-event-store.ts); a
// national deployment puts the log on NATS JetStream and the audit log and snapshots on PostgreSQL, so
// nothing here names an SQLite type: sequence numbers are plain integers, bodies are JSON, every call is async.

/**
 * An event as the gateway writes it: `type`, `at` (ISO 8601 text or milliseconds since the epoch; the time the
 * thing happened, used by retention) and any JSON payload. The store does not interpret the payload:
 * protocol/schemas defines the event union and validates it before it gets here.
 */
export type NewEvent = { readonly type: string; readonly at: string | number; readonly [key: string]: unknown };

/** An event as stored: its `seq` (1, 2, 3, ... with no gaps, ever) and when it was committed. */
export type StoredEvent<E extends NewEvent = NewEvent> = {
  readonly seq: number;
  /** Milliseconds since the epoch at which the transaction holding it was committed. */
  readonly storedAt: number;
  /**
   * True when retention has redacted it: `event` is then a tombstone `{ type, at, redacted: true }`; `seq`,
   * `type` and `at` are kept so that the log stays dense and a resuming client sees every seq.
   */
  readonly redacted: boolean;
  readonly event: E;
};

/** Called after a transaction is durable, with its events in seq order (never before: stored, then told). */
export type EventListener = (events: readonly StoredEvent[]) => void;

/** The event log. */
export interface EventLog {
  /**
   * Appends events, in the given order, atomically (all or none). The promise resolves only once they are
   * durable (a `kill -9` or power cut afterwards loses none of them); appends from many callers in the same
   * moment share one transaction (group commit). Rejects with a StoreError (`STORE_BAD_EVENT`,
   * `STORE_WRITE_FAILED`, `STORE_CLOSED`); a rejected append stored nothing.
   */
  append<E extends NewEvent>(events: readonly E[]): Promise<StoredEvent<E>[]>;
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
}

/** An audit entry as written: who did what (to whom), with optional JSON detail. */
export type NewAuditEntry = {
  /** The user (`handler:jsmith`) or component (`system:retention`). */
  readonly who: string;
  /** The action, e.g. `read-track`, `close-incident`, `purge`. */
  readonly what: string;
  /** What it concerned (an incident id, a handset id), if anything. */
  readonly subject?: string;
  readonly detail?: unknown;
};

/** A stored audit entry. `hash` = SHA-256(prevHash + canonical JSON of {id, at, who, what, subject, detail}). */
export type AuditEntry = {
  readonly id: number;
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly who: string;
  readonly what: string;
  readonly subject: string | null;
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
  /** Entry ids are not consecutive (an entry was removed). */
  GAP: 'AUDIT_GAP',
} as const;
export type AuditBreak = (typeof AuditBreak)[keyof typeof AuditBreak];

/**
 * The result of verifying the audit chain. `head` (the last entry's id and hash) is what to record outside
 * the machine (a daily log line, a supervisor's report): the chain proves everything up to a recorded head.
 */
export type AuditVerification =
  | { readonly ok: true; readonly entries: number; readonly head: { readonly id: number; readonly hash: string } | null }
  | { readonly ok: false; readonly entries: number; readonly brokenAt: number; readonly reason: AuditBreak; readonly message: string };

/** The audit log: who saw or changed what. Append-only and hash-chained. */
export interface AuditLog {
  /** Appends an entry; resolves once it is durable (group-committed with events). */
  appendAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Entries with `id > afterId`, ascending, at most `limit` (default 1000, at most 10000). */
  readAudit(afterId: number, limit?: number): Promise<AuditEntry[]>;
  /** Walks the whole chain; reports the first broken link. */
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

/** What a purge did. */
export type PurgeResult = {
  /** Events redacted by this purge (already-redacted ones are not counted). */
  readonly redacted: number;
  /** Lowest and highest seq redacted (null when none). */
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  /** Snapshots dropped (they may hold the purged data; projections rebuild from the log). */
  readonly snapshotsDropped: number;
  /** The audit entry recording the purge. */
  readonly audit: AuditEntry;
};

/** Everything the gateway stores. */
export interface EventStore extends EventLog, AuditLog, SnapshotStore {
  /**
   * Retention: redacts events of the given types whose `at` is before `before` (victim data: fixes, safety
   * notes...), keeping seq, type and at as a tombstone, drops snapshots, and audits the purge (always, even
   * when nothing matched), all in one transaction.
   */
  purge(before: number | Date, types: readonly string[], who?: string): Promise<PurgeResult>;
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
};
