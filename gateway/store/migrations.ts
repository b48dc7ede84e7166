// Schema migrations. The schema version is SQLite's `PRAGMA user_version` (0 = empty file). Migration n
// (1-based) takes the schema from version n-1 to n inside one transaction that also sets user_version, so a
// crash mid-migration leaves the previous version intact. Add a migration = append one string; never edit one
// that has shipped.

import type Database from 'better-sqlite3';
import { StoreError, StoreErrorCode } from './errors.js';

export const MIGRATIONS: readonly string[] = [
  // 1: the event log, the audit log, projection snapshots.
  `
  CREATE TABLE events (
    seq        INTEGER PRIMARY KEY,   -- 1, 2, 3, ... never reused, never deleted
    type       TEXT    NOT NULL,
    at_ms      INTEGER NOT NULL,      -- the event's "at" in ms, for retention (commit time if it had none or an unreadable one)
    stored_at  INTEGER NOT NULL,      -- commit time, ms since the epoch
    body       TEXT    NOT NULL,      -- the event as JSON (a tombstone once redacted)
    redacted_at INTEGER               -- set by retention
  ) STRICT;
  -- Retention's search: only events not yet redacted, so a purge never rescans years of tombstones.
  CREATE INDEX events_unredacted_by_type_time ON events (type, at_ms) WHERE redacted_at IS NULL;
  CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
  CREATE TRIGGER events_no_rewrite BEFORE UPDATE OF seq, type, at_ms, stored_at ON events
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
  CREATE TRIGGER events_redact_only BEFORE UPDATE OF body, redacted_at ON events
    WHEN NEW.redacted_at IS NULL OR OLD.redacted_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, 'the event log is append-only: only retention may redact, once'); END;

  CREATE TABLE audit (
    seq       INTEGER PRIMARY KEY,    -- the audit log's own 1, 2, 3, ...
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,          -- canonical JSON
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
  ) STRICT;
  CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

  CREATE TABLE snapshots (
    name     TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL,
    body     TEXT NOT NULL,
    saved_at INTEGER NOT NULL
  ) STRICT;
  `,
  // 2: an incident's track is read from the log (the core keeps only the recent fixes in memory). Partial and
  // on an expression: only `fix` rows not yet redacted, keyed by their incidentId; a tombstone drops out.
  `
  CREATE INDEX events_fix_by_incident ON events (json_extract(body, '$.incidentId'), seq)
    WHERE type = 'fix' AND redacted_at IS NULL;
  `,
  // 3: sessions survive a restart (a gateway that fail-stops and is restarted by its supervisor must not log
  // the control room out in the middle of an incident). The SHA-256 of the cookie value only.
  `
  CREATE TABLE sessions (
    digest       TEXT PRIMARY KEY,
    username     TEXT NOT NULL,
    role         TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
  ) STRICT;
  `,
  // 4: the newest audit entry of a kind, found without scanning the audit log (retention's clock hold,
  // gateway/core/retention-clock.ts, is read back at every start-up; the log of reads grows without end).
  `
  CREATE INDEX audit_by_action ON audit (action, seq);
  `,
];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** The tables every TecSOS store has had since migration 1. */
const OWN_TABLES = ['events', 'audit', 'snapshots'];

/**
 * Refuses, without writing anything, a database this gateway must not touch: one from a newer gateway
 * (`STORE_TOO_NEW`), or another program's (`STORE_FOREIGN_DATABASE`): tables but no schema version, or a schema
 * version (some programs set `user_version` too) without the TecSOS tables.
 */
export function checkVersion(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      StoreErrorCode.TOO_NEW,
      `store ${file} has schema version ${version}, but this gateway knows only up to ${SCHEMA_VERSION}: run the newer gateway that wrote it, or restore a backup made by this version`,
    );
  }
  const objects = db.prepare(`SELECT type, name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`).all() as { type: string; name: string }[];
  const foreign = version === 0 ? objects.length > 0 : !OWN_TABLES.every((t) => objects.some((o) => o.type === 'table' && o.name === t));
  if (foreign) {
    throw new StoreError(
      StoreErrorCode.FOREIGN_DATABASE,
      `store ${file} is an SQLite database of some other program (${version === 0 ? 'it has tables but no TecSOS schema version' : `schema version ${version} but not the TecSOS tables`}): point TECSOS_DB at a new file`,
    );
  }
}

/** Brings `db` (at `file`, for messages) to {@link SCHEMA_VERSION}; refuses newer or foreign databases. */
export function migrate(db: Database.Database, file: string): void {
  checkVersion(db, file);
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v] as string);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}
