import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { AuditBreak, GENESIS_HASH, StoreErrorCode, canonicalJson, openEventStore } from '../../../gateway/store/index.js';
import { AUDIT_DETAIL_MAX_DEPTH, AUDIT_FULL_WALK_MS } from '../../../gateway/store/sqlite-event-store.js';
import { tmpStore } from './tmp-store.js';

async function threeEntries() {
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 0));
  const ctx = tmpStore({ clock });
  const { store } = ctx;
  await store.appendAudit({ actor: 'akhan', action: 'handset.read', subject: 'handset:H-0042' });
  clock.advance(1000);
  await store.appendAudit({ actor: 'jsmith', action: 'track.export', subject: 'incident:INC-7', detail: { format: 'gpx', points: 118 } });
  clock.advance(1000);
  await store.appendAudit({ actor: 'jsmith', action: 'incident.read', subject: 'incident:INC-7', detail: 'opened from the queue' });
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
    expect(entries.map((e) => [e.seq, e.actor, e.action, e.subject, e.detail])).toEqual([
      [1, 'akhan', 'handset.read', 'handset:H-0042', null],
      [2, 'jsmith', 'track.export', 'incident:INC-7', { format: 'gpx', points: 118 }],
      [3, 'jsmith', 'incident.read', 'incident:INC-7', 'opened from the queue'],
    ]);
    expect(entries[0]?.at).toBe('2026-11-23T06:00:00.000Z');
    expect(entries[0]?.prevHash).toBe(GENESIS_HASH);
    expect(entries[1]?.prevHash).toBe(entries[0]?.hash);
    const e2 = entries[1];
    if (e2 === undefined) throw new Error('missing');
    // Recomputed independently from the documented rule.
    const canonical =
      '{"action":"track.export","actor":"jsmith","at":"2026-11-23T06:00:01.000Z","detail":{"format":"gpx","points":118},"seq":2,"subject":"incident:INC-7"}';
    expect(canonicalJson({ seq: e2.seq, at: e2.at, actor: e2.actor, action: e2.action, subject: e2.subject, detail: e2.detail })).toBe(canonical);
    expect(e2.hash).toBe(createHash('sha256').update(e2.prevHash + canonical).digest('hex'));
    const v = await store.verifyAuditChain();
    expect(v).toEqual({ ok: true, entries: 3, head: { seq: 3, hash: entries[2]?.hash } });
  });

  it('an empty chain verifies', async () => {
    const { store } = tmpStore();
    expect(await store.verifyAuditChain()).toEqual({ ok: true, entries: 0, head: null });
  });

  it('refuses UPDATE and DELETE through SQL', async () => {
    const { file } = await threeEntries();
    const raw = new Database(file);
    try {
      expect(() => raw.exec(`UPDATE audit SET actor = 'nobody'`)).toThrow(/append-only/);
      expect(() => raw.exec('DELETE FROM audit WHERE seq = 2')).toThrow(/append-only/);
    } finally {
      raw.close();
    }
  });

  it('detects an edited entry', async () => {
    const { store, file } = await threeEntries();
    tamper(file, `UPDATE audit SET actor = 'someone-else' WHERE seq = 2`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.HASH_MISMATCH, entries: 1 });
  });

  it('detects an edited detail', async () => {
    const { store, file } = await threeEntries();
    tamper(file, `UPDATE audit SET detail = '{"format":"gpx","points":5}' WHERE seq = 2`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.HASH_MISMATCH });
  });

  it('names an entry whose detail was edited to text that is not JSON, and still lists the log', async () => {
    // Security reviewer's repro: verification threw a SyntaxError (GET /api/audit answered 500, naming nothing).
    const { store, file } = await threeEntries();
    tamper(file, `UPDATE audit SET detail = 'format=gpx' WHERE seq = 2`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.HASH_MISMATCH, entries: 1 });
    const listed = await store.readAudit(0);
    expect(listed.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(listed[1]?.detail).toBe('format=gpx');
  });

  it('names an entry whose detail was edited to JSON nested too deep to hash, and still lists the log', async () => {
    // Valid JSON 5,000 arrays deep: the hash's canonical form ran out of stack (RangeError, GET /api/audit 500
    // naming nothing), as the text that is not JSON above did.
    const { store, file } = await threeEntries();
    tamper(file, `UPDATE audit SET detail = '${'['.repeat(5000)}${']'.repeat(5000)}' WHERE seq = 2`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.HASH_MISMATCH, entries: 1 });
    const listed = await store.readAudit(0);
    expect(listed.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(listed[1]?.detail).toBe(`${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(() => JSON.stringify(listed)).not.toThrow();
  });

  it('names an entry edited to JSON objects nested thousands deep, and lists it as text the API can send, at every depth', async () => {
    // Review repro: objects 4,200-4,600 deep passed the read's stack probe (canonicalJson) but not the API's
    // JSON.stringify of the detail (gateway/http/audit.ts auditView): GET /api/audit answered 500 naming nothing.
    const { store, file } = await threeEntries();
    const deep = (d: number) => `${'{"a":'.repeat(d)}1${'}'.repeat(d)}`;
    const unsendable: number[] = [];
    const notRaw: number[] = [];
    tamper(file, 'SELECT 1'); // the triggers dropped once
    for (let d = 3000; d <= 6000; d += 100) {
      const raw = new Database(file);
      raw.prepare('UPDATE audit SET detail = ? WHERE seq = 2').run(deep(d));
      raw.close();
      expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.HASH_MISMATCH, entries: 1 });
      const listed = await store.readAudit(0);
      // What the API sends of each detail (gateway/http/audit.ts auditView): text as it is, anything else as JSON.
      try {
        listed.map((e) => (typeof e.detail === 'string' ? e.detail : JSON.stringify(e.detail)));
      } catch {
        unsendable.push(d);
      }
      if (listed[1]?.detail !== deep(d)) notRaw.push(d);
    }
    expect(unsendable).toEqual([]);
    expect(notRaw).toEqual([]);
  });

  it(`refuses to write a detail nested deeper than ${AUDIT_DETAIL_MAX_DEPTH}, and reads back one as deep as that`, async () => {
    const { store } = tmpStore();
    const nest = (d: number): unknown => (d === 0 ? 'x' : { a: nest(d - 1) });
    await expect(store.appendAudit({ actor: 'jo', action: 'x.read', detail: nest(AUDIT_DETAIL_MAX_DEPTH + 1) })).rejects.toMatchObject({ code: StoreErrorCode.BAD_EVENT });
    await store.appendAudit({ actor: 'jo', action: 'x.read', detail: nest(AUDIT_DETAIL_MAX_DEPTH) });
    expect((await store.readAudit(0))[0]?.detail).toEqual(nest(AUDIT_DETAIL_MAX_DEPTH));
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: 1 });
  });

  it('names a removed entry before an unreadable detail after it: the first broken link', async () => {
    // Entry 2 deleted and entry 3's detail made unreadable: the first thing wrong is the gap at 3.
    const { store, file } = await threeEntries();
    tamper(file, `DELETE FROM audit WHERE seq = 2; UPDATE audit SET detail = 'opened' WHERE seq = 3`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 3, reason: AuditBreak.GAP, entries: 1 });
  });

  it('detects a removed entry', async () => {
    const { store, file } = await threeEntries();
    tamper(file, 'DELETE FROM audit WHERE seq = 2');
    const v = await store.verifyAuditChain();
    expect(v).toMatchObject({ ok: false, brokenAt: 3, reason: AuditBreak.GAP });
    if (!v.ok) expect(v.message).toContain('entry 3');
  });

  it('detects an entry rewritten with a fresh hash (the next link breaks)', async () => {
    const { store, file } = await threeEntries();
    const entries = await store.readAudit(0);
    const e2 = entries[1];
    if (e2 === undefined) throw new Error('missing');
    const forged = { ...e2, actor: 'forger' };
    const content = canonicalJson({ seq: forged.seq, at: forged.at, actor: forged.actor, action: forged.action, subject: forged.subject, detail: forged.detail });
    const hash = createHash('sha256').update(forged.prevHash + content).digest('hex');
    tamper(file, `UPDATE audit SET actor = 'forger', hash = '${hash}' WHERE seq = 2`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 3, reason: AuditBreak.PREV_MISMATCH });
  });

  it('survives reopening and keeps chaining', async () => {
    const { store, file } = await threeEntries();
    await store.close();
    const again = openEventStore({ path: file });
    try {
      const e4 = await again.appendAudit({ actor: 'system', action: 'audit.read' });
      expect(e4).toMatchObject({ seq: 4, subject: '', detail: null });
      expect(await again.verifyAuditChain()).toMatchObject({ ok: true, entries: 4, head: { seq: 4, hash: e4.hash } });
    } finally {
      await again.close();
    }
  });

  it('refuses entries without actor or action, or with detail JSON cannot hold', async () => {
    const { store } = tmpStore();
    await expect(store.appendAudit({ actor: '', action: 'x' })).rejects.toMatchObject({ code: StoreErrorCode.BAD_EVENT });
    await expect(store.appendAudit({ actor: 'a', action: '' })).rejects.toMatchObject({ code: StoreErrorCode.BAD_EVENT });
    await expect(store.appendAudit({ actor: 'a', action: 'b', detail: { n: NaN } })).rejects.toMatchObject({ code: StoreErrorCode.BAD_EVENT });
    expect(await store.readAudit(0)).toEqual([]);
  });
});

describe('audit verification re-hashes only what it must (a supervisor pages through a long log)', () => {
  it('a second verification hashes only the entries appended since the last good one, and gives the same whole-chain result', async () => {
    const { store } = await threeEntries();
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: 3, head: { seq: 3 } });
    expect(store.stats().auditEntriesVerified).toBe(3);
    await store.appendAudit({ actor: 'akhan', action: 'audit.read', subject: 'audit:after=0' });
    await store.appendAudit({ actor: 'akhan', action: 'audit.read', subject: 'audit:after=3' });
    const head = (await store.readAudit(4))[0];
    expect(await store.verifyAuditChain()).toEqual({ ok: true, entries: 5, head: { seq: 5, hash: head?.hash } });
    expect(store.stats().auditEntriesVerified).toBe(5); // before: 8 (every page re-hashed every entry)
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: 5 });
    expect(store.stats().auditEntriesVerified).toBe(5);
  });

  it('an entry edited by another program after a good verification is found at the next one, and at every one after', async () => {
    const { store, file } = await threeEntries();
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: 3 });
    tamper(file, `UPDATE audit SET actor = 'someone-else' WHERE seq = 2`);
    await store.appendAudit({ actor: 'akhan', action: 'audit.read', subject: 'audit:after=0' });
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.HASH_MISMATCH });
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.HASH_MISMATCH });
  });

  it('an entry removed by another program after a good verification is found at the next one', async () => {
    const { store, file } = await threeEntries();
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true });
    tamper(file, `DELETE FROM audit WHERE seq = 3`);
    expect(await store.verifyAuditChain()).toMatchObject({ ok: true, entries: 2, head: { seq: 2 } }); // the tail removed: only an outside head tells
    const raw = new Database(file); // the triggers are already gone
    raw.exec('DELETE FROM audit WHERE seq = 1');
    raw.close();
    expect(await store.verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2, reason: AuditBreak.GAP });
  });

  it('the whole chain is walked again once an hour has passed since the last whole walk', async () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 0));
    const { store } = tmpStore({ clock });
    for (let i = 0; i < 4; i++) await store.appendAudit({ actor: 'akhan', action: 'incident.read', subject: `incident:INC-${i}` });
    await store.verifyAuditChain();
    clock.advance(AUDIT_FULL_WALK_MS - 1);
    await store.verifyAuditChain();
    expect(store.stats().auditEntriesVerified).toBe(4);
    clock.advance(1);
    await store.verifyAuditChain();
    expect(store.stats().auditEntriesVerified).toBe(8);
  });
});
