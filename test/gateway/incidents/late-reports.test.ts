// A report of an alarm the control room has already handled, delivered late (an SMS held while the handset
// was out of coverage, or while the gateway was down): numbered below the last report of the handset's last
// closed incident, it opens nothing, however late it arrives. A late ALM sounded a second alarm with an old
// position; a late TRK opened an incident "from tracking". A new alarm is numbered above and opens one, and so
// does a late ALM that would have been a new alarm before the close (a second press, whose TRKs overtook it)
// or a live one after a test; a re-keyed handset (re-issued, its counters started again) is not judged by its
// old holder's incidents.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SteppingClock } from '../../support/stepping-clock.js';
import { HANDSET_NUMBER, START, deliver, registration, report, startRig, tmpDir, type Rig } from '../core/harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;
const ENGINEER = { username: 'eng', role: 'engineer' } as const;
const MINUTE = 60_000;

/** A report of `event` numbered `n`, sent now by the handset's clock. */
async function send(rig: Rig, n: number, event: 'ALM' | 'TRK', key?: Parameters<typeof report>[1]): Promise<void> {
  await rig.sms(deliver(report({ counter: n, event }, key, rig.clock.now()), HANDSET_NUMBER, n));
}

/** An alarm (ALM 1, TRKs 3..5; TRK 2 and the ALM of a second press, 6, held by the network), handled and closed. */
async function handledAlarm(rig: Rig): Promise<string> {
  await send(rig, 1, 'ALM');
  for (const n of [3, 4, 5]) await send(rig, n, 'TRK');
  const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
  expect(await rig.core.close(id, { outcome: 'officers-attended' }, HANDLER)).toMatchObject({ ok: true });
  return id;
}

/** An alarm whose ALM (1) the network held: its TRKs 2..5 opened the incident, which was handled and closed. */
async function heldAlarm(rig: Rig): Promise<number> {
  const pressedAt = rig.clock.now();
  for (const n of [2, 3, 4, 5]) await send(rig, n, 'TRK');
  const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
  expect(await rig.core.close(id, { outcome: 'officers-attended' }, HANDLER)).toMatchObject({ ok: true });
  return pressedAt;
}

describe('a report of a handled alarm, delivered after its incident closed', () => {
  it('a late TRK opens nothing, even hours after the close; a new alarm\'s TRK (numbered above) does', async () => {
    const rig = await startRig();
    await handledAlarm(rig);
    rig.clock.advance(3 * 60 * MINUTE);
    await send(rig, 2, 'TRK');
    expect(rig.ofType('report.accepted').at(-1)).toMatchObject({ counter: 2, event: 'TRK', incidentId: null });
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    // A new press whose ALM (7) was lost: its TRK is numbered above everything the closed incident had.
    await send(rig, 8, 'TRK');
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'alarm' }, { cause: 'tracking', priority: 'tecsos' }]);
  });

  it('the late ALM of the handled alarm opens nothing (no second alarm with an old position); a new ALM does', async () => {
    const rig = await startRig();
    const pressedAt = await heldAlarm(rig);
    rig.clock.advance(20 * MINUTE);
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }, undefined, pressedAt), HANDSET_NUMBER, 1));
    expect(rig.ofType('report.accepted').at(-1)).toMatchObject({ counter: 1, event: 'ALM', incidentId: null });
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    await send(rig, 9, 'ALM');
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'tracking' }, { cause: 'alarm', priority: 'tecsos' }]);
  });

  it('the late ALM of a second press (its TRKs overtook it and joined the incident) opens one: no one has seen it', async () => {
    const rig = await startRig();
    await send(rig, 1, 'ALM');
    for (const n of [2, 3]) await send(rig, n, 'TRK');
    const pressedAt = rig.clock.now();
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    // The victim holds the button again: ALM 4, held by the network; TRKs 5 and 6 after it arrive first.
    for (const n of [5, 6]) {
      rig.clock.advance(MINUTE / 2);
      await send(rig, n, 'TRK');
    }
    expect(await rig.core.close(id, { outcome: 'officers-attended' }, HANDLER)).toMatchObject({ ok: true });
    rig.clock.advance(2 * MINUTE);
    await rig.sms(deliver(report({ counter: 4, event: 'ALM' }, undefined, pressedAt), HANDSET_NUMBER, 4));
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'alarm' }, { cause: 'alarm', priority: 'tecsos' }]);
  });

  it('a live ALM numbered below the last report of a closed test incident opens one: that incident was a test', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }, undefined, rig.clock.now()), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.locate(id, ENGINEER)).toMatchObject({ ok: true });
    rig.clock.advance(MINUTE);
    const pressedAt = rig.clock.now();
    // The victim's ALM 2 is held by the network; her TRK 3 answers the LOCATE and joins the test incident.
    await send(rig, 3, 'TRK');
    expect(rig.ofType('report.accepted').at(-1)).toMatchObject({ counter: 3, incidentId: id });
    expect(await rig.core.close(id, { outcome: 'test' }, ENGINEER)).toMatchObject({ ok: true });
    rig.clock.advance(MINUTE);
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }, undefined, pressedAt), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.opened')).toMatchObject([{ priority: 'test' }, { cause: 'alarm', priority: 'tecsos' }]);
  });

  it('a TRK 20 min after the provisioning test was closed opens an incident: a TST has no tail, her ALM was lost', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }, undefined, rig.clock.now()), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.close(id, { outcome: 'test' }, ENGINEER)).toMatchObject({ ok: true });
    rig.clock.advance(20 * MINUTE);
    await send(rig, 3, 'TRK');
    expect(rig.ofType('incident.opened')).toMatchObject([{ priority: 'test' }, { cause: 'tracking', priority: 'tecsos' }]);
  });

  it('the rule survives a restart from a snapshot', async () => {
    const file = path.join(tmpDir(), 'events.db');
    const first = await startRig({ file });
    const pressedAt = await heldAlarm(first);
    await first.stop();
    const second = await startRig({ file, clock: first.clock, register: [] });
    second.clock.advance(3 * 60 * MINUTE);
    await second.sms(deliver(report({ counter: 1, event: 'ALM' }, undefined, pressedAt), HANDSET_NUMBER, 1));
    expect(second.ofType('incident.opened')).toEqual([]);
  });

  it('a handset re-issued with a new key (counters started again) opens its new holder\'s alarm', async () => {
    const rig = await startRig();
    await handledAlarm(rig);
    rig.clock.advance(MINUTE);
    const key = new Uint8Array(32).fill(3);
    expect(await rig.core.registerHandset({ ...registration(), key, replace: true, victim: { name: 'Mary Roe', safetyNotes: 'New holder', riskMarkers: [] } }, ENGINEER)).toMatchObject({ ok: true });
    rig.clock.advance(MINUTE);
    await send(rig, 1, 'ALM', key);
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'alarm' }, { cause: 'alarm', priority: 'tecsos' }]);
  });
});

