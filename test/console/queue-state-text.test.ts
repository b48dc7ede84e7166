// The state line of a queue row: a TecSOS alarm with no call yet says so (the 999 call may follow); a test
// alarm (the TST that every provisioning and `tecsos test-alarm` send) says that no 999 call comes, so a
// handler does not wait for one or read it as a live alarm.
import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../console/queue-order.js';
import { stateText } from '../../console/queue-view.js';

function alarm(priority: QueueItem['priority'], incidentState: 'open' | 'acknowledged' = 'open'): QueueItem {
  return {
    key: 'incident:INC-000001', callId: null, incidentId: 'INC-000001', priority, state: 'alarm', since: '2026-11-24T05:00:00.000Z',
    callerNumber: null, handsetId: 'TS-0101', lineId: null, force: 'West Yorkshire Police', answeredBy: null, incidentState,
  };
}

describe('queue row state line', () => {
  it('a TecSOS alarm with no call: ALARM, no call yet', () => {
    expect(stateText(alarm('tecsos'), 65)).toBe('ALARM, no call yet · waiting 1:05');
  });

  it('a test alarm: TEST ALARM, no 999 call (never "no call yet")', () => {
    expect(stateText(alarm('test'), 65)).toBe('TEST ALARM, no 999 call · waiting 1:05');
    expect(stateText(alarm('test', 'acknowledged'), 5)).toBe('TEST ALARM, no 999 call · acknowledged · waiting 0:05');
  });
});
