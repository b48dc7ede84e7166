import { describe, expect, it } from 'vitest';
import { StoreErrorCode, isStoreError, openEventStore, type StoredEvent } from '../../../gateway/store/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { tmpStore } from './tmp-store.js';

const fix = (n: number) => ({ type: 'report.fix', at: `2026-11-23T06:00:${String(n % 60).padStart(2, '0')}.000Z`, handset: 'H1', n, lat: 51.5 + n / 1000 });

describe('event log', () => {
  it('appends in order with dense seqs from 1, and reads them back', async () => {
    const { store } = tmpStore();
    expect(await store.lastSeq()).toBe(0);
    const a = await store.append([fix(1), fix(2)]);
    const b = await store.append([{ type: 'call.ringing', at: Date.UTC(2026, 10, 23, 6), line: 'L1', caller: '+447700900123' }]);
    expect([...a, ...b].map((s) => s.seq)).toEqual([1, 2, 3]);
    expect(a[1]?.event).toEqual(fix(2));
    expect(await store.lastSeq()).toBe(3);
    const all = await store.readSince(0);
    expect(all.map((s) => [s.seq, s.event.type, s.redacted])).toEqual([
      [1, 'report.fix', false],
      [2, 'report.fix', false],
      [3, 'call.ringing', false],
    ]);
    expect(all[2]?.event).toEqual({ type: 'call.ringing', at: Date.UTC(2026, 10, 23, 6), line: 'L1', caller: '+447700900123' });
    expect((await store.readSince(1, 1)).map((s) => s.seq)).toEqual([2]);
    expect(await store.readSince(3)).toEqual([]);
  });

  it('keeps everything across a close and reopen', async () => {
    const { store, file } = tmpStore();
    await store.append([fix(1), fix(2), fix(3)]);
    await store.close();
    const again = openEventStore({ path: file });
    try {
      expect(await again.lastSeq()).toBe(3);
      const [s4] = await again.append([fix(4)]);
      expect(s4?.seq).toBe(4);
      expect((await again.readSince(0)).map((s) => (s.event as { n?: number }).n)).toEqual([1, 2, 3, 4]);
    } finally {
      await again.close();
    }
  });

  it('refuses a bad batch as a whole: nothing of it is stored', async () => {
    const { store } = tmpStore();
    const cyclic: Record<string, unknown> = { type: 'x', at: 1 };
    cyclic.self = cyclic;
    const bad = [
      [fix(1), { at: 1 }],
      [fix(1), { type: '', at: 1 }],
      [fix(1), { type: 'x', at: true }],
      [fix(1), cyclic],
      [fix(1), { type: 'x', at: 1, big: 10n }],
    ];
    for (const batch of bad) {
      const e = await store.append(batch as never).catch((x: unknown) => x);
      expect(isStoreError(e, StoreErrorCode.BAD_EVENT)).toBe(true);
    }
    expect(await store.lastSeq()).toBe(0);
    expect((await store.append([fix(9)]))[0]?.seq).toBe(1);
  });

  it('stamps an event without "at" with the commit time, durably (protocol/schemas envelope "at")', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 14));
    const { store } = tmpStore({ clock });
    const [s] = await store.append([{ type: 'call.ringing', line: 'line1', caller: '+447700900123' }]);
    expect(s?.event).toEqual({ type: 'call.ringing', at: '2026-11-23T06:14:00.000Z', line: 'line1', caller: '+447700900123' });
    expect(s?.storedAt).toBe(Date.UTC(2026, 10, 23, 6, 14));
    clock.advance(60_000);
    const [read] = await store.readSince(0);
    expect(read?.event).toEqual(s?.event);
  });

  it('stores an event whose "at" cannot be read (an alarm is never refused over a timestamp)', async () => {
    const { store } = tmpStore();
    const [s] = await store.append([{ type: 'report.alarm', at: 'yesterday-ish', handset: 'H1' }]);
    expect(s?.seq).toBe(1);
    expect((await store.readSince(0))[0]?.event.at).toBe('yesterday-ish');
  });

  it('tells listeners only after the commit, before the appender hears back, in seq order', async () => {
    const { store, file } = tmpStore();
    const { default: Database } = await import('better-sqlite3');
    const other = new Database(file, { readonly: true });
    const seen: number[] = [];
    const visibleElsewhere: number[] = [];
    const order: string[] = [];
    store.subscribe((events) => {
      // Stored before anyone is told: another connection already sees these events.
      visibleElsewhere.push(other.prepare('SELECT max(seq) FROM events').pluck().get() as number);
      order.push('listener');
      for (const e of events) seen.push(e.seq);
    });
    const p1 = store.append([fix(1)]).then(() => order.push('append 1'));
    const p2 = store.append([fix(2), fix(3)]).then(() => order.push('append 2'));
    await Promise.all([p1, p2]);
    other.close();
    expect(seen).toEqual([1, 2, 3]);
    expect(visibleElsewhere[visibleElsewhere.length - 1]).toBe(3);
    expect(order[0]).toBe('listener');
  });

  it('a listener that throws is reported and harms nothing', async () => {
    const errors: unknown[] = [];
    const { store } = tmpStore({ onError: (e) => errors.push(e) });
    const got: StoredEvent[] = [];
    store.subscribe(() => {
      throw new Error('console went away');
    });
    const unsubscribe = store.subscribe((events) => got.push(...events));
    await store.append([fix(1)]);
    unsubscribe();
    await store.append([fix(2)]);
    expect(got.map((s) => s.seq)).toEqual([1]);
    expect(errors).toHaveLength(2);
    expect(await store.lastSeq()).toBe(2);
  });

  it('finishes queued appends on close, then refuses', async () => {
    const { store } = tmpStore();
    const pending = store.append([fix(1)]);
    await store.close();
    expect((await pending)[0]?.seq).toBe(1);
    const e = await store.append([fix(2)]).catch((x: unknown) => x);
    expect(isStoreError(e, StoreErrorCode.CLOSED)).toBe(true);
    await expect(store.readSince(0)).rejects.toMatchObject({ code: StoreErrorCode.CLOSED });
  });

  it('refuses bad read arguments', async () => {
    const { store } = tmpStore();
    await expect(store.readSince(-1)).rejects.toMatchObject({ code: StoreErrorCode.BAD_ARGUMENT });
    await expect(store.readSince(0, 0)).rejects.toMatchObject({ code: StoreErrorCode.BAD_ARGUMENT });
  });

  it('the log refuses DELETE and rewrites at the SQL level too', async () => {
    const { store, file } = tmpStore();
    await store.append([fix(1)]);
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(file);
    try {
      expect(() => raw.prepare('DELETE FROM events').run()).toThrow(/append-only/);
      expect(() => raw.prepare(`UPDATE events SET body = '{}'`).run()).toThrow(/append-only/);
      expect(() => raw.prepare(`UPDATE events SET type = 'x'`).run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
  });
});
