// Her next alarm after a close whose STOP her handset acknowledged (review 13). Closing a tracking incident
// sends STOP (aae02cd) and her handset ACKs it once it has stopped. If she then holds the button again and her
// ALM SMS is lost, her new alarm's TRKs are numbered above that ACK: they cannot be the old alarm's tail, and
// must open an incident (cause `tracking`), not be swallowed for 70 minutes (trk.ts TRACKING_TAIL_MS); and the
// closed incident must not read "her handset still tracking" with Stop tracking offered (incident-view.ts
// tracksAfterClose), which invited the handler to stop her new alarm. A STOP not (yet) acknowledged keeps the
// tail, and so does a TRK numbered below the ACK (sent before she stopped). The same after a restart, from a
// snapshot or from the whole log.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tracksAfterClose } from '../../../console/incident-view.js';
import { HANDSET_NUMBER, HANDSET_ID, consoleOf, deliver, keepSnapshot, report, startRig, tmpDir, type Rig } from '../core/harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;

const send = (rig: Rig, counter: number, event: 'ALM' | 'TRK' | 'ACK') =>
  rig.sms(deliver(report({ counter, event }, undefined, rig.clock.now()), HANDSET_NUMBER, counter));

/** ALM n=1, TRK n=2, the handler closes it (STOP sent); returns the closed incident's id. */
async function alarmThenClose(rig: Rig): Promise<string> {
  await send(rig, 1, 'ALM');
  const first = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
  rig.clock.advance(30_000);
  await send(rig, 2, 'TRK');
  rig.clock.advance(60_000);
  expect(await rig.core.close(first, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
  await rig.core.idle();
  rig.clock.advance(20_000);
  return first;
}

/** Her new alarm's TRKs, 30 s apart, five minutes on (its ALM lost). */
async function newAlarmTrks(rig: Rig, counters: readonly number[]): Promise<void> {
  rig.clock.advance(5 * 60_000);
  for (const n of counters) {
    await send(rig, n, 'TRK');
    rig.clock.advance(30_000);
  }
}

function offersStop(rig: Rig, incidentId: string): boolean {
  const view = consoleOf(rig);
  return tracksAfterClose(view.incidents.get(incidentId) ?? null, view.handsets.get(HANDSET_ID) ?? null, view.lastCommand(HANDSET_ID, 'STOP', incidentId), rig.clock.now());
}

describe('review13: her next alarm after a close whose STOP was acknowledged', () => {
  it('its TRKs (ALM lost) open an incident, and the closed one does not offer to stop them', async () => {
    const rig = await startRig();
    const first = await alarmThenClose(rig);
    await send(rig, 3, 'ACK'); // the close's STOP reached her handset: it stopped tracking
    expect(rig.ofType('command.result').map((r) => r['result'])).toEqual(['sent', 'acknowledged']);
    await newAlarmTrks(rig, [5, 6, 7, 8]);
    const opened = rig.ofType('incident.opened');
    console.log(`incidents opened: ${opened.length}; closed incident offers Stop tracking: ${offersStop(rig, first)}`);
    expect(offersStop(rig, first)).toBe(false);
    expect(opened).toHaveLength(2);
    expect(opened[1]).toMatchObject({ cause: 'tracking', priority: 'tecsos' });
    const second = opened[1]?.['incidentId'] as string;
    // Opened by her first TRK after the ACK: every one of her new alarm's fixes is on it.
    expect(rig.ofType('report.accepted').filter((r) => r['event'] === 'TRK' && (r['counter'] as number) > 3).map((r) => r['incidentId'])).toEqual([second, second, second, second]);
  });

  it('a Stop tracking the handler sent while it was open, acknowledged, then the close: her next alarm\'s TRKs open an incident', async () => {
    const rig = await startRig();
    await send(rig, 1, 'ALM');
    const first = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    rig.clock.advance(30_000);
    await send(rig, 2, 'TRK');
    expect(await rig.core.stopTracking(first, HANDLER)).toMatchObject({ ok: true });
    await send(rig, 3, 'ACK'); // her handset stopped
    rig.clock.advance(60_000);
    expect(await rig.core.close(first, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();
    expect(rig.ofType('command.sent')).toHaveLength(1); // not tracking: the close sent no second STOP
    await newAlarmTrks(rig, [5, 6]);
    expect(offersStop(rig, first)).toBe(false);
    expect(rig.ofType('incident.opened')).toMatchObject([{ incidentId: first }, { cause: 'tracking', priority: 'tecsos' }]);
  });

  it('a TRK numbered below the ACK (sent before she stopped, delivered late) opens nothing', async () => {
    const rig = await startRig();
    await alarmThenClose(rig);
    await send(rig, 4, 'ACK');
    await newAlarmTrks(rig, [3]);
    expect(rig.ofType('incident.opened')).toHaveLength(1);
  });

  it('a STOP not acknowledged (yet) keeps the tail: TRKs after the close open nothing', async () => {
    const rig = await startRig();
    const first = await alarmThenClose(rig);
    expect(rig.ofType('command.result').map((r) => r['result'])).toEqual(['sent']);
    await newAlarmTrks(rig, [3, 4, 5]);
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    expect(offersStop(rig, first)).toBe(false); // a STOP on its way
  });

  it.each(['snapshot', 'log'])('after a restart (%s), her new alarm still opens an incident', async (from) => {
    const file = path.join(tmpDir(), 'events.db');
    const before = await startRig({ file });
    await alarmThenClose(before);
    await send(before, 3, 'ACK');
    await before.stop();
    keepSnapshot(file, from === 'snapshot');
    const rig = await startRig({ file, clock: before.clock, register: [] });
    await newAlarmTrks(rig, [5, 6]);
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'tracking' }]);
  });
  it('an acknowledged STOP followed by a new press into the same incident keeps the tail after its close', async () => {
    // Stop tracking acknowledged (n=3), then she holds the button again (n=4) into the same, still open incident:
    // her handset tracks again. The close's STOP is not acknowledged yet: TRK n=5 is that alarm's tail.
    const rig = await startRig();
    await send(rig, 1, 'ALM');
    const first = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    rig.clock.advance(30_000);
    await send(rig, 2, 'TRK');
    expect(await rig.core.stopTracking(first, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();
    await send(rig, 3, 'ACK');
    rig.clock.advance(60_000);
    await send(rig, 4, 'ALM');
    expect(rig.ofType('report.accepted').map((r) => r['incidentId'])).toEqual([first, first, first, first]);
    expect(await rig.core.close(first, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();
    await newAlarmTrks(rig, [5]);
    expect(rig.ofType('incident.opened')).toHaveLength(1);
  });
});
