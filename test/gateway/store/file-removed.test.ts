// The store's file removed or replaced while the gateway runs (a clean-up script, `rm -rf data` by mistake, a
// restore done without stopping the gateway). SQLite goes on writing into the unlinked file, which no one can
// open again: before, the gateway acknowledged every later event (SMS deleted from the modems) into it, /healthz
// said ok, and the restart began an empty log with those reports gone for good. Now the next commit fails: the
// store fails stop (STORE_WRITE_FAILED) and the gateway restarts, with the SMS still on the modems.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreErrorCode } from '../../../gateway/store/index.js';
import { tmpStore } from './tmp-store.js';

describe('the store file removed or replaced while open', () => {
  it('removed: the next commit is refused and the store fails stop', async () => {
    const { store, file } = tmpStore();
    await store.append([{ type: 'before', at: '2026-11-24T03:00:00.000Z' }]);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    await expect(store.append([{ type: 'after', at: '2026-11-24T03:00:01.000Z' }])).rejects.toMatchObject({
      code: StoreErrorCode.WRITE_FAILED,
      message: expect.stringMatching(/removed or replaced/),
    });
    expect(store.stats().failed).toBe(true);
  });

  it('replaced by another file (a backup moved over it): the same', async () => {
    const { store, file, dir } = tmpStore();
    await store.append([{ type: 'before', at: '2026-11-24T03:00:00.000Z' }]);
    const other = path.join(dir, 'restored.db');
    writeFileSync(other, '');
    renameSync(other, file);
    await expect(store.appendAudit({ actor: 'handler', action: 'read' })).rejects.toMatchObject({ code: StoreErrorCode.WRITE_FAILED });
    expect(store.stats().failed).toBe(true);
  });

  it('a store in memory has no file to lose', async () => {
    const { openEventStore } = await import('../../../gateway/store/index.js');
    const store = openEventStore({ path: ':memory:' });
    await store.append([{ type: 'x', at: '2026-11-24T03:00:00.000Z' }]);
    expect(await store.lastSeq()).toBe(1);
    await store.close();
  });
});
