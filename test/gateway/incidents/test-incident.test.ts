// A test incident left open (the TST of AT+TSTEST, which every provisioning sends) must not absorb the victim's
// live alarm: the ALM or the TecSOS call opens a live incident, and the gateway closes the test one (`test`).
import { describe, expect, it } from 'vitest';
import { HANDSET_NUMBER, deliver, invalidPublicEvents, registration, report, startRig } from '../core/harness.js';

const DAY = 86_400_000;

describe('an open test incident and a live alarm', () => {
  it("the provisioning TST's incident is closed as a test and the ALM days later opens a live TecSOS incident", async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }), HANDSET_NUMBER, 1));
    const test = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(rig.ofType('incident.opened')).toMatchObject([{ cause: 'test', priority: 'test' }]);
    rig.clock.advance(3 * DAY);
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 2));
    const opened = rig.ofType('incident.opened');
    expect(opened).toHaveLength(2);
    const live = opened[1]?.['incidentId'] as string;
    expect(opened[1]).toMatchObject({ cause: 'alarm', priority: 'tecsos' });
    expect(rig.ofType('incident.closed')).toMatchObject([{ incidentId: test, by: 'system', outcome: 'test' }]);
    expect(rig.ofType('report.accepted').at(-1)).toMatchObject({ event: 'ALM', incidentId: live });
    expect(rig.ofType('fix').at(-1)).toMatchObject({ incidentId: live });
    expect((await rig.core.listIncidents({ state: 'open' })).map((i) => [i.id, i.priority])).toEqual([[live, 'tecsos']]);
    // The 999 call that follows joins the live incident.
    await rig.ring(HANDSET_NUMBER);
    expect(rig.ofType('call.ringing')).toMatchObject([{ priority: 'tecsos', incidentId: live }]);
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });

  it('a TecSOS call with no report yet does the same', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }), HANDSET_NUMBER, 1));
    const test = rig.ofType('incident.opened')[0]?.['incidentId'];
    await rig.ring(HANDSET_NUMBER);
    const opened = rig.ofType('incident.opened');
    expect(opened[1]).toMatchObject({ cause: 'call', priority: 'tecsos' });
    expect(rig.ofType('incident.closed')).toMatchObject([{ incidentId: test, outcome: 'test' }]);
    expect(rig.ofType('call.ringing')).toMatchObject([{ priority: 'tecsos', incidentId: opened[1]?.['incidentId'] }]);
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });

  it('a handset in test mode keeps its alarms in its test incident; a TST joins a live incident', async () => {
    const rig = await startRig({ register: [registration({ testMode: true })] });
    await rig.sms(deliver(report({ counter: 1, event: 'TST' }), HANDSET_NUMBER, 1));
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }), HANDSET_NUMBER, 2));
    await rig.ring(HANDSET_NUMBER);
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    expect(rig.ofType('incident.closed')).toEqual([]);

    const live = await startRig();
    await live.sms(deliver(report({ counter: 1, event: 'ALM' }), HANDSET_NUMBER, 1));
    await live.sms(deliver(report({ counter: 2, event: 'TST' }), HANDSET_NUMBER, 2));
    expect(live.ofType('incident.opened')).toMatchObject([{ priority: 'tecsos' }]);
    expect(live.ofType('incident.closed')).toEqual([]);
  });
});
