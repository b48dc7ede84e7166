// Store errors: named codes, and messages that tell an operator what to do. At start-up they stop the gateway
// (a control room must not run without its log); at run time a failed write rejects the caller's promise, so
// nothing is acknowledged (to a modem or a console) that was not stored.

export const StoreErrorCode = {
  /** The database file or its directory cannot be opened or created (permissions, a directory in the way). */
  CANNOT_OPEN: 'STORE_CANNOT_OPEN',
  /** The file exists but is not an SQLite database (or is damaged). */
  NOT_A_DATABASE: 'STORE_NOT_A_DATABASE',
  /** The file is an SQLite database of some other program. */
  FOREIGN_DATABASE: 'STORE_FOREIGN_DATABASE',
  /** The database was written by a newer version of the gateway (schema version above ours). */
  TOO_NEW: 'STORE_TOO_NEW',
  /** Another process (a second gateway) has the store open for writing. */
  LOCKED: 'STORE_LOCKED',
  /** The database cannot be put in WAL mode (e.g. a network file system). */
  NO_WAL: 'STORE_NO_WAL',
  /** An event or entry that cannot be stored (no type, bad `at`, not JSON-serialisable). */
  BAD_EVENT: 'STORE_BAD_EVENT',
  /** A bad argument (a snapshot beyond the log, a negative seq). */
  BAD_ARGUMENT: 'STORE_BAD_ARGUMENT',
  /** The write failed (disk full, I/O error): nothing of it was stored. */
  WRITE_FAILED: 'STORE_WRITE_FAILED',
  /** The store is closed. */
  CLOSED: 'STORE_CLOSED',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isStoreError(e: unknown, code?: StoreErrorCode): e is StoreError {
  return e instanceof StoreError && (code === undefined || e.code === code);
}
