import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STORE_PATH, SCHEMA_VERSION, StoreErrorCode, isStoreError, openEventStore, storePath } from '../../../gateway/store/index.js';
import { tmpDir } from './tmp-store.js';

function openError(file: string): unknown {
  try {
    openEventStore({ path: file }).close();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('opening the store', () => {
  it('defaults to ./data/tecsos.db, or TECSOS_DB', () => {
    expect(DEFAULT_STORE_PATH).toBe('./data/tecsos.db');
    expect(storePath({})).toBe('./data/tecsos.db');
    expect(storePath({ TECSOS_DB: '  ' })).toBe('./data/tecsos.db');
    expect(storePath({ TECSOS_DB: '/var/lib/tecsos/log.db' })).toBe('/var/lib/tecsos/log.db');
  });

  it('creates a missing data directory, WAL + synchronous FULL + schema version', async () => {
    const file = path.join(tmpDir(), 'data', 'nested', 'tecsos.db');
    const store = openEventStore({ path: file });
    await store.append([{ type: 'a', at: 1 }]);
    await store.close();
    expect(existsSync(file)).toBe(true);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    } finally {
      raw.close();
    }
  });

  it('a new store and its write-ahead log are readable by their owner only (victims\' records), whatever the umask', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const before = process.umask(0o022);
    try {
      const store = openEventStore({ path: file });
      await store.append([{ type: 'a', at: 1 }]);
      expect([statSync(file).mode & 0o777, statSync(`${file}-wal`).mode & 0o777]).toEqual([0o600, 0o600]);
      await store.close();
    } finally {
      process.umask(before);
    }
  });

  it('a file that is not SQLite is a clear start-up error', () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    writeFileSync(file, 'TSR1;h=H1;n=1;e=ALM;... this is a log file someone put here\n'.repeat(200));
    const e = openError(file);
    expect(isStoreError(e, StoreErrorCode.NOT_A_DATABASE)).toBe(true);
    expect((e as Error).message).toContain(file);
    expect((e as Error).message).toMatch(/TECSOS_DB|backup/);
  });

  it('a directory where the file should be is a clear start-up error', () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    mkdirSync(file);
    const e = openError(file);
    expect(isStoreError(e, StoreErrorCode.CANNOT_OPEN)).toBe(true);
    expect((e as Error).message).toContain('directory');
  });

  it('a data "directory" that is a file is a clear start-up error', () => {
    const dir = tmpDir();
    writeFileSync(path.join(dir, 'data'), 'not a directory');
    const e = openError(path.join(dir, 'data', 'tecsos.db'));
    expect(isStoreError(e, StoreErrorCode.CANNOT_OPEN)).toBe(true);
    expect((e as Error).message).toContain(path.join(dir, 'data'));
  });

  it("another program's SQLite database is refused, untouched", () => {
    const file = path.join(tmpDir(), 'other.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE contacts (name TEXT)');
    raw.close();
    const e = openError(file);
    expect(isStoreError(e, StoreErrorCode.FOREIGN_DATABASE)).toBe(true);
    const check = new Database(file, { readonly: true });
    expect(check.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'events'`).pluck().get()).toBe(0);
    check.close();
  });

  it("another program's database is left exactly as it was: not switched to WAL, even with a user_version of its own", () => {
    for (const version of [0, 1, SCHEMA_VERSION]) {
      const file = path.join(tmpDir(), 'other.db');
      const raw = new Database(file);
      raw.exec('CREATE TABLE contacts (name TEXT)');
      raw.pragma(`user_version = ${version}`);
      raw.close();
      const e = openError(file);
      expect(isStoreError(e, StoreErrorCode.FOREIGN_DATABASE)).toBe(true);
      expect((e as Error).message).toMatch(/other program/);
      const check = new Database(file, { readonly: true });
      expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(check.pragma('user_version', { simple: true })).toBe(version);
      expect(check.prepare(`SELECT count(*) FROM sqlite_schema WHERE name = 'events'`).pluck().get()).toBe(0);
      check.close();
    }
  });

  it('a second writer reaching the same file through a symbolic link is refused', async () => {
    const dir = tmpDir();
    const real = path.join(dir, 'tecsos-2026.db');
    const link = path.join(dir, 'tecsos.db');
    const first = openEventStore({ path: real });
    symlinkSync(real, link);
    const e = openError(link);
    expect(isStoreError(e, StoreErrorCode.LOCKED)).toBe(true);
    await first.close();
    // The other way round: the link first, then the real name.
    const viaLink = openEventStore({ path: link });
    expect(isStoreError(openError(real), StoreErrorCode.LOCKED)).toBe(true);
    await viaLink.close();
  });

  it('a store from a newer gateway is refused', () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    openEventStore({ path: file }).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const e = openError(file);
    expect(isStoreError(e, StoreErrorCode.TOO_NEW)).toBe(true);
  });

  it('a second writer on the same store is refused until the first closes', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const first = openEventStore({ path: file });
    const e = openError(file);
    expect(isStoreError(e, StoreErrorCode.LOCKED)).toBe(true);
    expect((e as Error).message).toMatch(/another process/);
    // Read-only tools may still look at the log while the gateway runs.
    await first.append([{ type: 'a', at: 1 }]);
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    reader.close();
    await first.close();
    const second = openEventStore({ path: file });
    expect(await second.lastSeq()).toBe(1);
    await second.close();
  });

  it('an in-memory store works for demos', async () => {
    const store = openEventStore({ path: ':memory:' });
    expect((await store.append([{ type: 'a', at: 1 }]))[0]?.seq).toBe(1);
    await store.close();
  });
});
