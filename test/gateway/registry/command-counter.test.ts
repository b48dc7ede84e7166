// The TSC1 command counter after a restore from a backup (docs/operations.md "Backup and restore"): the
// restored store has forgotten the commands sent since the backup, but the handset has not (its command
// replay window is in flash). A counter the handset has seen is refused as a replay, so STOP and LOCATE
// would go unanswered. The gateway's next counter is therefore also above the seconds since 2020.
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { decodeCommand, verifyCommandSync } from '../../../protocol/report/tsc1.js';
import { ReplayWindow } from '../../../protocol/report/replay-window.js';
import { decodeSubmit } from '../../../protocol/sms/index.js';
import { nextCommandCounter } from '../../../gateway/registry/command-counter.js';
import { KEY, START, deliver, hmac, report, startRig, tmpDir, type Rig } from '../core/harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;

/** The TSC1 commands the core asked the line bank to send, decoded. */
function commands(rig: Rig) {
  return rig.lines.sent.map((parts) => decodeCommand(parts.map((p) => decodeSubmit(p.pdu).text).join('')));
}

/** A copy of a closed store file (its WAL too, if the close left one), as a backup is. */
function backup(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

describe('TSC1 command counter', () => {
  it('after a restore from an older backup, the next command is still fresh to the handset', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'tecsos.db');
    const clock = new ManualClock(START);
    // The store as backed up: the handset registered, no command sent yet.
    const first = await startRig({ file: db, clock });
    await first.stop();
    backup(db, path.join(dir, 'backup.db'));

    // The gateway runs on: an alarm, a LOCATE and a STOP the handset verifies and remembers.
    const handset = new ReplayWindow();
    const running = await startRig({ file: db, clock });
    await running.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const id = running.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await running.core.locate(id, HANDLER)).toMatchObject({ ok: true });
    clock.advance(1_000);
    expect(await running.core.stopTracking(id, HANDLER)).toMatchObject({ ok: true });
    for (const c of commands(running)) {
      expect(c.ok && verifyCommandSync(c, KEY, hmac)).toBe(true);
      expect(c.ok && handset.accept(c.counter, c.mac)).toBe('fresh');
    }
    await running.stop();

    // The disk fails; the backup is restored half an hour later.
    clock.advance(30 * 60_000);
    backup(path.join(dir, 'backup.db'), db);
    const restored = await startRig({ file: db, clock });
    await restored.sms(deliver(report({ counter: 2, event: 'ALM' }), undefined, 8));
    const again = restored.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await restored.core.locate(again, HANDLER)).toMatchObject({ ok: true });
    const [locate] = commands(restored);
    expect(locate).toMatchObject({ ok: true, command: { kind: 'LOCATE' } });
    expect(locate?.ok && handset.accept(locate.counter, locate.mac)).toBe('fresh');
    await restored.stop();
  });

  it('counts on by one from the stored counter, and from the clock when that is higher', () => {
    const now = Date.UTC(2026, 10, 24, 3, 0, 0);
    const floor = (now - Date.UTC(2020, 0, 1)) / 1000;
    expect(nextCommandCounter(0, now)).toBe(floor);
    expect(nextCommandCounter(floor, now)).toBe(floor + 1);
    expect(nextCommandCounter(floor + 41, now)).toBe(floor + 42);
    // A clock not set (before 2026) gives no floor; neither does one so far ahead that following it would
    // spend most of the 32-bit counter (then a clock corrected later would leave little room).
    expect(nextCommandCounter(6, Date.UTC(1970, 0, 2))).toBe(7);
    expect(nextCommandCounter(6, Date.UTC(2099, 0, 1))).toBe(7);
    // The counter is 32-bit: past it no command can be signed.
    expect(nextCommandCounter(0xffff_ffff, now)).toBeUndefined();
  });
});
