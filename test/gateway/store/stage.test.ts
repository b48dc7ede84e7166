// stage(): seqs handed out before the commit, the track index, and fail-stop when a commit fails.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { StoreErrorCode, isStoreError, openEventStore } from '../../../gateway/store/index.js';
import { tmpStore } from './tmp-store.js';

const at = (s: number) => `2026-11-23T06:00:${String(s % 60).padStart(2, '0')}.000Z`;

describe('stage', () => {
  it('hands out dense seqs at once; readers and listeners see them only once durable', async () => {
    const { store } = tmpStore();
    const told: number[] = [];
    store.subscribe((events) => told.push(...events.map((e) => e.seq)));
    const a = store.stage([{ type: 'a', at: at(1) }, { type: 'b', at: at(2) }]);
    const b = store.stage([{ type: 'c' }]);
    expect(a.stored.map((s) => s.seq)).toEqual([1, 2]);
    expect(b.stored.map((s) => s.seq)).toEqual([3]);
    expect(typeof b.stored[0]?.event.at).toBe('string');
    // Not yet committed: nobody outside the writer sees them.
    expect(await store.lastSeq()).toBe(0);
    expect(told).toEqual([]);
    await Promise.all([a.durable, b.durable]);
    expect(told).toEqual([1, 2, 3]);
    expect(await store.lastSeq()).toBe(3);
    const read = await store.readSince(0);
    expect(read.map((s) => [s.seq, s.event.type])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
    ]);
    // The stamp given at staging is the one stored.
    expect(read[2]?.event.at).toBe(b.stored[0]?.event.at);
  });

  it('tells its listeners each event\'s JSON text as it wrote it (none for an event whose `at` it stamped)', async () => {
    const { store, file } = tmpStore();
    const told: (string | undefined)[][] = [];
    store.subscribe((_events, texts) => told.push([...(texts ?? [])]));
    const a = { type: 'a', at: at(1), n: 1.5, text: 'say "hi"\n', nested: { list: [1, null] } };
    const b = { type: 'b' };
    await store.stage([a, b]).durable;
    await store.stage([{ type: 'c', at: at(2) }]).durable;
    expect(told).toEqual([[JSON.stringify(a), undefined], [JSON.stringify({ type: 'c', at: at(2) })]]);
    // The stored JSON itself, byte for byte (the fan-out sends it: gateway/fanout/wire.ts wireText).
    const db = new Database(file, { readonly: true });
    const bodies = db.prepare('SELECT body FROM events ORDER BY seq').pluck().all() as string[];
    db.close();
    expect(bodies[0]).toBe(told[0]?.[0]);
    expect(bodies[2]).toBe(told[1]?.[0]);
  });

  it('interleaves with append() without gaps or reordering', async () => {
    const { store } = tmpStore();
    const x = store.append([{ type: 'x', at: at(1) }]);
    const y = store.stage([{ type: 'y', at: at(2) }]);
    const z = store.append([{ type: 'z', at: at(3) }]);
    expect((await x)[0]?.seq).toBe(1);
    expect(y.stored[0]?.seq).toBe(2);
    expect((await z)[0]?.seq).toBe(3);
    expect((await store.readSince(0)).map((s) => s.event.type)).toEqual(['x', 'y', 'z']);
  });

  it('refuses a bad event at once, without using a seq', async () => {
    const { store } = tmpStore();
    const cyclic: Record<string, unknown> = { type: 'bad' };
    cyclic['self'] = cyclic;
    expect(() => store.stage([{ type: 'ok', at: at(1) }, cyclic as { type: string }])).toThrow(expect.objectContaining({ code: StoreErrorCode.BAD_EVENT }));
    const s = store.stage([{ type: 'next', at: at(2) }]);
    expect(s.stored[0]?.seq).toBe(1);
    await s.durable;
  });

  it('a snapshot may name a staged seq; one beyond it is refused', async () => {
    const { store } = tmpStore();
    const s = store.stage([{ type: 'a', at: at(1) }]);
    await expect(store.saveSnapshot('state', 2, '{}')).rejects.toMatchObject({ code: StoreErrorCode.BAD_ARGUMENT });
    await store.saveSnapshot('state', 1, '{"n":1}');
    await s.durable;
    expect(await store.loadSnapshot('state')).toMatchObject({ seq: 1, json: '{"n":1}' });
  });

  it('fail-stop: a failed commit refuses that batch, everything queued and every later write; the log ends before it', async () => {
    const { store, file } = tmpStore();
    await store.append([{ type: 'kept', at: at(1) }]);
    // Another connection makes the next commit fail as a full disk would (the writer is idle between commits).
    const other = new Database(file);
    other.exec(`CREATE TRIGGER fail_on_boom BEFORE INSERT ON events WHEN NEW.type = 'boom' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
    other.close();
    const ok = store.stage([{ type: 'fine', at: at(2) }]);
    const boom = store.stage([{ type: 'boom', at: at(3) }]);
    const after = store.append([{ type: 'after', at: at(4) }]);
    const errors = await Promise.all([ok.durable, boom.durable, after].map((p) => p.then(() => undefined, (e: unknown) => e)));
    for (const e of errors) expect(isStoreError(e, StoreErrorCode.WRITE_FAILED)).toBe(true);
    expect(String((errors[1] as Error).message)).toMatch(/disk is full.*restart/);
    expect(() => store.stage([{ type: 'later', at: at(5) }])).toThrow(expect.objectContaining({ code: StoreErrorCode.WRITE_FAILED }));
    await expect(store.appendAudit({ actor: 'system', action: 'purge' })).rejects.toMatchObject({ code: StoreErrorCode.WRITE_FAILED });
    expect(store.stats().failed).toBe(true);
    await store.close();
    // Reopened (the restart): exactly the events before the failed transaction.
    const again = openEventStore({ path: file });
    try {
      expect((await again.readSince(0)).map((s) => [s.seq, s.event.type])).toEqual([[1, 'kept']]);
    } finally {
      await again.close();
    }
  });
});

describe('track index', () => {
  it('reads one incident’s fixes in seq order; other incidents and redacted fixes are left out', async () => {
    const { store } = tmpStore();
    await store.append([
      { type: 'fix', at: '2026-01-01T00:00:00.000Z', incidentId: 'INC-1', lat: 1 },
      { type: 'fix', at: at(1), incidentId: 'INC-2', lat: 2 },
      { type: 'report.accepted', at: at(2), incidentId: 'INC-1' },
      { type: 'fix', at: at(3), incidentId: 'INC-1', lat: 3 },
      { type: 'fix', at: at(4), incidentId: 'INC-1', lat: 4 },
    ]);
    expect((await store.readFixes('INC-1')).map((s) => [s.seq, s.event['lat']])).toEqual([
      [1, 1],
      [4, 3],
      [5, 4],
    ]);
    await store.purge(Date.parse('2026-06-01T00:00:00.000Z'), ['fix']);
    expect((await store.readFixes('INC-1')).map((s) => s.seq)).toEqual([4, 5]);
    expect(await store.readFixes('INC-3')).toEqual([]);
  });

  it('reads just the events of some types from a stretch of the log', async () => {
    const { store } = tmpStore();
    await store.append([
      { type: 'sms.received', at: 1000 },
      { type: 'fix', at: 2000 },
      { type: 'sms.received', at: 3000 },
      { type: 'reassembly.expired', at: 3500 },
      { type: 'sms.received', at: 4000 },
      { type: 'sms.received', at: 5000 },
    ]);
    const types = ['sms.received', 'reassembly.expired'];
    expect((await store.readTypesSince(types, 2000, 0, 5)).map((s) => s.seq)).toEqual([3, 4, 5]);
    expect((await store.readTypesSince(types, 0, 1, 6, 2)).map((s) => s.seq)).toEqual([3, 4]);
    expect((await store.readTypesSince(['fix'], 0, 0, 6)).map((s) => s.seq)).toEqual([2]);
  });

  it('finds the first event of a type at or after a time', async () => {
    const { store } = tmpStore();
    await store.append([
      { type: 'sms.received', at: 1000 },
      { type: 'fix', at: 2000 },
      { type: 'sms.received', at: 3000 },
      { type: 'sms.received', at: 4000 },
    ]);
    expect(await store.firstSeqOf('sms.received', 2500)).toBe(3);
    expect(await store.firstSeqOf('sms.received', 0)).toBe(1);
    expect(await store.firstSeqOf('sms.received', 5000)).toBeNull();
  });
});

// event-store.ts EventLog.stage(): a staged event must not be changed afterwards (the fan-out sends the store's
// JSON of it, and decides from the object who gets it whole). Tests freeze what is staged, so a change throws.
describe('staged events are frozen in tests', () => {
  type Victim = { type: string; at?: string; incidentId: string; victim: { name: string; notes: string[] } };
  const victimEvent = (withAt: boolean): Victim => ({
    type: 'victim.updated',
    ...(withAt ? { at: at(1) } : {}),
    incidentId: 'INC-000001',
    victim: { name: 'A. Person', notes: ['diabetic'] },
  });

  it('with freezeStaged, changing a staged event, anything nested in it or the object given for it throws', async () => {
    const { store } = tmpStore({ freezeStaged: true });
    const given = victimEvent(true);
    const stamped = victimEvent(false);
    const { stored, durable } = store.stage([given, stamped]);
    const [withAt, withStamp] = stored as [(typeof stored)[0], (typeof stored)[0]];
    expect(withAt.event).toBe(given);
    // What the fan-out checks and sends (the engineer's view leaves the victim out: docs/api.md).
    expect(() => delete (withAt.event as Partial<Victim>).victim).toThrow(TypeError);
    expect(() => {
      given.victim.name = 'someone else';
    }).toThrow(TypeError);
    expect(() => given.victim.notes.push('more')).toThrow(TypeError);
    // The event whose `at` the store stamped is a copy: the copy, what it shares and the given object are frozen.
    expect(withStamp.event).not.toBe(stamped);
    expect(() => {
      (withStamp.event as Record<string, unknown>)['incidentId'] = 'INC-000002';
    }).toThrow(TypeError);
    expect(() => {
      stamped.incidentId = 'INC-000002';
    }).toThrow(TypeError);
    expect(() => {
      (withStamp as { seq: number }).seq = 99;
    }).toThrow(TypeError);
    await durable;
    expect((await store.readSince(0)).map((s) => s.event)).toEqual([victimEvent(true), { ...victimEvent(false), at: withStamp.event.at }]);
  });

  it('every store a test opens freezes what it stages (vitest.config.ts sets TECSOS_FREEZE_STAGED=1)', async () => {
    const { store } = tmpStore();
    const given = victimEvent(true);
    await store.stage([given]).durable;
    expect(() => {
      given.victim.name = 'someone else';
    }).toThrow(TypeError);
  });

  it('an event holding a typed array is still staged (a view with elements cannot be frozen)', async () => {
    const { store } = tmpStore({ freezeStaged: true });
    const bytes = new Uint8Array([1, 2]);
    const { durable } = store.stage([{ type: 'raw', at: at(1), bytes }]);
    await durable;
    expect((await store.readSince(0))[0]?.event['bytes']).toEqual({ 0: 1, 1: 2 });
  });

  it('off (production), nothing is frozen: a change is a bug, but it does not throw in the middle of a decision', async () => {
    const { store } = tmpStore({ freezeStaged: false });
    const given = victimEvent(true);
    const { stored, durable } = store.stage([given]);
    expect(Object.isFrozen(given) || Object.isFrozen(given.victim) || Object.isFrozen(stored[0])).toBe(false);
    await durable;
  });
});
