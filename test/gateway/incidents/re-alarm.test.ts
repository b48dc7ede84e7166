// A new alarm into an incident a handler has acknowledged but not closed (the victim holds the button again,
// minutes or days later) must take a handler's attention again: incident.re-alarmed, the incident open (not
// acknowledged) once more. The late first ALM of an incident its call opened is that call's alarm, not a new one.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDSET_NUMBER, deliver, invalidPublicEvents, registration, report, startRig, tmpDir } from '../core/harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;
const ENGINEER = { username: 'eng', role: 'engineer' } as const;
const HOUR = 3_600_000;

describe('a new alarm into an acknowledged incident', () => {
  it('is incident.re-alarmed: the incident is open again until a handler acknowledges it again', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.re-alarmed')).toEqual([]);
    rig.clock.advance(2 * HOUR);
    await rig.sms(deliver(report({ counter: 3, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 3));
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    expect(rig.ofType('incident.re-alarmed')).toMatchObject([{ incidentId: id, handsetId: 'TS-0001', reportCounter: 3 }]);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'open', acknowledgedBy: null });
    expect((await rig.core.listIncidents({ state: 'open' })).map((i) => i.id)).toEqual([id]);
    // Acknowledged again; an ALM while it is open (not acknowledged) needs nothing more.
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'handler' });
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });

  it('not for the first ALM of an incident its call opened (the SMS came after the call), nor for an open incident', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'call' }]);
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    expect(rig.ofType('incident.re-alarmed')).toEqual([]);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'acknowledged' });
    // The next ALM is a new alarm.
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.re-alarmed')).toMatchObject([{ incidentId: id, reportCounter: 2 }]);
    // Open (not acknowledged): a further ALM joins it, nothing to re-open.
    await rig.sms(deliver(report({ counter: 3, event: 'ALM' }), HANDSET_NUMBER, 3));
    expect(rig.ofType('incident.re-alarmed')).toHaveLength(1);
  });

  it('not for the first ALM of an incident its call opened, even numbered above a TRK that joined first', async () => {
    // The handset numbers a report when it sends it: its ALM, held up behind a TRK or sent again after a
    // reboot, can come numbered above the alarm's own TRKs. It is still the call's alarm (docs/gateway.md).
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    await rig.sms(deliver(report({ counter: 1, event: 'TRK' }), HANDSET_NUMBER, 1));
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.re-alarmed')).toEqual([]);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'acknowledged' });
  });

  it('not while a handler is on the incident\'s answered call (she is talking to the control room)', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    await rig.ring(HANDSET_NUMBER);
    const callId = rig.ofType('call.ringing')[0]?.['callId'] as string;
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    expect(await rig.core.answer(callId, HANDLER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.re-alarmed')).toEqual([]);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'acknowledged' });
  });

  it('is decided the same after a restart (the count of an incident\'s alarms is in the snapshot and the log)', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const first = await startRig({ file });
    await first.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const id = first.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await first.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    await first.stop();
    const second = await startRig({ file, clock: first.clock });
    await second.sms(deliver(report({ counter: 2, event: 'ALM' }, undefined, second.clock.now()), HANDSET_NUMBER, 2));
    expect(second.ofType('incident.re-alarmed')).toMatchObject([{ incidentId: id, reportCounter: 2 }]);
    expect(await second.core.getIncident(id)).toMatchObject({ state: 'open' });
    await second.stop();
  });

  it('not for the alarm gesture of a handset in test mode (an engineer\'s test, never a live alarm): the acknowledged incident stays acknowledged', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    expect(await rig.core.registerHandset({ ...registration(), replace: true, testMode: true }, ENGINEER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.re-alarmed')).toEqual([]);
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'handler' });
    // Out of test mode again, the victim's next hold of the button is a new alarm.
    expect(await rig.core.registerHandset({ ...registration(), replace: true, testMode: false }, ENGINEER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 3, event: 'ALM' }), HANDSET_NUMBER, 3));
    expect(rig.ofType('incident.re-alarmed')).toMatchObject([{ incidentId: id, reportCounter: 3 }]);
  });
  it('not for an acknowledged test incident: a live ALM after test mode ends opens a live incident, the test one stays closed', async () => {
    const rig = await startRig({ register: [registration({ testMode: true })] });
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    const test = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.acknowledge(test, {}, HANDLER)).toMatchObject({ ok: true });
    expect(await rig.core.registerHandset({ ...registration(), replace: true, testMode: false }, ENGINEER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }), HANDSET_NUMBER, 2));
    expect(rig.ofType('incident.opened')).toMatchObject([{ priority: 'test' }, { cause: 'alarm', priority: 'tecsos' }]);
    expect(rig.ofType('incident.re-alarmed')).toEqual([]);
    expect(await rig.core.getIncident(test)).toMatchObject({ state: 'closed' });
  });
});
