// Opening the store at start-up: where it lives, creating its directory, and turning every way the file can be
// wrong into one clear StoreError that stops the gateway (a control room must not run without its log).
//
//   TECSOS_DB unset        ./data/tecsos.db (relative to the working directory; ./data is created)
//   TECSOS_DB=/var/lib/tecsos/log.db
//   TECSOS_DB=:memory:     a throw-away in-memory store (tests, demos; nothing survives)

import { accessSync, closeSync, constants, mkdirSync, openSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, StoreErrorCode } from './errors.js';
import { checkVersion, migrate } from './migrations.js';
import { SqliteEventStore, type SqliteStoreOptions } from './sqlite-event-store.js';
import { takeWriterLock, type WriterLock } from './writer-lock.js';

export const DEFAULT_STORE_PATH = './data/tecsos.db';

/** The store's file from the environment (`TECSOS_DB`), or the default. */
export function storePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const v = env.TECSOS_DB?.trim();
  return v === undefined || v === '' ? DEFAULT_STORE_PATH : v;
}

export type OpenStoreOptions = SqliteStoreOptions & {
  /** The database file (default: {@link storePath}). */
  readonly path?: string;
};

function cannotOpen(file: string, why: string, cause?: unknown): StoreError {
  return new StoreError(StoreErrorCode.CANNOT_OPEN, `cannot open the event store ${file}: ${why}`, cause === undefined ? undefined : { cause });
}

function sqliteCode(e: unknown): string {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : '';
}

/** Maps an error from opening or configuring the database to a StoreError with advice. */
function openFailure(file: string, e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  const code = sqliteCode(e);
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new StoreError(
      StoreErrorCode.NOT_A_DATABASE,
      `the event store ${file} is not a readable SQLite database (${message}): move the file aside (keep it, it may be evidence) and restore the latest backup, or give another file (--db, TECSOS_DB, or db in the config file)`,
      { cause: e },
    );
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM' || code === 'SQLITE_READONLY' || code === 'SQLITE_AUTH') {
    return cannotOpen(file, `${message}; check that the gateway's user may read and write the file and its directory`, e);
  }
  return cannotOpen(file, message, e);
}

/**
 * The file the writer lock is named after: the store's real path. SQLite follows symbolic links to the database
 * file, so `tecsos.db -> tecsos-2026.db` and `tecsos-2026.db` are one log; two gateways given the two names must
 * meet at one lock, not at `tecsos.db.lock` and `tecsos-2026.db.lock`. (A hard link is not caught.)
 */
function lockPath(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    // Not there yet (or a dangling link): its directory exists (created above).
    try {
      return path.join(realpathSync(path.dirname(file)), path.basename(file));
    } catch {
      return file;
    }
  }
}

/**
 * The files the store writes (the database, its write-ahead log and shared memory, the writer lock) must be
 * writable by the gateway's user, and its directory too where one of them is still to be made. SQLite opens a
 * database it may only read as read-only without a word, so a store restored by root for a gateway running as
 * its own user started, failed its first write (the start-up purge) and exited 3, again at every restart.
 */
function checkWritable(file: string, real: string): void {
  const me = typeof process.getuid === 'function' ? `the gateway's user (uid ${process.getuid()})` : "the gateway's user";
  let missing = false;
  for (const f of [real, `${real}-wal`, `${real}-shm`, `${real}.lock`, `${real}.lock-journal`]) {
    const st = statSync(f, { throwIfNoEntry: false });
    if (st === undefined) {
      missing = true;
      continue;
    }
    try {
      accessSync(f, constants.R_OK | constants.W_OK);
    } catch {
      const what = f === real ? 'it' : path.basename(f);
      throw cannotOpen(
        file,
        `${me} may not write ${what} (owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}): give the store's files to the user the gateway runs as (chown), as after restoring a backup (docs/operations.md)`,
      );
    }
  }
  const dir = path.dirname(real);
  try {
    if (missing) accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    throw cannotOpen(file, `${me} may not create files in its directory ${dir} (the write-ahead log and the writer lock go beside the store): give the directory to that user (chown)`);
  }
}

/**
 * Opens (creating if needed) the SQLite event store: the writer lock (writer-lock.ts), WAL journal,
 * synchronous=FULL (each commit is on disk before it is acknowledged), secure_delete (purged data is overwritten, not just unlinked), schema migrated.
 * Throws a StoreError with a message for the operator if the file cannot be used.
 */
export function openEventStore(options: OpenStoreOptions = {}): SqliteEventStore {
  const given = options.path ?? storePath();
  const memory = given === ':memory:';
  const file = memory ? given : path.resolve(given);
  if (!memory) {
    try {
      mkdirSync(path.dirname(file), { recursive: true });
    } catch (e) {
      throw cannotOpen(file, `cannot create its directory ${path.dirname(file)} (${e instanceof Error ? e.message : String(e)})`, e);
    }
    const st = statSync(file, { throwIfNoEntry: false });
    if (st?.isDirectory()) throw cannotOpen(file, 'it is a directory; give a file path (--db, TECSOS_DB, or db in the config file)');
    // A new store is readable by its owner only (it holds victims' records and tracks); SQLite creates the
    // -wal and -shm files with the database file's permissions. An existing file keeps the mode it has.
    if (st === undefined) {
      try {
        closeSync(openSync(file, 'a', 0o600));
      } catch (e) {
        throw cannotOpen(file, `cannot create it (${e instanceof Error ? e.message : String(e)})`, e);
      }
    }
  }
  if (!memory) checkWritable(file, lockPath(file));
  const lock: WriterLock | undefined = memory ? undefined : takeWriterLock(lockPath(file));
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    // Before anything that writes (journal_mode=WAL is written into the file's header): another program's
    // database, or a newer gateway's, is refused untouched.
    checkVersion(db, file);
    const mode = db.pragma('journal_mode = WAL', { simple: true }) as string;
    if (!memory && mode !== 'wal') {
      throw new StoreError(
        StoreErrorCode.NO_WAL,
        `the event store ${file} cannot use a write-ahead log (journal mode "${mode}"): put it on a local file system, not a network share`,
      );
    }
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('secure_delete = ON');
    migrate(db, file);
    return new SqliteEventStore(db, file, { ...options, onClosed: () => lock?.release() });
  } catch (e) {
    db?.close();
    lock?.release();
    throw openFailure(file, e);
  }
}
