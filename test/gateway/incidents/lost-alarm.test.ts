// A handset tracks only after an alarm. When its ALM SMS is lost and its call does not come through, its TRK
// reports are the only sign of the alarm: the first one opens an incident (cause `tracking`, TecSOS), so the
// control room sees her and her track. The TRKs that legitimately come with no open incident open nothing:
// a LOCATE's answer, and the tail of tracking after a handler closed the alarm's incident.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDSET_NUMBER, deliver, invalidPublicEvents, keepSnapshot, registration, report, startRig, tmpDir } from '../core/harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;
const ENGINEER = { username: 'eng', role: 'engineer' } as const;
const MINUTE = 60_000;

describe('a TRK from a handset with no open incident', () => {
  it('opens a TecSOS incident (its alarm SMS was lost): the track, a later call and the late ALM join it', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 1));
    expect(rig.ofType('incident.opened')).toMatchObject([{ handsetId: 'TS-0001', cause: 'tracking', priority: 'tecsos', callId: null }]);
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(rig.ofType('fix')).toMatchObject([{ incidentId: id }]);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'open', cause: 'tracking', priority: 'tecsos', tracking: true });
    await rig.sms(deliver(report({ counter: 3, event: 'TRK' }), HANDSET_NUMBER, 2));
    await rig.ring(HANDSET_NUMBER);
    expect(rig.ofType('call.ringing')).toMatchObject([{ incidentId: id, priority: 'tecsos' }]);
    // The lost ALM arrives after all: it is this incident's alarm, not a new one.
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 3));
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    expect(rig.ofType('incident.re-alarmed')).toEqual([]);
    expect(rig.ofType('fix').every((f) => f['incidentId'] === id)).toBe(true);
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });

  it.each(['live', 'snapshot', 'log'])('a new press (an ALM numbered after its TRKs) re-alarms the acknowledged incident (%s)', async (from) => {
    const file = path.join(tmpDir(), 'events.db');
    const first = await startRig({ file });
    await first.sms(deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 1));
    await first.sms(deliver(report({ counter: 3, event: 'TRK' }), HANDSET_NUMBER, 2));
    const id = first.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await first.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    let rig = first;
    if (from !== 'live') {
      await first.stop();
      keepSnapshot(file, from === 'snapshot');
      rig = await startRig({ file, clock: first.clock, register: [] });
    }
    // Ten minutes on she holds the button again; this ALM (n=9) is no late copy of the lost one (n=1).
    rig.clock.advance(10 * MINUTE);
    await rig.sms(deliver(report({ counter: 9, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 3));
    expect(rig.ofType('incident.re-alarmed')).toMatchObject([{ incidentId: id, reportCounter: 9 }]);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'open' });
  });

  it('opens nothing when it answers a LOCATE (after the ACK); a TRK long after the LOCATE does', async () => {
    const rig = await startRig();
    expect(await rig.core.sendCommand('TS-0001', { kind: 'LOCATE' }, ENGINEER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 1, event: 'ACK' }), HANDSET_NUMBER, 1));
    rig.clock.advance(MINUTE);
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 2));
    expect(rig.ofType('report.accepted')).toMatchObject([{ event: 'ACK' }, { event: 'TRK', incidentId: null }]);
    expect(rig.ofType('fix').map((f) => f['incidentId'])).toEqual([null, null]);
    expect(rig.ofType('incident.opened')).toEqual([]);
    rig.clock.advance(60 * MINUTE);
    await rig.sms(deliver(report({ counter: 3, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 3));
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'tracking', priority: 'tecsos' }]);
  });

  it.each(['live', 'snapshot', 'log'])('a LOCATE sent to the previous holder lets none of the new holder\'s TRKs pass after a re-issue (%s)', async (from) => {
    const file = path.join(tmpDir(), 'events.db');
    const first = await startRig({ file });
    expect(await first.core.sendCommand('TS-0001', { kind: 'LOCATE' }, ENGINEER)).toMatchObject({ ok: true });
    first.clock.advance(60 * MINUTE);
    const key = new Uint8Array(32).fill(3);
    expect(await first.core.registerHandset({ ...registration(), key, replace: true, victim: { name: 'Mary Roe', safetyNotes: 'New holder', riskMarkers: [] } }, ENGINEER)).toMatchObject({ ok: true });
    let rig = first;
    if (from !== 'live') {
      await first.stop();
      keepSnapshot(file, from === 'snapshot');
      rig = await startRig({ file, clock: first.clock, register: [] });
    }
    rig.clock.advance(60 * MINUTE);
    // Her ALM (1) lost: her first TRK is all the control room gets.
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }, key, rig.clock.now()), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'tracking', priority: 'tecsos' }]);
  });

  it('a LOCATE lets one TRK pass, not all: a lost alarm just after an engineer\'s LOCATE opens at its next TRK', async () => {
    const rig = await startRig();
    expect(await rig.core.sendCommand('TS-0001', { kind: 'LOCATE' }, ENGINEER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 1, event: 'ACK' }), HANDSET_NUMBER, 1));
    rig.clock.advance(MINUTE);
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.opened')).toEqual([]);
    // Two minutes later she holds the button; its ALM (n=3) is lost. Her first TRK is no LOCATE's answer.
    rig.clock.advance(2 * MINUTE);
    await rig.sms(deliver(report({ counter: 4, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 4));
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'tracking', priority: 'tecsos' }]);
  });

  it('a LOCATE the network delivered hours later (the handset was off) is answered: its TRK opens nothing; the next does', async () => {
    const rig = await startRig();
    expect(await rig.core.sendCommand('TS-0001', { kind: 'LOCATE' }, ENGINEER)).toMatchObject({ ok: true });
    rig.clock.advance(180 * MINUTE);
    await rig.core.idle();
    expect(rig.ofType('command.result').map((e) => e['result'])).toEqual(['sent', 'timeout']);
    await rig.sms(deliver(report({ counter: 1, event: 'ACK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 1));
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.opened')).toEqual([]);
    await rig.sms(deliver(report({ counter: 4, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 4));
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'tracking', priority: 'tecsos' }]);
  });

  it.each(['snapshot', 'log'])('two LOCATEs let two TRKs pass, also after a restart from the %s', async (from) => {
    const file = path.join(tmpDir(), 'events.db');
    const first = await startRig({ file });
    for (let i = 0; i < 2; i++) expect(await first.core.sendCommand('TS-0001', { kind: 'LOCATE' }, ENGINEER)).toMatchObject({ ok: true });
    await first.sms(deliver(report({ counter: 1, event: 'TRK' }, undefined, first.clock.now()), HANDSET_NUMBER, 1));
    await first.stop();
    keepSnapshot(file, from === 'snapshot');
    const second = await startRig({ file, clock: first.clock, register: [] });
    await second.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, second.clock.now()), HANDSET_NUMBER, 2));
    expect(second.ofType('incident.opened')).toEqual([]);
    await second.sms(deliver(report({ counter: 3, event: 'TRK' }, undefined, second.clock.now()), HANDSET_NUMBER, 3));
    expect(second.ofType('incident.opened')).toMatchObject([{ cause: 'tracking', priority: 'tecsos' }]);
  });

  it('never joins a test incident without an alarm (the provisioning TST) of a live handset: it opens a live incident', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }), HANDSET_NUMBER, 1));
    const test = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    rig.clock.advance(120 * MINUTE);
    await rig.sms(deliver(report({ counter: 3, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 3));
    expect(rig.ofType('incident.closed')).toMatchObject([{ incidentId: test, outcome: 'test', by: 'system' }]);
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'test' }, { cause: 'tracking', priority: 'tecsos' }]);
    const live = rig.ofType('incident.opened')[1]?.['incidentId'] as string;
    expect(rig.ofType('fix').map((f) => f['incidentId'])).toEqual([test, live]);
  });

  it("a test incident still takes an engineer's LOCATE answer, and a test-mode alarm's track", async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }), HANDSET_NUMBER, 1));
    expect(await rig.core.sendCommand('TS-0001', { kind: 'LOCATE' }, ENGINEER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 2, event: 'ACK' }), HANDSET_NUMBER, 2));
    await rig.sms(deliver(report({ counter: 3, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 3));
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    expect(rig.ofType('incident.closed')).toEqual([]);

    const other = await startRig({ register: [registration({ testMode: true })] });
    await other.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    await other.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, other.clock.now()), HANDSET_NUMBER, 2));
    expect(other.ofType('incident.opened')).toMatchObject([{ cause: 'test', priority: 'test' }]);
    expect(other.ofType('incident.closed')).toEqual([]);
  });

  it('opens nothing in the tail of tracking after its incident was closed; after the tail it does', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.close(id, { outcome: 'no-trace' }, HANDLER)).toMatchObject({ ok: true });
    for (let n = 2; n <= 4; n++) {
      rig.clock.advance(20 * MINUTE);
      await rig.sms(deliver(report({ counter: n, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, n));
    }
    expect(rig.ofType('report.accepted').filter((r) => r['event'] === 'TRK')).toHaveLength(3);
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    // 80 min after the close the default 60 min of tracking are long over: this TRK is a new, lost alarm's.
    rig.clock.advance(20 * MINUTE);
    await rig.sms(deliver(report({ counter: 5, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 5));
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'alarm' }, { cause: 'tracking', priority: 'tecsos' }]);
  });

  it('opens nothing in the tail of an incident her call opened (no ALM came), nor of a test-mode alarm\'s', async () => {
    // Her call opened the incident and no report came before the close: the alarm's TRKs still follow.
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'call' }]);
    expect(await rig.core.close(id, { outcome: 'no-trace' }, HANDLER)).toMatchObject({ ok: true });
    rig.clock.advance(20 * MINUTE);
    await rig.sms(deliver(report({ counter: 1, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 1));
    expect(rig.ofType('report.accepted')).toMatchObject([{ event: 'TRK', incidentId: null }]);
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    // A TRK joined it before the close: the same.
    const joined = await startRig();
    await joined.ring(HANDSET_NUMBER);
    const jid = joined.ofType('incident.opened')[0]?.['incidentId'] as string;
    await joined.sms(deliver(report({ counter: 1, event: 'TRK' }), HANDSET_NUMBER, 1));
    expect(await joined.core.close(jid, { outcome: 'no-trace' }, HANDLER)).toMatchObject({ ok: true });
    joined.clock.advance(20 * MINUTE);
    await joined.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, joined.clock.now()), HANDSET_NUMBER, 2));
    expect(joined.ofType('incident.opened')).toHaveLength(1);
    // A handset in test mode: its test alarm's tail opens no second test incident.
    const test = await startRig({ register: [registration({ testMode: true })] });
    await test.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const tid = test.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(test.ofType('incident.opened')).toMatchObject([{ cause: 'test', priority: 'test' }]);
    expect(await test.core.close(tid, { outcome: 'test' }, HANDLER)).toMatchObject({ ok: true });
    test.clock.advance(20 * MINUTE);
    await test.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, test.clock.now()), HANDSET_NUMBER, 2));
    expect(test.ofType('incident.opened')).toHaveLength(1);
  });

  it('in test mode, the late ALM of a test incident its TRK opened opens no second test incident after the close', async () => {
    const rig = await startRig({ register: [registration({ testMode: true })] });
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 2));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'test', priority: 'test' }]);
    expect(await rig.core.close(id, { outcome: 'test' }, HANDLER)).toMatchObject({ ok: true });
    // Its ALM (n=1), held up in the network, arrives after the close: the same test alarm.
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    expect(rig.ofType('report.accepted')).toHaveLength(2);
    expect(rig.ofType('incident.opened')).toHaveLength(1);
  });

  it('from a handset in test mode opens a test incident, never a live one', async () => {
    const rig = await startRig({ register: [registration({ testMode: true })] });
    await rig.sms(deliver(report({ counter: 1, event: 'TRK' }), HANDSET_NUMBER, 1));
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'test', priority: 'test' }]);
  });

  it.each(['LOCATE', 'close'])('the %s is remembered across a restart from a snapshot', async (what) => {
    // The core takes its snapshot at stop (gateway/core/snapshot.ts); a restart restores it.
    const file = path.join(tmpDir(), 'events.db');
    const first = await startRig({ file });
    if (what === 'LOCATE') {
      expect(await first.core.sendCommand('TS-0001', { kind: 'LOCATE' }, ENGINEER)).toMatchObject({ ok: true });
    } else {
      await first.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
      const id = first.ofType('incident.opened')[0]?.['incidentId'] as string;
      expect(await first.core.close(id, { outcome: 'no-trace' }, HANDLER)).toMatchObject({ ok: true });
    }
    await first.stop();
    const second = await startRig({ file, clock: first.clock, register: [] });
    await second.sms(deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 2));
    expect(second.ofType('report.accepted')).toMatchObject([{ event: 'TRK', incidentId: null }]);
    expect(second.ofType('incident.opened')).toEqual([]);
  });
});
