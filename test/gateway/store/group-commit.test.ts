import { describe, expect, it } from 'vitest';
import { StoreErrorCode } from '../../../gateway/store/index.js';
import { tmpStore } from './tmp-store.js';

describe('group commit', () => {
  it('many concurrent appends share a few transactions; all resolve; seqs dense, in call order', async () => {
    const { store } = tmpStore();
    const n = 2000;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) => store.append([{ type: 'report.fix', at: 1_700_000_000_000 + i, i }])),
    );
    expect(results.map((r) => r[0]?.seq)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    const stats = store.stats();
    expect(stats.eventsAppended).toBe(n);
    // All 2000 were queued in one tick: one transaction (two at most if a flush is split by maxOps=5000).
    expect(stats.transactions).toBeLessThanOrEqual(2);
    const read = await store.readSince(0, n);
    expect(read.map((s) => (s.event as { i?: number }).i)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('splits very large queues into bounded transactions', async () => {
    const { store } = tmpStore({ maxOps: 100 });
    await Promise.all(Array.from({ length: 1000 }, (_, i) => store.append([{ type: 't', at: i }])));
    expect(store.stats().transactions).toBe(10);
    expect(await store.lastSeq()).toBe(1000);
  });

  it('one refused write in a group does not fail the others', async () => {
    const { store } = tmpStore();
    const a = store.append([{ type: 'a', at: 1 }]);
    const bad = store.saveSnapshot('incidents', 99, '{}').catch((e: unknown) => e);
    const b = store.append([{ type: 'b', at: 2 }]);
    const audit = store.appendAudit({ actor: 'jsmith', action: 'track.read', subject: 'incident:INC-1' });
    expect((await a)[0]?.seq).toBe(1);
    expect((await b)[0]?.seq).toBe(2);
    expect((await audit).seq).toBe(1);
    expect(await bad).toMatchObject({ code: StoreErrorCode.BAD_ARGUMENT });
    expect((await store.readSince(0)).map((s) => s.event.type)).toEqual(['a', 'b']);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: 1 });
  });

  it('a window gathers appends from separate ticks into one transaction', async () => {
    const { store } = tmpStore({ windowMs: 50 });
    const first = store.append([{ type: 'a', at: 1 }]);
    await new Promise((r) => setImmediate(r));
    const second = store.append([{ type: 'b', at: 2 }]);
    await Promise.all([first, second]);
    expect(store.stats().transactions).toBe(1);
  });
});
