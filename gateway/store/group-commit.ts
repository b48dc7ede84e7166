// Group commit: writes that arrive together share one durable transaction.
//
// A durable COMMIT costs an fsync of the WAL: about 8,000/s on this class of disk, whatever the transaction's
// size. So writes are queued, and the queue is written in one transaction at the next turn of the event loop
// (setImmediate, or after `windowMs`): every append made in the same tick is in the next one. Each caller's
// promise resolves only after its transaction is on disk, so "acknowledged" still means "durable".
//
// better-sqlite3 is synchronous: the transaction runs on the main thread. With a LogSync (wal-sync.ts; the
// file store), the COMMIT itself does not wait for the disk: the transaction is acknowledged (its `committed`
// hooks, `afterBatch`, its callers' promises) when an fsync started after it has returned. One fsync is in
// flight at a time; every transaction committed meanwhile waits for the next one, which covers them all.
// Transactions are acknowledged strictly in commit order. Without a LogSync (memory store) a transaction is
// acknowledged as soon as it commits, and nothing else can run between its commit and the listeners.
//
// Fail-stop. Writes are checked before they are queued, so a transaction fails only when the disk does (full,
// I/O error, file removed). The log's seqs are handed out before the commit (sqlite-event-store.ts stage()),
// and the gateway acts on them at once, so after a failed commit nothing later may be written: it would leave
// a gap, or a log that no longer matches what the gateway decided. The failed transaction's writes and every
// queued or later one are rejected with the same error; the gateway restarts and rebuilds from the log. A
// failed fsync is the same: the transactions waiting for it (committed, but not known to be on disk) and
// every later one are refused; whatever of them the disk kept is in the log the restart rebuilds from, and
// nobody was told of them.

import { StoreError, StoreErrorCode } from './errors.js';
import type { LogSync } from './wal-sync.js';

/** One write: `run` executes inside the transaction. Refuse bad writes before submitting: a throw here fails the store. */
export type WriteOp<T> = {
  readonly run: () => T;
  /** Called after the commit (durable), before the caller's promise resolves. */
  readonly committed?: (result: T) => void;
};

type Pending = { readonly op: WriteOp<unknown>; readonly resolve: (v: unknown) => void; readonly reject: (e: unknown) => void };
/** A committed transaction waiting for its fsync. */
type Unsynced = { readonly batch: Pending[]; readonly results: unknown[] };
/** The transactions one fsync covers; `settled` once acknowledged or refused (close may get there first). */
type SyncGroup = { readonly txs: Unsynced[]; settled: boolean };

export type GroupCommitOptions = {
  /** Wait this long for more writes before committing (default 0: the next turn of the event loop). */
  readonly windowMs?: number;
  /** At most this many writes per transaction (default 5000), to bound one transaction's time. */
  readonly maxOps?: number;
  /** Makes committed transactions durable off the main thread (wal-sync.ts); none: COMMIT itself is durable. */
  readonly logSync?: LogSync;
};

