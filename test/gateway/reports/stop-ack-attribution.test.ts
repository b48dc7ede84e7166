// A STOP's ACK stops all her tracking, whichever incident the STOP was sent for (review 13b F2, F3). The ACK
// names no command and is taken as the oldest command waiting (ack.ts), so a STOP's ACK could be recorded on an
// incident other than her current one, which then never got `stoppedAt` (93f9223): once it was closed, her next
// alarm whose ALM SMS was lost opened nothing for 70 min.
//   F2: the close's STOP for A crossed her new alarm (B opened while it was written, 94e2489: B shown stopped
//       'handler'); her ACK was recorded on A only; B closed (no STOP: not tracking); her next alarm's TRKs
//       opened nothing.
//   F3: A's close's STOP acknowledged, that ACK SMS lost; B opened and was closed (its STOP sent); B's STOP's
//       ACK was taken as A's (the oldest waiting): B never got `stoppedAt`; her next alarm's TRKs opened nothing.
// Now the ACK is also her current incident's (`incident.tracking-stopped` `handset`) when it was sent after all
// its reports and every command waiting is a STOP; with a LOCATE waiting too, the ACK may be the LOCATE's and her
// live incident is not shown stopped.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newerIncidentOpen, tracksAfterClose } from '../../../console/incident-view.js';
import { HANDSET_ID, HANDSET_NUMBER, consoleOf, deliver, keepSnapshot, report, startRig, tmpDir, type Rig } from '../core/harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;
const ticks = async (n = 50) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };
const send = (rig: Rig, counter: number, event: 'ALM' | 'TRK' | 'ACK') =>
  rig.sms(deliver(report({ counter, event }, undefined, rig.clock.now()), HANDSET_NUMBER, counter));
const opened = (rig: Rig) => rig.ofType('incident.opened');
const stopped = (rig: Rig) => rig.ofType('incident.tracking-stopped').map((e) => [e['incidentId'], e['reason']]);

function offersStop(rig: Rig, incidentId: string): boolean {
  const v = consoleOf(rig);
  const incident = v.incidents.get(incidentId) ?? null;
  // As console/app.ts drawIncident passes it.
  return tracksAfterClose(incident, v.handsets.get(HANDSET_ID) ?? null, v.lastCommand(HANDSET_ID, 'STOP', incidentId), rig.clock.now(), newerIncidentOpen(v.incidents.values(), incident));
}

/** The next close's STOP is written (the modem answered) but its append waits until release(). */
function holdWritten(rig: Rig): { release: () => void } {
  const original = rig.lines.sendSms.bind(rig.lines);
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => { release = r; });
  rig.lines.sendSms = async (parts, options = {}) => {
    rig.lines.sendSms = original;
    const r = await original(parts, options);
    await gate;
    return r;
  };
  return { release: () => release() };
}

/** Her next alarm five minutes on, its ALM lost: TRKs 30 s apart. */
async function nextAlarmTrks(rig: Rig, counters: readonly number[]): Promise<void> {
  rig.clock.advance(5 * 60_000);
  for (const n of counters) {
    await send(rig, n, 'TRK');
    rig.clock.advance(30_000);
  }
  await rig.core.idle();
}