describe('a close stamped while the wall clock ran ahead, then put right', () => {
  it('a re-issue after it: the new holder\'s first alarm opens one (the old incident is the old key\'s by log order, whatever its time)', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock });
    clock.stepWall(24 * 60 * MINUTE);
    await heldAlarm(rig); // opened by TRKs 2..5 (its ALM held): counters up to 5, no ALM of its own
    clock.stepWall(-24 * 60 * MINUTE);
    clock.advance(MINUTE);
    const key = new Uint8Array(32).fill(3);
    expect(await rig.core.registerHandset({ ...registration(), key, replace: true, victim: { name: 'Mary Roe', safetyNotes: 'New holder', riskMarkers: [] } }, ENGINEER)).toMatchObject({ ok: true });
    clock.advance(MINUTE);
    // Her handset's counters started again under the new key: ALM 1 is her first alarm, not the old one's.
    await send(rig, 1, 'ALM', key);
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'tracking' }, { cause: 'alarm', priority: 'tecsos' }]);
    // The old holder's incident, closed before the re-issue, shows no one's record: not the new holder's.
    const old = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect((await rig.core.getIncident(old))?.victim).toBeNull();
  });


  it('her next lost alarm\'s TRKs open an incident: the close is not an hour ago, whatever its time says', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock });
    clock.stepWall(24 * 60 * MINUTE);
    await handledAlarm(rig);
    clock.stepWall(-24 * 60 * MINUTE);
    clock.advance(3 * 60 * MINUTE);
    // A new alarm, its ALM (10) lost: its TRKs are all the control room gets.
    await send(rig, 11, 'TRK');
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'alarm' }, { cause: 'tracking', priority: 'tecsos' }]);
  });

  it('a later incident\'s close is the last one: its tail and its late reports open nothing', async () => {
    const clock = new SteppingClock(START);
    const rig = await startRig({ clock });
    clock.stepWall(24 * 60 * MINUTE);
    await handledAlarm(rig);
    clock.stepWall(-24 * 60 * MINUTE);
    clock.advance(3 * 60 * MINUTE);
    await send(rig, 10, 'ALM');
    for (const n of [12, 13]) await send(rig, n, 'TRK');
    const second = rig.ofType('incident.opened')[1]?.['incidentId'] as string;
    expect(await rig.core.close(second, { outcome: 'officers-attended' }, HANDLER)).toMatchObject({ ok: true });
    rig.clock.advance(10 * MINUTE);
    await send(rig, 14, 'TRK'); // the tail: tracking goes on after a close
    await send(rig, 11, 'TRK'); // held by the network
    expect(rig.ofType('incident.opened')).toHaveLength(2);
  });
});
