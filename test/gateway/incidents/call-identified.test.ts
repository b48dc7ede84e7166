// call.identified (gateway/incidents/call-events.ts): the number of a call that rang with number null because its
// modem could not say it then (gateway/lines/call-tracker.ts). Decided as a ringing would have been, on the same
// call: never a second call, never over a number the call already shows; her open alarm incident is joined.
import { describe, expect, it } from 'vitest';
import { HANDSET_NUMBER, ORDINARY_NUMBER, deliver, report, startRig } from '../core/harness.js';

const identify = async (rig: Awaited<ReturnType<typeof startRig>>, number: string, lineId = 'L1') => {
  rig.core.onCall({ kind: 'identified', lineId, at: rig.clock.now(), number, toa: 145 });
  await rig.core.idle();
};

describe('a call whose number comes after it rang with none', () => {
  it('her handset: the same call becomes TecSOS with an incident, in the REST view too', async () => {
    const rig = await startRig();
    await rig.ring(null);
    rig.clock.advance(3000);
    await identify(rig, HANDSET_NUMBER);
    const [ringing] = rig.ofType('call.ringing');
    expect(ringing).toMatchObject({ callerNumber: null, priority: 'ordinary' });
    const opened = rig.ofType('incident.opened');
    expect(opened).toEqual([expect.objectContaining({ handsetId: 'TS-0001', cause: 'call', callId: ringing?.['callId'] })]);
    expect(rig.ofType('call.identified')).toEqual([
      expect.objectContaining({ callId: ringing?.['callId'], callerNumber: HANDSET_NUMBER, priority: 'tecsos', handsetId: 'TS-0001', incidentId: opened[0]?.['incidentId'] }),
    ]);
    const calls = rig.core.state.calls.list(rig.clock.now(), 3600_000);
    expect(calls).toEqual([expect.objectContaining({ id: ringing?.['callId'], callerNumber: HANDSET_NUMBER, priority: 'tecsos', state: 'ringing' })]);
    expect(rig.core.state.incidents.get(opened[0]?.['incidentId'] as string)?.callIds).toEqual([ringing?.['callId']]);
  });

  it('her ALM came first: the call joins her open alarm incident', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const [alarm] = rig.ofType('incident.opened');
    await rig.ring(null);
    await identify(rig, HANDSET_NUMBER);
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    expect(rig.ofType('call.identified')[0]).toMatchObject({ incidentId: alarm?.['incidentId'], priority: 'tecsos' });
    expect(rig.core.state.incidents.get(alarm?.['incidentId'] as string)?.callIds).toHaveLength(1);
  });

  it('answered by a handler first: the answered call is flagged, still answered', async () => {
    const rig = await startRig();
    await rig.ring(null);
    rig.core.onCall({ kind: 'answered', lineId: 'L1', at: rig.clock.now() });
    await rig.core.idle();
    await identify(rig, HANDSET_NUMBER);
    expect(rig.core.state.calls.list(rig.clock.now(), 3600_000)).toEqual([expect.objectContaining({ state: 'answered', callerNumber: HANDSET_NUMBER, priority: 'tecsos' })]);
    expect(rig.ofType('call.ringing')).toHaveLength(1);
  });

  it('a number already shown is never replaced, and a second identification is nothing', async () => {
    const rig = await startRig();
    await rig.ring(ORDINARY_NUMBER);
    await identify(rig, HANDSET_NUMBER);
    expect(rig.ofType('call.identified')).toEqual([]);
    expect(rig.ofType('incident.opened')).toEqual([]);
    await rig.ring(null, 'L2');
    await identify(rig, ORDINARY_NUMBER, 'L2');
    await identify(rig, HANDSET_NUMBER, 'L2');
    expect(rig.ofType('call.identified')).toEqual([expect.objectContaining({ lineId: 'L2', callerNumber: ORDINARY_NUMBER, priority: 'ordinary' })]);
    expect(rig.ofType('call.ringing')).toHaveLength(2);
  });

  it('no call on the line (it ended): nothing', async () => {
    const rig = await startRig();
    await identify(rig, HANDSET_NUMBER);
    expect(rig.ofType('call.identified')).toEqual([]);
  });
});
