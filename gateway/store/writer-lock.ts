// One writer per store. A second gateway on the same file would write valid, dense seqs, but each would tell
// only its own WebSocket clients and projections: a split nobody notices. So the writer holds an exclusive
// lock on a small side file, `<store>.lock`, for as long as the store is open.
//
// The lock is SQLite's own (an open `BEGIN EXCLUSIVE` on that file: an OS file lock), so the kernel releases it
// when the process dies, even by `kill -9`: no stale lock file to clean up after a crash. The store file itself
// stays openable by read-only tools and backups.

import Database from 'better-sqlite3';
import { StoreError, StoreErrorCode } from './errors.js';

export type WriterLock = { release(): void };

/** Takes the writer lock for the store at `file`; throws STORE_LOCKED if another writer holds it. */
export function takeWriterLock(file: string): WriterLock {
  const lockFile = `${file}.lock`;
  let db: Database.Database | undefined;
  try {
    db = new Database(lockFile);
    db.pragma('busy_timeout = 0');
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db?.close();
    const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new StoreError(
        StoreErrorCode.LOCKED,
        `the event store ${file} is in use by another process (a second gateway?): stop it, or give another file (--db, TECSOS_DB, or db in the config file)`,
        { cause: e },
      );
    }
    throw new StoreError(StoreErrorCode.CANNOT_OPEN, `cannot take the writer lock ${lockFile}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const held = db;
  return { release: () => held.close() };
}
