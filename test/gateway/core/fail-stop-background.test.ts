// Fail-stop when the first failed commit is not one of the core's decisions: a retention purge, a retention
// clock record, a snapshot, or the HTTP edge's own writes (an audit entry for a read, a session) share the
// store's group commit, and a failed transaction fails the store for every later write. The core must then
// stop and ask for a restart exactly as when one of its own decisions failed: before, it never learned of it,
// /healthz said the store was fine and main.ts never exited, while every SMS and call from then on was
// refused by the store (left on the modem, no call on any console) until someone noticed by hand.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { START, deliver, report, startRig, tmpDir } from './harness.js';

/** A full disk for the audit log only: the next audit entry's transaction fails, as on a real full disk. */
function failAuditInserts(file: string): void {
  const other = new Database(file);
  other.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
  other.close();
}

describe('fail-stop when a write that is not a decision fails first', () => {
  it('a failed retention purge stops the core and asks for a restart; nothing after it is released', async () => {
    const file = `${tmpDir()}/tecsos.db`;
    const clock = new ManualClock(START);
    const failures: unknown[] = [];
    const rig = await startRig({ file, clock, onStoreFailure: (e) => failures.push(e) });
    expect(await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), undefined, 1))).toEqual([true, true]);

    failAuditInserts(file);
    await expect(rig.core.purgeNow()).rejects.toThrow(/store write failed/);

    expect(failures).toHaveLength(1);
    expect(rig.core.health().storeOk).toBe(false);
    const second = deliver(report({ counter: 2, event: 'TRK' }, undefined, START + 10_000), undefined, 2);
    expect(await rig.sms(second)).toEqual([false, false]);
    expect(failures).toHaveLength(1);
  });

  it('a failed write of the HTTP edge (an audit entry) is seen by /healthz at once and by the next decision', async () => {
    const file = `${tmpDir()}/tecsos.db`;
    const clock = new ManualClock(START);
    const failures: unknown[] = [];
    const rig = await startRig({ file, clock, onStoreFailure: (e) => failures.push(e) });

    failAuditInserts(file);
    // What the HTTP edge does before it shows a victim's record: an audit entry, straight to the store.
    await expect(rig.store.appendAudit({ actor: 'handler', action: 'read', subject: 'incident:INC-000001' })).rejects.toThrow(/store write failed/);
    expect(rig.core.health().storeOk).toBe(false);

    // The next SMS is not released, and the core asks for its restart.
    expect(await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), undefined, 1))).toEqual([false, false]);
    expect(failures).toHaveLength(1);
  });

  it('on a quiet gateway the minute check finds such a failure and asks for the restart', async () => {
    const file = `${tmpDir()}/tecsos.db`;
    const clock = new ManualClock(START);
    const failures: unknown[] = [];
    const rig = await startRig({ file, clock, onStoreFailure: (e) => failures.push(e) });
    failAuditInserts(file);
    await expect(rig.store.appendAudit({ actor: 'handler', action: 'read', subject: 'incident:INC-000001' })).rejects.toThrow(/store write failed/);
    expect(failures).toHaveLength(0);
    clock.advance(60_000);
    await rig.core.idle();
    expect(failures).toHaveLength(1);
  });
});
