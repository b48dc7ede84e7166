// Restart: close the store file and open it again with a new core. The projections rebuilt from the log are
// the same, the replay window still refuses an old report, a half-received report is completed by its
// second part, and a report that expired while the gateway was down is reported once. Each case twice: from
// the snapshot a clean stop leaves (the log after it, and the reassembler's recent parts by type), and with
// the snapshot removed (the whole log), as after a retention purge or a format change.
import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { HANDSET_NUMBER, START, deliver, report, startRig, tmpDir, type Rig } from './harness.js';

async function snapshot(rig: Rig) {
  return {
    incidents: await rig.core.listIncidents({ state: 'all' }),
    one: await rig.core.getIncident('INC-000001'),
    track: await rig.core.track('INC-000001'),
    handsets: await rig.core.listHandsets(),
    health: await rig.core.handsetHealth(),
    calls: await rig.core.listCalls(),
  };
}

/** Between stop and start: keep the snapshot the stop saved, or remove it (a rebuild from the whole log). */
function prepare(file: string, withSnapshot: boolean): void {
  const db = new Database(file);
  try {
    const n = (db.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number }).n;
    if (withSnapshot) expect(n).toBe(1);
    else db.exec('DELETE FROM snapshots');
  } finally {
    db.close();
  }
}

describe.each([
  ['from a snapshot', true],
  ['from the whole log', false],
])('restart %s', (_name, withSnapshot) => {
  it('rebuilds the same projections, and the replay window still rejects an old report', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const first = await startRig({ file, clock });
    const old = deliver(report({ counter: 1, event: 'ALM' }));
    await first.sms(old);
    await first.ring(HANDSET_NUMBER);
    clock.advance(30_000);
    await first.sms(deliver(report({ counter: 2, event: 'TRK', batteryPct: 80 }, undefined, START + 30_000), HANDSET_NUMBER, 8));
    await first.core.acknowledge('INC-000001', { note: 'on it' }, { username: 'handler', role: 'call-handler' });
    const before = await snapshot(first);
    await first.stop();
    prepare(file, withSnapshot);

    const second = await startRig({ file, clock });
    expect(await snapshot(second)).toEqual(before);
    expect(before.track?.points).toHaveLength(2);

    clock.advance(3600_000); // long after the reassembler forgot the SMS
    await second.sms(old);
    expect(second.ofType('report.rejected')).toMatchObject([{ reason: 'duplicate', counter: 1 }]);
    expect(second.ofType('fix')).toEqual([]);
    // The registration was not imported again: same manifest, nothing new.
    expect((await second.all()).filter((e) => e.event.type === 'handset.registered')).toHaveLength(1);
  });

  it('completes a report whose first part arrived before the restart', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const [p1, p2] = deliver(report({ counter: 1 }));
    const first = await startRig({ file, clock });
    await first.sms([p1 as string]);
    await first.stop();
    prepare(file, withSnapshot);
    clock.advance(60_000);
    const second = await startRig({ file, clock });
    await second.sms([p2 as string]);
    expect(second.ofType('report.accepted')).toMatchObject([{ counter: 1 }]);
    expect(second.ofType('fix')).toHaveLength(1);
  });

  it('reports a report that expired while down once, not again at the next start', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const [p1] = deliver(report({ counter: 1 }));
    const first = await startRig({ file, clock });
    await first.sms([p1 as string]);
    await first.stop();
    prepare(file, withSnapshot);
    clock.advance(11 * 60_000);
    const second = await startRig({ file, clock });
    await second.core.idle();
    expect(second.ofType('report.rejected')).toMatchObject([{ reason: 'incomplete' }]);
    await second.stop();
    prepare(file, withSnapshot);
    const third = await startRig({ file, clock });
    clock.advance(20 * 60_000);
    await third.core.idle();
    expect(third.ofType('report.rejected')).toEqual([]);
  });

  it('an expiry stored live is not reported again after a restart', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const [p1] = deliver(report({ counter: 1 }));
    const first = await startRig({ file, clock });
    await first.sms([p1 as string]);
    clock.advance(10 * 60_000 + 1);
    await first.core.idle();
    expect(first.ofType('report.rejected')).toHaveLength(1);
    await first.stop();
    prepare(file, withSnapshot);
    const second = await startRig({ file, clock });
    clock.advance(60_000);
    await second.core.idle();
    expect(second.ofType('report.rejected')).toEqual([]);
  });
});

describe('snapshots while running', () => {
  it('a start that had to apply many events saves a snapshot at once; the next start reads only what follows it', async () => {
    const { openEventStore } = await import('../../../gateway/store/index.js');
    const { SNAPSHOT_AFTER_START_EVENTS } = await import('../../../gateway/core/gateway-core.js');
    const file = path.join(tmpDir(), 'tecsos.db');
    const seed = openEventStore({ path: file });
    const filler = Array.from({ length: SNAPSHOT_AFTER_START_EVENTS }, (_, i) => ({ type: 'line.health', at: START, lineId: 'L1', state: 'up', detail: `seed ${i}` }));
    await seed.append(filler);
    await seed.close();
    const clock = new ManualClock(START);
    const rig = await startRig({ file, clock });
    await rig.core.idle();
    const snap = await rig.store.loadSnapshot('core');
    expect(snap?.seq).toBeGreaterThanOrEqual(SNAPSHOT_AFTER_START_EVENTS);
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const before = await rig.core.listIncidents({ state: 'all' });
    await rig.stop();
    const again = await startRig({ file, clock, register: [] });
    expect(await again.core.listIncidents({ state: 'all' })).toEqual(before);
  });
});
