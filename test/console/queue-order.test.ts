// The queue's one order: TecSOS first, then "TecSOS range, unregistered", ordinary, test; ringing before calls
// already on a handler; then the longest waiting first.
import { beforeEach, describe, expect, it } from 'vitest';
import { ConsoleState } from '../../console/console-state.js';
import { PRIORITY_LABEL, queueOf } from '../../console/queue-order.js';
import { make, opened, resetSeq, ringing, T0 } from './events.js';

beforeEach(() => resetSeq());

describe('queueOf', () => {
  it('puts a new TecSOS call above an ordinary call that has waited longer', () => {
    const s = new ConsoleState();
    s.apply(ringing('old-ordinary', 'ordinary', T0));
    s.apply(ringing('test', 'test', T0 - 60_000));
    s.apply(ringing('unreg', 'tecsos-unregistered', T0 + 5000));
    s.apply(ringing('tecsos', 'tecsos', T0 + 10_000));
    expect(queueOf(s).map((q) => q.callId)).toEqual(['tecsos', 'unreg', 'old-ordinary', 'test']);
  });

  it('what needs a handler first: a ringing unregistered TecSOS-range call above an answered TecSOS call and an acknowledged alarm', () => {
    const s = new ConsoleState();
    s.apply(ringing('answered', 'tecsos', T0));
    s.apply(make({ type: 'call.answered', callId: 'answered', lineId: 'line1', by: 'jo' }));
    s.apply(opened('inc-ack', T0 - 1000));
    s.apply(make({ type: 'incident.acknowledged', incidentId: 'inc-ack', by: 'jo' }));
    s.apply(ringing('ordinary', 'ordinary', T0 - 60_000));
    s.apply(ringing('unreg', 'tecsos-unregistered', T0 + 5000));
    expect(queueOf(s).map((q) => q.key)).toEqual(['call:unreg', 'incident:inc-ack', 'call:answered', 'call:ordinary']);
  });

  it('within a class: ringing first, then by waiting time', () => {
    const s = new ConsoleState();
    s.apply(ringing('a', 'tecsos', T0));
    s.apply(ringing('b', 'tecsos', T0 + 1000));
    s.apply(ringing('c', 'tecsos', T0 + 2000));
    s.apply(make({ type: 'call.answered', callId: 'a', lineId: 'line1', by: 'jo' }));
    expect(queueOf(s).map((q) => q.callId)).toEqual(['b', 'c', 'a']);
  });

  it('lists a TecSOS alarm with no call, and not the incident of a live call twice; ended calls leave', () => {
    const s = new ConsoleState();
    s.apply(opened('inc-alarm', T0));
    s.apply(ringing('c1', 'tecsos', T0 + 1000, { incidentId: 'inc-call', handsetId: 'TS-0001' }));
    s.apply(opened('inc-call', T0 + 1000, 'c1'));
    s.apply(ringing('c2', 'ordinary', T0));
    s.apply(make({ type: 'call.ended', callId: 'c2', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null }));
    const q = queueOf(s);
    expect(q.map((x) => x.key)).toEqual(['incident:inc-alarm', 'call:c1']);
    expect(q[0]?.state).toBe('alarm');
  });

  it('labels every priority in words', () => {
    expect(PRIORITY_LABEL.tecsos).toBe('TecSOS');
    expect(PRIORITY_LABEL['tecsos-unregistered']).toBe('TecSOS range, unregistered');
    expect(PRIORITY_LABEL.test).toBe('Test call');
  });
});