export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly windowMs: number;
  private readonly maxOps: number;
  private readonly logSync: LogSync | undefined;
  /** Committed, waiting for the next fsync. */
  private unsynced: Unsynced[] = [];
  /** The transactions the fsync in flight covers. */
  private syncing: SyncGroup | undefined;
  /** Transactions committed. */
  transactions = 0;
  /** Acknowledgements: fsyncs that returned (with a LogSync), else transactions. The listeners are told once per. */
  acknowledgements = 0;
  /** Set by the first failed transaction; every write after it is refused with it. */
  failure: Error | undefined;

  /**
   * @param transact runs `fn` in one write transaction (commit on return, roll back on throw)
   * @param afterBatch runs after each committed transaction's `committed` hooks, before promises resolve
   */
  constructor(
    private readonly transact: (fn: () => void) => void,
    private readonly afterBatch: () => void,
    options: GroupCommitOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 0;
    this.maxOps = options.maxOps ?? 5000;
    this.logSync = options.logSync;
  }

  /** Writes not yet acknowledged: queued, or committed and waiting for their fsync. */
  get queued(): number {
    let n = this.queue.length;
    for (const t of this.unsynced) n += t.batch.length;
    if (this.syncing !== undefined) for (const t of this.syncing.txs) n += t.batch.length;
    return n;
  }

  submit<T>(op: WriteOp<T>): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op: op as WriteOp<unknown>, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        if (this.windowMs > 0) setTimeout(() => this.flush(), this.windowMs);
        else setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now (acknowledged when their fsync returns; see drain()). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0 && this.failure === undefined) this.commit(this.queue.splice(0, this.maxOps));
  }

  /** Closing: commits everything queued and makes every committed transaction durable now, blocking. */
  drain(): void {
    this.flush();
    const groups = [this.syncing, { txs: this.unsynced.splice(0), settled: false }].filter((g): g is SyncGroup => g !== undefined && !g.settled);
    if (groups.length === 0 || this.logSync === undefined) return;
    try {
      this.logSync.syncNow();
    } catch (e) {
      for (const g of groups) this.refuse(g, e);
      return;
    }
    for (const g of groups) this.acknowledge(g);
  }

  private commit(batch: Pending[]): void {
    const results: unknown[] = new Array(batch.length);
    try {
      this.transact(() => {
        for (let i = 0; i < batch.length; i++) results[i] = (batch[i] as Pending).op.run();
      });
    } catch (e) {
      // Fail-stop (see above): this batch, everything queued behind it and every later write are refused,
      // and so are the transactions committed before it that no fsync covers yet (none will be started).
      // The fsync already in flight settles its own transactions.
      const failure = asStoreError(e);
      this.failure = failure;
      const refused: Pending[] = [];
      for (const t of this.unsynced.splice(0)) refused.push(...t.batch);
      refused.push(...batch, ...this.queue.splice(0));
      for (const p of refused) p.reject(failure);
      return;
    }
    this.transactions++;
    if (this.logSync === undefined) {
      this.done(batch, results);
      return;
    }
    this.unsynced.push({ batch, results });
    if (this.syncing === undefined) this.startSync(this.logSync);
  }

  /** One fsync for every transaction committed and not yet covered; the next one starts when it returns. */
  private startSync(logSync: LogSync): void {
    const group: SyncGroup = { txs: this.unsynced.splice(0), settled: false };
    this.syncing = group;
    logSync.sync((error) => {
      if (this.syncing === group) this.syncing = undefined;
      if (group.settled) return; // drain() got there first
      if (error !== null) {
        this.refuse(group, error);
        return;
      }
      this.acknowledge(group);
      if (this.unsynced.length > 0 && this.failure === undefined) this.startSync(logSync);
    });
  }

  /** Acknowledges the transactions one fsync covered: their hooks in order, the listeners told once for all. */
  private acknowledge(group: SyncGroup): void {
    group.settled = true;
    this.acknowledgements++;
    for (const t of group.txs) for (let i = 0; i < t.batch.length; i++) (t.batch[i] as Pending).op.committed?.(t.results[i]);
    this.afterBatch();
    for (const t of group.txs) for (let i = 0; i < t.batch.length; i++) (t.batch[i] as Pending).resolve(t.results[i]);
  }

  /** A failed fsync: fail-stop, as for a failed transaction; these and every later write are refused. */
  private refuse(group: SyncGroup, error: unknown): void {
    group.settled = true;
    const failure = this.failure ?? syncFailed(error);
    this.failure = failure;
    const refused: Pending[] = [];
    for (const t of group.txs) refused.push(...t.batch);
    for (const t of this.unsynced.splice(0)) refused.push(...t.batch);
    refused.push(...this.queue.splice(0));
    for (const p of refused) p.reject(failure);
  }

  private done(batch: Pending[], results: unknown[]): void {
    this.acknowledgements++;
    for (let i = 0; i < batch.length; i++) (batch[i] as Pending).op.committed?.(results[i]);
    this.afterBatch();
    for (let i = 0; i < batch.length; i++) (batch[i] as Pending).resolve(results[i]);
  }
}

function syncFailed(e: unknown): StoreError {
  const message = e instanceof Error ? e.message : String(e);
  return new StoreError(
    StoreErrorCode.WRITE_FAILED,
    `store sync failed (${message}): the disk did not confirm the last transactions, which were not acknowledged; the store takes no more writes; restart the gateway (it rebuilds from the log)`,
    { cause: e },
  );
}

function asStoreError(e: unknown): StoreError {
  const message = e instanceof Error ? e.message : String(e);
  return new StoreError(
    StoreErrorCode.WRITE_FAILED,
    `store write failed (${message}): nothing of this transaction was stored and the store takes no more writes; restart the gateway (it rebuilds from the log)`,
    { cause: e },
  );
}
