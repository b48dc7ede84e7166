// A fresh store in its own temporary directory, removed after the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import { openEventStore, type OpenStoreOptions, type SqliteEventStore } from '../../../gateway/store/index.js';

export function tmpDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-store-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function tmpStore(options: OpenStoreOptions = {}): { store: SqliteEventStore; file: string; dir: string } {
  const dir = tmpDir();
  const file = path.join(dir, 'tecsos.db');
  const store = openEventStore({ path: file, ...options });
  onTestFinished(() => store.close());
  return { store, file, dir };
}
