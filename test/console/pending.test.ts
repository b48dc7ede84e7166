// An action stays pending until the gateway's event for that call or incident confirms it.
import { beforeEach, describe, expect, it } from 'vitest';
import { PendingActions, settledOtherwise } from '../../console/pending.js';
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

  it('says why when the settling event is not the action done by this user (never "answered" for a call that ended)', () => {
    const p = new PendingActions();
    p.start('answer', 'c1', 0);
    const ended = make({ type: 'call.ended', callId: 'c1', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null });
    const [answer] = p.confirm(ended);
    expect(answer?.kind).toBe('answer');
    expect(settledOtherwise(answer!, ended, 'jo')).toBe('the call ended first');
    const answered = make({ type: 'call.answered', callId: 'c1', lineId: 'line1', by: 'jo' });
    expect(settledOtherwise(answer!, answered, 'jo')).toBeNull();
    expect(settledOtherwise(answer!, answered, 'sam')).toBe('jo answered it first');

    p.start('acknowledge', 'inc-1', 0);
    const closed = make({ type: 'incident.closed', incidentId: 'inc-1', by: 'sam', outcome: 'test' });
    const [ack] = p.confirm(closed);
    expect(settledOtherwise(ack!, closed, 'jo')).toBe('the incident was closed first (by sam)');
    const stopped = make({ type: 'incident.tracking-stopped', incidentId: 'inc-1', handsetId: 'TS-0001', reason: 'timeout', by: null });
    expect(settledOtherwise({ kind: 'stop', id: 'inc-1', startedAt: 0, recordedSeq: null }, stopped, 'jo')).toBe('tracking had already stopped (timeout)');
    const hungUp = make({ type: 'call.ended', callId: 'c1', lineId: 'line1', endedBy: 'handler', by: 'jo', talkSeconds: 3 });
    expect(settledOtherwise({ kind: 'hangup', id: 'c1', startedAt: 0, recordedSeq: null }, hungUp, 'jo')).toBeNull();
  });

  it('an acknowledgement does not confirm a close', () => {
    const p = new PendingActions();
    p.start('close', 'inc-1', 0);
    expect(p.confirm(make({ type: 'incident.acknowledged', incidentId: 'inc-1', by: 'jo' }))).toEqual([]);
    expect(p.get('close', 'inc-1')).toBeDefined();
  });
});
