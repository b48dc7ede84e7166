// The file store's durability without blocking: COMMIT runs with synchronous=NORMAL and the store fsyncs the
// WAL itself, off the main thread (gateway/store/wal-sync.ts). Nothing is acknowledged (promises, listeners,
// readers, lastSeq) before an fsync that started after its commit has returned.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreErrorCode, WalSync, isStoreError, openEventStore, type LogSync } from '../../../gateway/store/index.js';
import { tmpDir, tmpStore } from './tmp-store.js';

/** A LogSync whose fsyncs return when the test says (each a real fsync of the WAL first). */
class HeldSync implements LogSync {
  readonly waiting: ((error: Error | null) => void)[] = [];
  started = 0;
  closed = false;
  private wal: WalSync | undefined;
  constructor(private readonly file: string) {}
  /** The real WalSync, opened once the store has the database open in WAL mode. */
  private get real(): WalSync {
    this.wal ??= new WalSync(this.file);
    return this.wal;
  }
  sync(done: (error: Error | null) => void): void {
    this.started++;
    this.waiting.push(done);
  }
  /** Lets the oldest fsync in flight return (after really syncing), or fail. */
  finish(error: Error | null = null): void {
    const done = this.waiting.shift();
    if (done === undefined) throw new Error('no fsync in flight');
    if (error === null && !this.closed) this.real.syncNow();
    done(error);
  }
  syncNow(): void {
    this.real.syncNow();
  }
  close(): void {
    this.closed = true;
    this.wal?.close();
  }
}

function heldStore() {
  const file = path.join(tmpDir(), 'tecsos.db');
  const held = new HeldSync(file);
  const store = openEventStore({ path: file, logSync: held });
  return { store, held, file };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('WAL sync off the main thread', () => {
  it('a file store acknowledges through its own fsync of the WAL (one acknowledgement per fsync)', async () => {
    const { store, file } = tmpStore();
    await store.append([{ type: 'a', at: 1 }]);
    // The frames are in the WAL the store syncs (not yet checkpointed into the database file).
    expect(readFileSync(`${file}-wal`).length).toBeGreaterThan(0);
    expect(store.stats()).toMatchObject({ transactions: 1, acknowledgements: 1, queued: 0 });
  });

  it('acknowledges nothing before its fsync returns: no promise, listener, reader or lastSeq sees it', async () => {
    const { store, held } = heldStore();
    const told: number[] = [];
    store.subscribe((events) => told.push(...events.map((e) => e.seq)));
    let acked = false;
    const a = store.append([{ type: 'a', at: 1 }]).then((r) => {
      acked = true;
      return r;
    });
    await turn();
    await turn();
    expect(store.stats().transactions).toBe(1); // committed
    expect(held.started).toBe(1); // its fsync started
    expect(acked).toBe(false);
    expect(told).toEqual([]);
    expect(await store.lastSeq()).toBe(0);
    expect(await store.readSince(0)).toEqual([]);
    expect(store.stats().queued).toBe(1);
    held.finish();
    expect((await a)[0]?.seq).toBe(1);
    expect(told).toEqual([1]);
    expect((await store.readSince(0)).map((s) => s.seq)).toEqual([1]);
  });

  it('transactions committed during an fsync share the next one; acknowledged in commit order, listeners told once', async () => {
    const { store, held } = heldStore();
    const batches: number[][] = [];
    store.subscribe((events) => batches.push(events.map((e) => e.seq)));
    const order: number[] = [];
    const first = store.append([{ type: 'a', at: 1 }]).then((r) => order.push(r[0]?.seq ?? -1));
    await turn();
    // Three more transactions while the first fsync is in flight: no new fsync starts.
    const later: Promise<number>[] = [];
    for (let i = 0; i < 3; i++) {
      later.push(store.append([{ type: 'b', at: 2 + i }]).then((r) => order.push(r[0]?.seq ?? -1)));
      await turn();
    }
    expect(store.stats().transactions).toBe(4);
    expect(held.started).toBe(1);
    held.finish();
    await first;
    expect(batches).toEqual([[1]]);
    // The next fsync covers the three, started as the first returned.
    expect(held.started).toBe(2);
    held.finish();
    await Promise.all(later);
    expect(batches).toEqual([[1], [2, 3, 4]]);
    expect(order).toEqual([1, 2, 3, 4]);
    expect(store.stats().acknowledgements).toBe(2);
  });

  it('a failed fsync stops the store: the waiting writes and every later one are refused, nothing is told', async () => {
    const { store, held } = heldStore();
    const told: number[] = [];
    store.subscribe((events) => told.push(...events.map((e) => e.seq)));
    const a = store.append([{ type: 'a', at: 1 }]).catch((e: unknown) => e);
    await turn();
    const b = store.append([{ type: 'b', at: 2 }]).catch((e: unknown) => e);
    await turn();
    held.finish(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
    const [ea, eb] = await Promise.all([a, b]);
    for (const e of [ea, eb]) {
      expect(isStoreError(e, StoreErrorCode.WRITE_FAILED)).toBe(true);
      expect((e as Error).message).toMatch(/sync failed \(EIO.*restart the gateway/);
    }
    expect(told).toEqual([]);
    expect(store.stats().failed).toBe(true);
    await expect(store.append([{ type: 'c', at: 3 }])).rejects.toMatchObject({ code: StoreErrorCode.WRITE_FAILED });
    expect(() => store.stage([{ type: 'c', at: 3 }])).toThrow(/sync failed/);
  });

  it('close() with an fsync in flight syncs at once and acknowledges everything; the late callback changes nothing', async () => {
    const { store, held, file } = heldStore();
    const told: number[] = [];
    store.subscribe((events) => told.push(...events.map((e) => e.seq)));
    const a = store.append([{ type: 'a', at: 1 }]);
    await turn();
    const b = store.append([{ type: 'b', at: 2 }]);
    await turn();
    const c = store.append([{ type: 'c', at: 3 }]); // still queued, not committed
    await store.close();
    expect((await Promise.all([a, b, c])).map((r) => r[0]?.seq)).toEqual([1, 2, 3]);
    expect(told).toEqual([1, 2, 3]);
    expect(held.closed).toBe(true);
    held.finish(); // the fsync that was in flight returns after the close
    expect(told).toEqual([1, 2, 3]);
    const reopened = openEventStore({ path: file });
    expect((await reopened.readSince(0)).map((s) => s.event.type)).toEqual(['a', 'b', 'c']);
    await reopened.close();
  });
});
