// Group commit: writes that arrive together share one durable transaction.
//
// With synchronous=FULL every COMMIT waits for an fsync of the WAL: about 8,000 commits/s on this class of
// disk, whatever their size. So writes are queued, and the queue is written in one transaction at the next
// turn of the event loop (setImmediate, or after `windowMs`): every append made in the same tick, and every
// one that arrived while the previous transaction was syncing, is in the next one. Each caller's promise
// resolves only after its transaction committed, so "acknowledged" still means "durable".
//
// better-sqlite3 is synchronous: the transaction runs on the main thread, and nothing else (no I/O callback,
// no console message) can run between its commit and the listeners being told.
//
// Fail-stop. Writes are checked before they are queued, so a transaction fails only when the disk does (full,
// I/O error, file removed). The log's seqs are handed out before the commit (sqlite-event-store.ts stage()),
// and the gateway acts on them at once, so after a failed commit nothing later may be written: it would leave
// a gap, or a log that no longer matches what the gateway decided. The failed transaction's writes and every
// queued or later one are rejected with the same error; the gateway restarts and rebuilds from the log.

import { StoreError, StoreErrorCode } from './errors.js';

/** One write: `run` executes inside the transaction. Refuse bad writes before submitting: a throw here fails the store. */
export type WriteOp<T> = {
  readonly run: () => T;
  /** Called after the commit (durable), before the caller's promise resolves. */
  readonly committed?: (result: T) => void;
};

type Pending = { readonly op: WriteOp<unknown>; readonly resolve: (v: unknown) => void; readonly reject: (e: unknown) => void };

export type GroupCommitOptions = {
  /** Wait this long for more writes before committing (default 0: the next turn of the event loop). */
  readonly windowMs?: number;
  /** At most this many writes per transaction (default 5000), to bound one transaction's time. */
  readonly maxOps?: number;
};

export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly windowMs: number;
  private readonly maxOps: number;
  /** Transactions committed. */
  transactions = 0;
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
  }

  get queued(): number {
    return this.queue.length;
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

  /** Commits everything queued now (also used by close). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0 && this.failure === undefined) this.commit(this.queue.splice(0, this.maxOps));
  }

  private commit(batch: Pending[]): void {
    const results: unknown[] = new Array(batch.length);
    try {
      this.transact(() => {
        for (let i = 0; i < batch.length; i++) results[i] = (batch[i] as Pending).op.run();
      });
    } catch (e) {
      // Fail-stop (see above): this batch, everything queued behind it and every later write are refused.
      const failure = asStoreError(e);
      this.failure = failure;
      const refused = batch.concat(this.queue.splice(0));
      for (const p of refused) p.reject(failure);
      return;
    }
    this.transactions++;
    for (let i = 0; i < batch.length; i++) (batch[i] as Pending).op.committed?.(results[i]);
    this.afterBatch();
    for (let i = 0; i < batch.length; i++) (batch[i] as Pending).resolve(results[i]);
  }
}

function asStoreError(e: unknown): StoreError {
  const message = e instanceof Error ? e.message : String(e);
  return new StoreError(
    StoreErrorCode.WRITE_FAILED,
    `store write failed (${message}): nothing of this transaction was stored and the store takes no more writes; restart the gateway (it rebuilds from the log)`,
    { cause: e },
  );
}
