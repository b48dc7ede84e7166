// The state line of a queue row: a TecSOS alarm with no call yet says so (the 999 call may follow); a test
// alarm (the TST that every provisioning and `tecsos test-alarm` send) says that no 999 call comes, so a
// handler does not wait for one or read it as a live alarm.
import { describe, expect, it } from 'vitest';
import { ConsoleState } from '../../console/console-state.js';
import { queueOf, type QueueItem } from '../../console/queue-order.js';
import { stateName, stateText } from '../../console/queue-view.js';
import { make, opened, ringing, T0 } from './events.js';

function alarm(priority: QueueItem['priority'], incidentState: 'open' | 'acknowledged' = 'open'): QueueItem {
  return {
    key: 'incident:INC-000001', callId: null, incidentId: 'INC-000001', priority, state: 'alarm', since: '2026-11-24T05:00:00.000Z',
    callerNumber: null, handsetId: 'TS-0101', lineId: null, force: 'West Yorkshire Police', answeredBy: null, incidentState, hadCall: false,
  };
}

describe('queue row state line', () => {
  it('a TecSOS alarm with no call: ALARM, no call yet', () => {
    expect(stateText(alarm('tecsos'), 65)).toBe('ALARM, no call yet · waiting 1:05');
  });

  it('a test alarm: TEST ALARM, no 999 call (never "no call yet")', () => {
    expect(stateText(alarm('test'), 65)).toBe('TEST ALARM, no 999 call · waiting 1:05');
    expect(stateText(alarm('test', 'acknowledged'), 5)).toBe('TEST ALARM, no 999 call · acknowledged · open 0:05');
  });

  it('an alarm whose 999 call was answered and hung up (the incident still open, tracking): ALARM, call ended, not "no call yet"', () => {
    // Review (24 Nov, real gateway + handset sim): after the handler hung up, the row read "ALARM, no call yet ·
    // acknowledged", as if the 999 call were still to come.
    const state = new ConsoleState();
    for (const e of [
      opened('INC-1', T0, 'CALL-1'),
      ringing('CALL-1', 'tecsos', T0, { handsetId: 'TS-0001', incidentId: 'INC-1', force: 'Test Force' }),
      make({ type: 'call.answered', callId: 'CALL-1', lineId: 'line1', by: 'sam' }, T0 + 5_000),
      make({ type: 'incident.acknowledged', incidentId: 'INC-1', by: 'sam' }, T0 + 6_000),
      make({ type: 'call.ended', callId: 'CALL-1', lineId: 'line1', endedBy: 'handler', by: 'sam', talkSeconds: 60 }, T0 + 65_000),
    ]) state.apply(e);
    const [row] = queueOf(state);
    expect(row?.key).toBe('incident:INC-1');
    // Acknowledged, nobody is waiting: the clock is the incident's age ("waiting 1:10" read as her still waiting).
    expect(stateText(row as QueueItem, 70)).toBe('ALARM, call ended · acknowledged · open 1:10');
    expect(stateName(row as QueueItem, T0 + 70_000)).toMatch(/^ALARM, call ended · acknowledged · open since \d\d:\d\d/);
  });

  it('a test incident whose test 999 call ended: TEST ALARM, call ended, not "no 999 call"', () => {
    // A handset the registry has in test mode that calls 999: the gateway opens a test incident with that call
    // (gateway/incidents/call-events.ts). Once the call ended, the row said no 999 call had come.
    const state = new ConsoleState();
    for (const e of [
      make({ type: 'incident.opened', incidentId: 'INC-1', handsetId: 'TS-0001', cause: 'test', priority: 'test', callId: 'CALL-1', force: null }, T0),
      ringing('CALL-1', 'test', T0, { handsetId: 'TS-0001', incidentId: 'INC-1' }),
      make({ type: 'call.answered', callId: 'CALL-1', lineId: 'line1', by: 'sam' }, T0 + 5_000),
      make({ type: 'call.ended', callId: 'CALL-1', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: 20 }, T0 + 25_000),
    ]) state.apply(e);
    const [row] = queueOf(state);
    expect(row?.key).toBe('incident:INC-1');
    expect(stateText(row as QueueItem, 30)).toBe('TEST ALARM, call ended · waiting 0:30');
  });
});
