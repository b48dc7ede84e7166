// The queue's one order: TecSOS first, then "TecSOS range, unregistered", ordinary, test; ringing before calls
// already on a handler; then the longest waiting first.
import { beforeEach, describe, expect, it } from 'vitest';
import { ConsoleState } from '../../console/console-state.js';
import { MISSED_FOR_MS, missedOf, PRIORITY_LABEL, queueOf } from '../../console/queue-order.js';
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

  it('an alarm row says whether its incident has had a call: none yet, or one that has ended', () => {
    const s = new ConsoleState();
    s.apply(opened('inc-1', T0));
    expect(queueOf(s)).toMatchObject([{ key: 'incident:inc-1', state: 'alarm', hadCall: false }]);
    s.apply(ringing('c1', 'tecsos', T0 + 1000, { handsetId: 'TS-0001', incidentId: 'inc-1' }));
    s.apply(make({ type: 'call.ended', callId: 'c1', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null }, T0 + 5000));
    expect(queueOf(s)).toMatchObject([{ key: 'incident:inc-1', state: 'alarm', hadCall: true }]);
  });

  it('labels every priority in words', () => {
    expect(PRIORITY_LABEL.tecsos).toBe('TecSOS');
    expect(PRIORITY_LABEL['tecsos-unregistered']).toBe('TecSOS range, unregistered');
    expect(PRIORITY_LABEL.ordinary).toBe('999 call');
    expect(PRIORITY_LABEL.test).toBe('Test call');
  });
});

describe('missedOf', () => {
  const ended = (callId: string, endedBy: 'caller' | 'handler' | 'network', at: number) =>
    make({ type: 'call.ended', callId, lineId: 'line1', endedBy, by: endedBy === 'handler' ? 'jo' : null, talkSeconds: null }, at);

  it('lists calls that ended before anyone answered them, TecSOS first, then the newest; not those a handler ended, answered or test calls', () => {
    const s = new ConsoleState();
    s.apply(ringing('unreg', 'tecsos-unregistered', T0, { callerNumber: '+447700900999' }));
    s.apply(ended('unreg', 'caller', T0 + 20_000));
    s.apply(ringing('ord-old', 'ordinary', T0 + 1000));
    s.apply(ended('ord-old', 'network', T0 + 30_000));
    s.apply(ringing('ord-new', 'ordinary', T0 + 2000));
    s.apply(ended('ord-new', 'caller', T0 + 40_000));
    s.apply(ringing('rejected', 'ordinary', T0 + 3000));
    s.apply(ended('rejected', 'handler', T0 + 5000));
    s.apply(ringing('talked', 'tecsos-unregistered', T0 + 4000));
    s.apply(make({ type: 'call.answered', callId: 'talked', lineId: 'line1', by: 'jo' }));
    s.apply(ended('talked', 'caller', T0 + 60_000));
    s.apply(ringing('test', 'test', T0 + 5000));
    s.apply(ended('test', 'caller', T0 + 6000));
    const missed = missedOf(s, T0 + 120_000);
    expect(missed.map((m) => m.callId)).toEqual(['unreg', 'ord-new', 'ord-old']);
    expect(missed[0]).toMatchObject({ key: 'call:unreg', callerNumber: '+447700900999', priority: 'tecsos-unregistered', endedBy: 'caller', lineId: 'line1' });
    // None of them is in the queue: they would have vanished from the screen.
    expect(queueOf(s).map((q) => q.callId)).toEqual([]);
  });

  it('drops a missed call after 30 minutes, and one whose incident is still in the queue until the incident closes', () => {
    const s = new ConsoleState();
    s.apply(ringing('c1', 'ordinary', T0));
    s.apply(ended('c1', 'caller', T0 + 10_000));
    expect(missedOf(s, T0 + 10_000 + MISSED_FOR_MS).map((m) => m.callId)).toEqual(['c1']);
    expect(missedOf(s, T0 + 10_001 + MISSED_FOR_MS)).toEqual([]);
    // A registered handset's call: its alarm stays in the queue, so the call is not listed twice.
    s.apply(opened('inc-1', T0, null));
    s.apply(ringing('c2', 'tecsos', T0 + 1000, { handsetId: 'TS-0001', incidentId: 'inc-1' }));
    s.apply(ended('c2', 'network', T0 + 20_000));
    expect(queueOf(s).map((q) => q.key)).toEqual(['incident:inc-1']);
    expect(missedOf(s, T0 + 30_000).map((m) => m.callId)).toEqual(['c1']);
    s.apply(make({ type: 'incident.closed', incidentId: 'inc-1', by: 'jo', outcome: 'no-trace' }));
    expect(missedOf(s, T0 + 30_000).map((m) => m.callId)).toEqual(['c2', 'c1']);
  });

  it('keeps a missed call for 30 minutes after it ended, not a millisecond longer', () => {
    const s = new ConsoleState();
    s.apply(ringing('c1', 'tecsos-unregistered', T0));
    s.apply(ended('c1', 'caller', T0 + 10_000));
    expect(missedOf(s, T0 + 10_000 + 30 * 60_000).map((m) => m.callId)).toEqual(['c1']);
    expect(missedOf(s, T0 + 10_000 + 30 * 60_000 + 1)).toEqual([]);
  });

  it('lists at most 10 missed calls, the newest', () => {
    const s = new ConsoleState();
    for (let i = 0; i < 12; i++) {
      s.apply(ringing(`c${i}`, 'ordinary', T0 + i * 60_000));
      s.apply(ended(`c${i}`, 'caller', T0 + i * 60_000 + 10_000));
    }
    expect(missedOf(s, T0 + 12 * 60_000).map((m) => m.callId)).toEqual(['c11', 'c10', 'c9', 'c8', 'c7', 'c6', 'c5', 'c4', 'c3', 'c2']);
  });

  it('does not list the call of an acknowledged incident that is still in the queue (its alarm row stands for it)', () => {
    const s = new ConsoleState();
    s.apply(opened('inc-1', T0));
    s.apply(ringing('c1', 'tecsos', T0 + 1000, { handsetId: 'TS-0001', incidentId: 'inc-1' }));
    s.apply(make({ type: 'incident.acknowledged', incidentId: 'inc-1', by: 'jo' }, T0 + 2000));
    s.apply(ended('c1', 'caller', T0 + 9000));
    expect(queueOf(s).map((q) => q.key)).toEqual(['incident:inc-1']);
    expect(missedOf(s, T0 + 10_000)).toEqual([]);
  });
});
