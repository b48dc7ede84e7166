import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { AuditBreak, GENESIS_HASH, StoreErrorCode, canonicalJson, openEventStore } from '../../../gateway/store/index.js';
import { tmpStore } from './tmp-store.js';

async function threeEntries() {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 0));
  const ctx = tmpStore({ clock });
  const { store } = ctx;
  await store.appendAudit({ who: 'supervisor:akhan', what: 'read-record', subject: 'H-0042' });
  clock.advance(1000);
  await store.appendAudit({ who: 'handler:jsmith', what: 'read-track', subject: 'INC-7', detail: { format: 'gpx', points: 118 } });
  clock.advance(1000);
  await store.appendAudit({ who: 'handler:jsmith', what: 'close-incident', subject: 'INC-7', detail: { outcome: 'officers attended' } });
  return ctx;
}

/** Opens the file behind the store's back, without the append-only triggers, as an attacker with the file could. */
function tamper(file: string, sql: string): void {
  const raw = new Database(file);
  try {
    raw.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
    raw.exec(sql);
  } finally {
    raw.close();
  }
}

describe('audit log', () => {
  it('chains entries: hash = SHA-256(prev hash + canonical entry)', async () => {
    const { store } = await threeEntries();
    const entries = await store.readAudit(0);
    expect(entries.map((e) => [e.id, e.who, e.what, e.subject])).toEqual([
      [1, 'supervisor:akhan', 'read-record', 'H-0042'],
      [2, 'handler:jsmith', 'read-track', 'INC-7'],
      [3, 'handler:jsmith', 'close-incident', 'INC-7'],
    ]);
    expect(entries[0]?.at).toBe('2026-11-23T06:00:00.000Z');
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    const e2 = entries[1];
    if (e2 === undefined) throw new Error('missing');
    // Recomputed independently from the documented rule.
    const canonical = '{"at":"2026-11-23T06:00:01.000Z","detail":{"format":"gpx","points":118},"id":2,"subject":"INC-7","what":"read-track","who":"handler:jsmith"}';
    expect(canonicalJson({ id: e2.id, at: e2.at, who: e2.who, what: e2.what, subject: e2.subject, detail: e2.detail })).toBe(canonical);
    expect(e2.hash).toBe(createHash('sha256').update(e2.prevHash + canonical).digest('hex'));
    const v = await store.verifyAuditChain();
    expect(v).toEqual({ ok: true, entries: 3, head: { id: 3, hash: entries[2]?.hash } });
  });

  it('an empty chain verifies', async () => {
    const { store } = tmpStore();
    expect(await store.verifyAuditChain()).toEqual({ ok: true, entries: 0, head: null });
  });

  it('refuses UPDATE and DELETE through SQL', async () => {
    const { file } = await threeEntries();
    const raw = new Database(file);
    try {
      expect(() => raw.exec(`UPDATE audit SET who = 'nobody'`)).toThrow(/append-only/);
      expect(() => raw.exec('DELETE FROM audit WHERE id = 2')).toThrow(/append-only/);
    } finally {
      raw.close();
    }
  });

  it('detects an edited entry', async () => {
    const { store, file } = await threeEntries();
    tamper(file, `UPDATE audit SET who = 'handler:someone-else' WHERE id = 2`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.HASH_MISMATCH, entries: 1 });
  });

  it('detects an edited detail', async () => {
    const { store, file } = await threeEntries();
    tamper(file, `UPDATE audit SET detail = '{"format":"gpx","points":5}' WHERE id = 2`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.HASH_MISMATCH });
  });

  it('detects a removed entry', async () => {
    const { store, file } = await threeEntries();
    tamper(file, 'DELETE FROM audit WHERE id = 2');
    const v = await store.verifyAuditChain();
    expect(v).toMatchObject({ ok: false, brokenAt: 3, reason: AuditBreak.GAP });
    if (!v.ok) expect(v.message).toContain('entry 3');
  });

  it('detects an entry rewritten with a fresh hash (the next link breaks)', async () => {
    const { store, file } = await threeEntries();
    const entries = await store.readAudit(0);
    const e2 = entries[1];
    if (e2 === undefined) throw new Error('missing');
    const forged = { ...e2, who: 'handler:forger' };
    const detail = canonicalJson(forged.detail);
    const content = canonicalJson({ id: forged.id, at: forged.at, who: forged.who, what: forged.what, subject: forged.subject, detail: forged.detail });
    const hash = createHash('sha256').update(forged.prevHash + content).digest('hex');
    tamper(file, `UPDATE audit SET who = 'handler:forger', detail = '${detail}', hash = '${hash}' WHERE id = 2`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 3, reason: AuditBreak.PREV_MISMATCH });
  });

  it('survives reopening and keeps chaining', async () => {
    const { store, file } = await threeEntries();
    await store.close();
    const again = openEventStore({ path: file });
    try {
      const e4 = await again.appendAudit({ who: 'system:gateway', what: 'start' });
      expect(e4.id).toBe(4);
      expect(await again.verifyAuditChain()).toMatchObject({ ok: true, entries: 4, head: { id: 4, hash: e4.hash } });
    } finally {
      await again.close();
    }
  });

  it('refuses entries without who or what, or with detail JSON cannot hold', async () => {
    const { store } = tmpStore();
    await expect(store.appendAudit({ who: '', what: 'x' })).rejects.toMatchObject({ code: StoreErrorCode.BAD_EVENT });
    await expect(store.appendAudit({ who: 'a', what: '' })).rejects.toMatchObject({ code: StoreErrorCode.BAD_EVENT });
    await expect(store.appendAudit({ who: 'a', what: 'b', detail: { n: NaN } })).rejects.toMatchObject({ code: StoreErrorCode.BAD_EVENT });
    expect(await store.readAudit(0)).toEqual([]);
  });
});
