import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { StoreErrorCode, openEventStore } from '../../../gateway/store/index.js';
import { tmpStore } from './tmp-store.js';

describe('snapshots', () => {
  it('round trip, replace, and survive a reopen', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23));
    const { store, file } = tmpStore({ clock });
    await store.append([{ type: 'a', at: 1 }, { type: 'b', at: 2 }, { type: 'c', at: 3 }]);
    expect(await store.loadSnapshot('incidents')).toBeUndefined();
    await store.saveSnapshot('incidents', 2, '{"open":["INC-1"]}');
    expect(await store.loadSnapshot('incidents')).toEqual({ name: 'incidents', seq: 2, json: '{"open":["INC-1"]}', savedAt: Date.UTC(2026, 10, 23) });
    await store.saveSnapshot('incidents', 3, '{"open":[]}');
    await store.saveSnapshot('handsets', 0, '{}');
    await store.close();
    const again = openEventStore({ path: file });
    try {
      expect(await again.loadSnapshot('incidents')).toMatchObject({ seq: 3, json: '{"open":[]}' });
      expect(await again.loadSnapshot('handsets')).toMatchObject({ seq: 0, json: '{}' });
    } finally {
      await again.close();
    }
  });

  it('refuses a snapshot claiming events the log does not have', async () => {
    const { store } = tmpStore();
    await store.append([{ type: 'a', at: 1 }]);
    await expect(store.saveSnapshot('incidents', 2, '{}')).rejects.toMatchObject({ code: StoreErrorCode.BAD_ARGUMENT });
    await expect(store.saveSnapshot('', 1, '{}')).rejects.toMatchObject({ code: StoreErrorCode.BAD_ARGUMENT });
    await expect(store.saveSnapshot('x', -1, '{}')).rejects.toMatchObject({ code: StoreErrorCode.BAD_ARGUMENT });
    expect(await store.loadSnapshot('incidents')).toBeUndefined();
  });
});
