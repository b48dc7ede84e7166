// An action stays pending until the gateway's event for that call or incident confirms it.
import { beforeEach, describe, expect, it } from 'vitest';
import { PendingActions } from '../../console/pending.js';
import { fix, make, resetSeq, T0 } from './events.js';

beforeEach(() => resetSeq());

describe('PendingActions', () => {
  it('confirms accept only with call.answered (or call.ended) of the same call', () => {
    const p = new PendingActions();
    p.start('answer', 'c1', 0);
    p.recorded('answer', 'c1', 17);
    expect(p.confirm(make({ type: 'call.answered', callId: 'c2', lineId: 'line1', by: 'jo' }))).toEqual([]);
    expect(p.confirm(fix('inc-1', T0, T0))).toEqual([]);
    expect(p.get('answer', 'c1')?.recordedSeq).toBe(17);
    const done = p.confirm(make({ type: 'call.answered', callId: 'c1', lineId: 'line1', by: 'jo' }));
    expect(done.map((d) => d.kind)).toEqual(['answer']);
    expect(p.get('answer', 'c1')).toBeUndefined();
  });

  it('a closed incident settles every pending action on it; a failure clears it', () => {
    const p = new PendingActions();
    p.start('acknowledge', 'inc-1', 0);
    p.start('stop', 'inc-1', 0);
    p.start('close', 'inc-1', 0);
    p.start('close', 'inc-2', 0);
    const done = p.confirm(make({ type: 'incident.closed', incidentId: 'inc-1', by: 'jo', outcome: 'test' }));
    expect(done.map((d) => d.kind).sort()).toEqual(['acknowledge', 'close', 'stop']);
    expect(p.get('close', 'inc-2')).toBeDefined();
    p.fail('close', 'inc-2');
    expect(p.get('close', 'inc-2')).toBeUndefined();
  });

  it('an acknowledgement does not confirm a close', () => {
    const p = new PendingActions();
    p.start('close', 'inc-1', 0);
    expect(p.confirm(make({ type: 'incident.acknowledged', incidentId: 'inc-1', by: 'jo' }))).toEqual([]);
    expect(p.get('close', 'inc-1')).toBeDefined();
  });
});
