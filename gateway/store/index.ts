// gateway/store: the append-only event log (source of truth), the hash-chained audit log, projection
// snapshots and retention, behind the EventStore interface; SQLite is the embedded implementation.
export type {
  AuditEntry,
  AuditLog,
  AuditVerification,
  EventListener,
  EventLog,
  EventStore,
  NewAuditEntry,
  NewEvent,
  PurgeResult,
  SessionRecords,
  Snapshot,
  SnapshotStore,
  StoredSession,
  StagedAppend,
  StoreStats,
  StoredEvent,
} from './event-store.js';
export { AuditBreak } from './event-store.js';
export { StoreError, StoreErrorCode, isStoreError } from './errors.js';
export { openEventStore, storePath, DEFAULT_STORE_PATH, type OpenStoreOptions } from './open-store.js';
export { SqliteEventStore, type SqliteStoreOptions } from './sqlite-event-store.js';
export { canonicalJson } from './canonical-json.js';
export { GENESIS_HASH, auditHash } from './audit-chain.js';
export { SCHEMA_VERSION } from './migrations.js';
