// store.purge's superseded fields (a re-issued handset's former holder's record, gateway/core/retention.ts):
// which events are cleared, over several purges, with several handsets and chains of registrations. The
// search reads only the registrations not cleared yet (not, for each one, every later event of the log).
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { tmpStore } from './tmp-store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const SUPERSEDED = [{ type: 'handset.registered', key: 'handsetId', field: 'victim' }];
const reg = (id: string, day: number, name: string) => ({ type: 'handset.registered', at: iso(T0 + day * DAY), handsetId: id, victim: { name } });

describe('purge of superseded fields', () => {
  it('clears every registration a later one older than the cut-off replaced, never the last of a handset, across purges', async () => {
    const clock = new ManualClock(T0 + 1000 * DAY);
    const { store } = tmpStore({ clock });
    await store.append([
      reg('A', 0, 'A1'), // 1
      reg('B', 1, 'B1'), // 2
      { type: 'fix', at: iso(T0 + 2 * DAY), incidentId: 'I1' }, // 3
      reg('A', 10, 'A2'), // 4
      reg('A', 20, 'A3'), // 5
      reg('B', 30, 'B2'), // 6
      reg('C', 40, 'C1'), // 7
      { type: 'handset.registered', at: iso(T0 + 41 * DAY), victim: { name: 'no id' } }, // 8
      { type: 'handset.registered', at: iso(T0 + 42 * DAY), victim: { name: 'no id either' } }, // 9
      reg('A', 50, 'A4'), // 10
    ]);
    const names = async () => (await store.readSince(0)).filter((e) => e.event.type === 'handset.registered').map((e) => (e.event['victim'] as { name: string } | null)?.name ?? null);

    // Cut-off after A2 only: A1 cleared (replaced by A2, old enough); A2 stays (A3 is not old enough).
    let r = await store.purge(T0 + 15 * DAY, [], 'system:retention', SUPERSEDED);
    expect(r.cleared).toBe(1);
    expect(await names()).toEqual([null, 'B1', 'A2', 'A3', 'B2', 'C1', 'no id', 'no id either', 'A4']);

    // After B2 and C1: A2 (by A3), B1 (by B2).
    r = await store.purge(T0 + 45 * DAY, [], 'system:retention', SUPERSEDED);
    expect(r.cleared).toBe(2);
    expect(await names()).toEqual([null, null, null, 'A3', 'B2', 'C1', 'no id', 'no id either', 'A4']);

    // After everything: A3 (by A4); the last of each handset, and those without a key, stay.
    r = await store.purge(T0 + 999 * DAY, [], 'system:retention', SUPERSEDED);
    expect(r.cleared).toBe(1);
    expect(await names()).toEqual([null, null, null, null, 'B2', 'C1', 'no id', 'no id either', 'A4']);
    const cleared = (await store.readSince(0)).filter((e) => e.event['redactedFields'] !== undefined);
    expect(cleared.map((e) => e.seq)).toEqual([1, 2, 4, 5]);
    for (const e of cleared) expect(e).toMatchObject({ redacted: false, event: { redactedFields: ['victim'] } });

    r = await store.purge(T0 + 999 * DAY, [], 'system:retention', SUPERSEDED);
    expect(r.cleared).toBe(0);
    await store.close();
  });

  it('takes a replacement older than the cut-off even when a newer one is not', async () => {
    const clock = new ManualClock(T0 + 1000 * DAY);
    const { store } = tmpStore({ clock });
    // Everything purged at once: A1 and A2 both replaced (A2 by A3, old enough); A4 is recent.
    await store.append([reg('A', 0, 'A1'), reg('A', 10, 'A2'), reg('A', 20, 'A3'), reg('A', 900, 'A4')]);
    const r = await store.purge(T0 + 100 * DAY, [], 'system:retention', SUPERSEDED);
    expect(r.cleared).toBe(2);
    const names = (await store.readSince(0)).map((e) => (e.event['victim'] as { name: string } | null)?.name ?? null);
    expect(names).toEqual([null, null, 'A3', 'A4']);
    await store.close();
  });
});