/** ALM 1, TRK 2, A closed (its STOP sent). */
async function alarmThenClose(rig: Rig): Promise<string> {
  await send(rig, 1, 'ALM');
  const a = opened(rig)[0]?.['incidentId'] as string;
  rig.clock.advance(30_000);
  await send(rig, 2, 'TRK');
  expect(await rig.core.close(a, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
  await rig.core.idle();
  return a;
}

/** F3 up to B's STOP's ACK (n=6): A's ACK (n=3) lost, B (ALM 4, TRK 5) closed. Returns [A, B]. */
async function lostAckThenB(rig: Rig): Promise<[string, string]> {
  const a = await alarmThenClose(rig);
  rig.clock.advance(3 * 60_000);
  await send(rig, 4, 'ALM');
  const b = opened(rig)[1]?.['incidentId'] as string;
  expect(b).toBeDefined();
  rig.clock.advance(30_000);
  await send(rig, 5, 'TRK');
  rig.clock.advance(60_000);
  expect(await rig.core.close(b, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
  await rig.core.idle();
  rig.clock.advance(20_000);
  await send(rig, 6, 'ACK');
  await rig.core.idle();
  return [a, b];
}

describe('review13b: a STOP\'s ACK is her current incident\'s too', () => {
  it('F2: the close\'s STOP crossed her new alarm B; once B is closed, her next alarm (ALM lost) opens an incident', async () => {
    const rig = await startRig();
    await send(rig, 1, 'ALM');
    const a = opened(rig)[0]?.['incidentId'] as string;
    rig.clock.advance(30_000);
    await send(rig, 2, 'TRK');
    const held = holdWritten(rig);
    await rig.core.close(a, { outcome: 'resolved-by-phone' }, HANDLER);
    await ticks();
    rig.clock.advance(5_000);
    const stored = send(rig, 5, 'ALM'); // her second alarm, while the close's STOP is being written
    for (let i = 0; i < 100 && opened(rig).length < 2; i++) await ticks(1);
    const b = opened(rig)[1]?.['incidentId'] as string;
    held.release();
    await stored;
    await rig.core.idle();
    rig.clock.advance(20_000);
    await send(rig, 6, 'ACK'); // the STOP reached her after ALM 5: she stopped
    await rig.core.idle();
    expect(stopped(rig)).toContainEqual([b, 'handset']);
    rig.clock.advance(60_000);
    expect(await rig.core.close(b, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();
    expect(rig.ofType('command.sent')).toHaveLength(1); // B not tracking: its close sent no STOP
    await nextAlarmTrks(rig, [8, 9, 10]);
    expect(opened(rig)).toHaveLength(3);
    expect(opened(rig)[2]).toMatchObject({ cause: 'tracking', priority: 'tecsos' });
    // Stop tracking from closed B would stop her live alarm: not offered, and refused, nothing sent.
    expect(offersStop(rig, b)).toBe(false);
    expect(await rig.core.stopTracking(b, HANDLER)).toMatchObject({ ok: false, error: 'conflict' });
    await rig.core.idle();
    expect(rig.ofType('command.sent')).toHaveLength(1);
  });

  it('F3: B\'s STOP\'s ACK taken as A\'s (whose ACK was lost); her next alarm (ALM lost) opens an incident, and closed B offers no Stop tracking', async () => {
    const rig = await startRig();
    const [a, b] = await lostAckThenB(rig);
    expect(stopped(rig)).toEqual([[a, 'handset'], [b, 'handset']]);
    await nextAlarmTrks(rig, [8, 9, 10]);
    expect(opened(rig)).toHaveLength(3);
    expect(opened(rig)[2]).toMatchObject({ cause: 'tracking', priority: 'tecsos' });
    expect(offersStop(rig, b)).toBe(false);
  });

  it.each(['snapshot', 'log'])('F3 after a restart (%s): her next alarm still opens an incident', async (from) => {
    const file = path.join(tmpDir(), 'events.db');
    const before = await startRig({ file });
    await lostAckThenB(before);
    await before.stop();
    keepSnapshot(file, from === 'snapshot');
    const rig = await startRig({ file, clock: before.clock, register: [] });
    await nextAlarmTrks(rig, [8, 9]);
    expect(opened(rig)).toMatchObject([{ cause: 'tracking' }]);
  });

  it('with a LOCATE waiting too, an ACK taken as the old STOP\'s does not show her live incident stopped', async () => {
    const rig = await startRig();
    const a = await alarmThenClose(rig); // its STOP's ACK (n=3) lost
    rig.clock.advance(3 * 60_000);
    await send(rig, 4, 'ALM');
    const b = opened(rig)[1]?.['incidentId'] as string;
    expect(await rig.core.locate(b, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();
    rig.clock.advance(20_000);
    await send(rig, 5, 'ACK'); // the LOCATE's, or the STOP's: taken as the STOP's (the oldest waiting)
    await rig.core.idle();
    expect(stopped(rig)).toEqual([[a, 'handset']]);
    expect((await rig.core.getIncident(b))?.['tracking']).toBe(true);
  });
});
