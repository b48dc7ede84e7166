// Durability of the write-ahead log, off the main thread.
//
// What synchronous=FULL does in WAL mode, by SQLite's own definition: everything synchronous=NORMAL does
// (the WAL is synced before each checkpoint, the database file after it, the WAL header when the log is
// reused) plus one more fsync of the WAL after each COMMIT. better-sqlite3 runs that extra fsync inside
// COMMIT, on the main thread: the gateway could do nothing else for 1-5 ms per transaction (an fsync on
// this class of disk), and at 1,000 reports/s that was most of the thread's time (docs/store.md).
//
// So the store runs with synchronous=NORMAL and does the extra fsync itself, on the WAL file, through
// libuv's thread pool (fs.fsync), and acknowledges a transaction (callers' promises, the store's listeners,
// hence the consoles) only when an fsync that started after its COMMIT has returned. The guarantee is the
// one FULL gives, "acknowledged means on disk"; the main thread goes on deciding while the disk works, and
// the transactions committed meanwhile share the next fsync.
//
// Why fsync of our own descriptor covers SQLite's writes: fsync flushes the file (the inode), whichever
// descriptor wrote the pages. The WAL file is removed only when the last connection to the database closes;
// the gateway's connection is open for the store's whole life (and the writer lock keeps other writers out),
// so the file we hold is the WAL for as long as we sync it. A checkpoint that moves frames into the
// database first syncs them (NORMAL does that), so frames later overwritten by a reused log were already
// durable in the database file.
//
// The WAL's frames carry a running checksum: after a power cut SQLite recovers the log up to the first
// frame that is not intact, so what survives is always a prefix of the transactions, never a later one
// without an earlier one.
import { closeSync, fsync, fsyncSync, openSync } from 'node:fs';
import path from 'node:path';

/** Makes everything written to the log so far durable. */
export interface LogSync {
  /** Starts an fsync; `done` is called once, on the main thread, with null or the error. */
  sync(done: (error: Error | null) => void): void;
  /** The same, blocking (closing the store). Throws on failure. */
  syncNow(): void;
  /** Releases the descriptor (after any fsync in progress has returned). */
  close(): void;
}

/** fsync of `<database>-wal` (and once, at open, of its directory, so the file's name is durable too). */
export class WalSync implements LogSync {
  private readonly fd: number;
  private inFlight = 0;
  private closed = false;

  constructor(databaseFile: string) {
    const wal = `${databaseFile}-wal`;
    this.fd = openSync(wal, 'r+');
    const dir = openSync(path.dirname(wal), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }

  sync(done: (error: Error | null) => void): void {
    this.inFlight++;
    fsync(this.fd, (error) => {
      this.inFlight--;
      if (this.closed && this.inFlight === 0) closeSync(this.fd);
      done(error);
    });
  }

  syncNow(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.inFlight === 0) closeSync(this.fd);
  }
}
