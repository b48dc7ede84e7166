// Fail-stop: the core decides ahead of durability, so a failed commit leaves its projections ahead of the
// log. It must then release nothing, answer nothing as done, decide nothing more, and ask to be restarted;
// the restart rebuilds from the log and the modem's copies of the unreleased SMS are processed as new.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { START, deliver, report, startRig, tmpDir } from './harness.js';

describe('fail-stop on a failed commit', () => {
  it('releases nothing of the failed commit, stops deciding, asks for a restart; the restart takes the SMS again', async () => {
    const file = `${tmpDir()}/tecsos.db`;
    const clock = new ManualClock(START);
    const failures: unknown[] = [];
    const rig = await startRig({ file, clock, onStoreFailure: (e) => failures.push(e) });
    expect(await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), undefined, 1))).toEqual([true, true]);

    // The disk "fills up": every insert fails from now on (a trigger added by another connection).
    const other = new Database(file);
    other.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;`);
    other.close();

    const second = deliver(report({ counter: 2, event: 'TRK' }, undefined, START + 10_000), undefined, 2);
    expect(await rig.sms(second)).toEqual([false, false]);
    expect(failures).toHaveLength(1);
    expect(rig.core.health().storeOk).toBe(false);
    // Decides nothing more: a call is not recorded, an action is refused, nothing is released.
    await rig.ring('447700900999');
    await expect(rig.core.acknowledge('INC-000001', {}, { username: 'handler', role: 'call-handler' })).rejects.toThrow(/restart/);
    expect(rig.ofType('report.accepted').map((e) => e['counter'])).toEqual([1]);
    expect(failures).toHaveLength(1);
    await rig.stop();

    // The restart (the disk has space again): the modem still holds the parts of report 2 and hands them over.
    const fixed = new Database(file);
    fixed.exec('DROP TRIGGER disk_full');
    fixed.close();
    const again = await startRig({ file, clock, register: [] });
    expect(await again.sms(second)).toEqual([true, true]);
    const accepted = (await again.all()).filter((e) => e.event.type === 'report.accepted').map((e) => e.event['counter']);
    expect(accepted).toEqual([1, 2]);
  });
});
