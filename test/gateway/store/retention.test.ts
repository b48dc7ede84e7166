import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { StoreErrorCode } from '../../../gateway/store/index.js';
import { tmpStore } from './tmp-store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/** True if any file of the store (database, WAL) still holds `text`. */
function onDisk(dir: string, text: string): boolean {
  return readdirSync(dir).some((f) => readFileSync(path.join(dir, f)).includes(Buffer.from(text)));
}

describe('retention', () => {
  it('redacts old victim data in place, keeps seq/type/at, leaves the rest, drops snapshots, audits, and wipes the file', async () => {
    const clock = new ManualClock(T0);
    const { store, dir } = tmpStore({ clock });
    await store.append([
      { type: 'report.fix', at: iso(T0), handset: 'H1', lat: 51.501234, lon: -0.141567 },
      { type: 'victim.notes', at: iso(T0 + DAY), notes: 'VICTIM-SECRET-ABC: ex-partner has a key' },
      { type: 'call.ringing', at: iso(T0 + DAY), caller: '+447700900123' },
      { type: 'report.fix', at: T0 + 40 * DAY, handset: 'H1', lat: 51.6, lon: -0.2 },
    ]);
    await store.saveSnapshot('incidents', 4, '{"notes":"VICTIM-SECRET-ABC"}');
    clock.advance(41 * DAY);

    const r = await store.purge(T0 + 31 * DAY, ['report.fix', 'victim.notes']);

    expect(r).toMatchObject({ redacted: 2, firstSeq: 1, lastSeq: 2, snapshotsDropped: 1 });
    const events = await store.readSince(0);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(events[0]).toMatchObject({ seq: 1, redacted: true, event: { type: 'report.fix', at: iso(T0), redacted: true } });
    expect(events[0]?.event).not.toHaveProperty('lat');
    expect(events[1]).toMatchObject({ redacted: true, event: { type: 'victim.notes', at: iso(T0 + DAY), redacted: true } });
    expect(events[1]?.event).not.toHaveProperty('notes');
    // Not a victim-data type: kept, however old.
    expect(events[2]).toMatchObject({ redacted: false, event: { caller: '+447700900123' } });
    // Too recent: kept.
    expect(events[3]).toMatchObject({ redacted: false, event: { lat: 51.6 } });
    expect(await store.loadSnapshot('incidents')).toBeUndefined();

    // The purge is audited, with what it did.
    const audit = await store.readAudit(0);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'system',
      action: 'purge',
      subject: 'events:1..2',
      at: iso(T0 + 41 * DAY),
      detail: `redacted 2 events (report.fix, victim.notes) before ${iso(T0 + 31 * DAY)}; 1 snapshot dropped`,
    });
    expect(r.audits).toEqual(audit);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: 1 });

    // The victim's words and position are gone from the bytes on disk, not just from queries.
    expect(onDisk(dir, 'VICTIM-SECRET-ABC')).toBe(false);
    expect(onDisk(dir, '51.501234')).toBe(false);
    expect(onDisk(dir, '+447700900123')).toBe(true);
  });

  it('a backup reading the file during a purge does not hold the gateway up, and the purged data still leaves the WAL when it ends', async () => {
    const { store, file, dir } = tmpStore();
    await store.append([{ type: 'victim.notes', at: iso(T0), notes: 'VICTIM-SECRET-XYZ' }]);
    await store.append([{ type: 'call.ringing', at: iso(T0 + 40 * DAY), caller: '+447700900123' }]);
    // A backup (VACUUM INTO, docs/operations.md): a read transaction open on the store file while the gateway runs.
    const backup = new Database(file, { readonly: true });
    backup.exec('BEGIN');
    backup.prepare('SELECT count(*) FROM events').get();
    // The backup ends on a timer: a gateway thread held by the checkpoint (busy_timeout) could not let it end.
    setTimeout(() => {
      backup.exec('COMMIT');
      backup.close();
    }, 20);

    expect((await store.purge(T0 + 31 * DAY, ['victim.notes'])).redacted).toBe(1);
    await vi.waitFor(() => expect(onDisk(dir, 'VICTIM-SECRET-XYZ')).toBe(false), { timeout: 4000, interval: 100 });
    // An append after it works as usual.
    expect((await store.append([{ type: 'a', at: 1 }]))[0]?.seq).toBe(3);
  });

  it('a second purge finds nothing more but is still audited; appends go on at the next seq', async () => {
    const { store } = tmpStore();
    await store.append([{ type: 'report.fix', at: 1000, lat: 1 }]);
    expect((await store.purge(2000, ['report.fix'])).redacted).toBe(1);
    const again = await store.purge(new Date(2000), ['report.fix']);
    expect(again).toMatchObject({ redacted: 0, firstSeq: null, lastSeq: null, snapshotsDropped: 0 });
    expect((await store.readAudit(0)).map((a) => [a.action, a.subject])).toEqual([
      ['purge', 'events:1..1'],
      ['purge', 'events'],
    ]);
    expect((await store.append([{ type: 'x', at: 3000 }]))[0]?.seq).toBe(2);
  });

  it('works in chunks, each audited, so a large purge never holds the writer for long', async () => {
    const { store } = tmpStore({ purgeChunk: 2 });
    await store.append([1, 2, 3, 4, 5].map((n) => ({ type: 'fix', at: n, n })));
    await store.append([{ type: 'fix', at: 9_000, n: 6 }]);
    const r = await store.purge(1000, ['fix']);
    expect(r).toMatchObject({ redacted: 5, firstSeq: 1, lastSeq: 5 });
    expect(r.audits).toHaveLength(3);
    expect(r.audits.map((a) => a.detail)).toEqual([
      expect.stringMatching(/^redacted 2 events/),
      expect.stringMatching(/^redacted 2 events/),
      expect.stringMatching(/^redacted 1 events/),
    ]);
    expect((await store.readSince(0)).map((e) => e.redacted)).toEqual([true, true, true, true, true, false]);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: 3 });
  });

  it('an event with an unreadable time is aged by its commit time', async () => {
    const clock = new ManualClock(T0);
    const { store } = tmpStore({ clock });
    await store.append([{ type: 'report.fix', at: 'garbled', lat: 1 }]);
    expect((await store.purge(T0, ['report.fix'])).redacted).toBe(0);
    expect((await store.purge(T0 + 1, ['report.fix'])).redacted).toBe(1);
  });

  it('refuses a bad policy', async () => {
    const { store } = tmpStore();
    await expect(store.purge(NaN, ['report.fix'])).rejects.toMatchObject({ code: StoreErrorCode.BAD_ARGUMENT });
    await expect(store.purge(1, [''])).rejects.toMatchObject({ code: StoreErrorCode.BAD_ARGUMENT });
  });
});
