// The console's projection of the gateway's events: each seq applied once, whatever the delivery does.
import { beforeEach, describe, expect, it } from 'vitest';
import { ConsoleState, ENDED_KEEP } from '../../console/console-state.js';
import { fix, make, opened, resetSeq, ringing, T0 } from './events.js';

beforeEach(() => resetSeq());

describe('ConsoleState', () => {
  it('applies each seq once: a resumed or duplicated delivery changes nothing', () => {
    const s = new ConsoleState();
    const events = [opened('inc-1', T0), fix('inc-1', T0 + 1000, T0 + 2000), fix('inc-1', T0 + 31_000, T0 + 32_000)];
    for (const e of events) expect(s.apply(e)).toBe(true);
    // A reconnect that replays from an older seq (or a server that resends) is ignored.
    for (const e of events) expect(s.apply(e)).toBe(false);
    expect(s.tracks.get('inc-1')).toHaveLength(2);
    expect(s.duplicates).toBe(3);
    expect(s.lastSeq).toBe(3);
  });

  it('keeps a track in fix-time order when SMS reports arrive out of order', () => {
    const s = new ConsoleState();
    s.apply(opened('inc-1', T0));
    s.apply(fix('inc-1', T0 + 60_000, T0 + 61_000));
    s.apply(fix('inc-1', T0 + 30_000, T0 + 62_000));
    s.apply(fix('inc-1', T0 + 90_000, T0 + 91_000));
    expect(s.tracks.get('inc-1')?.map((p) => Date.parse(p.fixTime) - T0)).toEqual([30_000, 60_000, 90_000]);
  });

  it('follows a call from ringing to answered to ended, and links it to its incident', () => {
    const s = new ConsoleState();
    s.apply(ringing('c1', 'tecsos', T0, { handsetId: 'TS-0001' }));
    s.apply(opened('inc-1', T0 + 100, 'c1'));
    expect(s.calls.get('c1')?.incidentId).toBe('inc-1');
    expect(s.incidents.get('inc-1')?.callIds).toEqual(['c1']);
    s.apply(make({ type: 'call.answered', callId: 'c1', lineId: 'line1', by: 'jo' }, T0 + 5000));
    expect(s.calls.get('c1')).toMatchObject({ state: 'answered', answeredBy: 'jo' });
    s.apply(make({ type: 'call.ended', callId: 'c1', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: 30 }, T0 + 35_000));
    expect(s.calls.get('c1')).toMatchObject({ state: 'ended', endedBy: 'caller' });
  });

  it('sounds the alarm for a ringing TecSOS call until it is answered, and for an unacknowledged TecSOS alarm', () => {
    const s = new ConsoleState();
    s.apply(ringing('c0', 'ordinary', T0));
    expect(s.alarmWaiting()).toBe(false);
    s.apply(ringing('c1', 'tecsos-unregistered', T0));
    expect(s.alarmWaiting()).toBe(true);
    s.apply(make({ type: 'call.answered', callId: 'c1', lineId: 'line1', by: 'jo' }));
    expect(s.alarmWaiting()).toBe(false);
    // An ALM report with no call (yet): sounds until acknowledged.
    s.apply(opened('inc-2', T0));
    expect(s.alarmWaiting()).toBe(true);
    s.apply(make({ type: 'incident.acknowledged', incidentId: 'inc-2', by: 'jo' }));
    expect(s.alarmWaiting()).toBe(false);
  });

  it('sounds again for a new alarm into an acknowledged incident (incident.re-alarmed), even when its earlier call was answered', () => {
    const s = new ConsoleState();
    s.apply(opened('inc-1', T0));
    s.apply(ringing('c1', 'tecsos', T0 + 1000, { handsetId: 'TS-0001', incidentId: 'inc-1' }));
    s.apply(make({ type: 'call.answered', callId: 'c1', lineId: 'line1', by: 'jo' }, T0 + 2000));
    s.apply(make({ type: 'incident.acknowledged', incidentId: 'inc-1', by: 'jo' }, T0 + 3000));
    s.apply(make({ type: 'call.ended', callId: 'c1', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: 60 }, T0 + 60_000));
    expect(s.alarmWaiting()).toBe(false);
    s.apply(make({ type: 'incident.re-alarmed', incidentId: 'inc-1', handsetId: 'TS-0001', reportCounter: 9 }, T0 + 86_400_000));
    expect(s.incidents.get('inc-1')).toMatchObject({ state: 'open', acknowledgedBy: null });
    expect(s.alarmWaiting()).toBe(true);
    // Its new call, answered, answers it.
    s.apply(ringing('c2', 'tecsos', T0 + 86_410_000, { handsetId: 'TS-0001', incidentId: 'inc-1' }));
    s.apply(make({ type: 'call.answered', callId: 'c2', lineId: 'line1', by: 'jo' }, T0 + 86_420_000));
    expect(s.alarmWaiting()).toBe(false);
    // A closed incident stays closed.
    s.apply(make({ type: 'incident.closed', incidentId: 'inc-1', by: 'jo', outcome: 'other' }, T0 + 86_500_000));
    s.apply(make({ type: 'incident.re-alarmed', incidentId: 'inc-1', handsetId: 'TS-0001', reportCounter: 10 }, T0 + 86_600_000));
    expect(s.incidents.get('inc-1')?.state ?? 'closed').toBe('closed');
  });

  it('keeps sounding while she still waits: the caller hung up before anyone answered, or her handset rings again after a call she answered', () => {
    const s = new ConsoleState();
    s.apply(opened('inc-1', T0));
    s.apply(ringing('c1', 'tecsos', T0 + 1000, { handsetId: 'TS-0001', incidentId: 'inc-1' }));
    s.apply(make({ type: 'call.ended', callId: 'c1', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null }, T0 + 9000));
    // Nobody spoke to her and nobody acknowledged: the alarm still waits.
    expect(s.alarmWaiting()).toBe(true);
    s.apply(ringing('c2', 'tecsos', T0 + 20_000, { handsetId: 'TS-0001', incidentId: 'inc-1' }));
    s.apply(make({ type: 'call.answered', callId: 'c2', lineId: 'line1', by: 'jo' }, T0 + 21_000));
    expect(s.alarmWaiting()).toBe(false);
    s.apply(make({ type: 'call.ended', callId: 'c2', lineId: 'line1', endedBy: 'network', by: null, talkSeconds: 5 }, T0 + 26_000));
    expect(s.alarmWaiting()).toBe(false);
    // The call dropped and she dials 999 again; the incident is still not acknowledged: it rings, so it sounds.
    s.apply(ringing('c3', 'tecsos', T0 + 40_000, { handsetId: 'TS-0001', incidentId: 'inc-1' }));
    expect(s.alarmWaiting()).toBe(true);
  });

  it('does not sound for a test alarm, nor for a call ringing into an incident someone has acknowledged', () => {
    const s = new ConsoleState();
    // The TST a handset sends when provisioned or tested: no 999 call follows, nobody need run to it.
    s.apply(make({ type: 'incident.opened', incidentId: 'inc-test', handsetId: 'TS-0002', cause: 'test', priority: 'test', callId: null, force: 'Test Force' }, T0));
    expect(s.alarmWaiting()).toBe(false);
    s.apply(opened('inc-1', T0));
    s.apply(make({ type: 'incident.acknowledged', incidentId: 'inc-1', by: 'jo' }, T0 + 2000));
    s.apply(ringing('c1', 'tecsos', T0 + 3000, { handsetId: 'TS-0001', incidentId: 'inc-1' }));
    expect(s.alarmWaiting()).toBe(false);
  });

  it('keeps an AML fix of an ordinary call under that call', () => {
    const s = new ConsoleState();
    s.apply(ringing('c9', 'ordinary', T0));
    s.apply(fix(null, T0 + 1000, T0 + 2000, 'c9'));
    expect(s.trackOf(null, 'c9')).toHaveLength(1);
    expect(s.trackOf(null, 'other')).toHaveLength(0);
  });

  it('pairs TSC1 commands with their results', () => {
    const s = new ConsoleState();
    s.apply(make({ type: 'command.sent', handsetId: 'TS-0001', incidentId: 'inc-1', counter: 4, command: { kind: 'LOCATE' }, by: 'jo', lineId: 'line1' }));
    expect(s.lastCommand('TS-0001', 'LOCATE')?.result).toBeNull();
    s.apply(make({ type: 'command.result', handsetId: 'TS-0001', counter: 4, result: 'acknowledged', detail: 'ACK n=4' }));
    expect(s.lastCommand('TS-0001', 'LOCATE')?.result?.result).toBe('acknowledged');
    expect(s.lastCommand('TS-0001', 'STOP')).toBeUndefined();
  });

  it('drops closed incidents (and their tracks) beyond the newest ENDED_KEEP', () => {
    const s = new ConsoleState();
    for (let i = 0; i < ENDED_KEEP + 5; i++) {
      s.apply(opened(`inc-${i}`, T0));
      s.apply(fix(`inc-${i}`, T0, T0));
      s.apply(make({ type: 'incident.closed', incidentId: `inc-${i}`, by: 'jo', outcome: 'test' }));
    }
    expect(s.incidents.size).toBe(ENDED_KEEP);
    expect(s.incidents.has('inc-0')).toBe(false);
    expect(s.tracks.has('inc-0')).toBe(false);
    expect(s.incidents.has(`inc-${ENDED_KEEP + 4}`)).toBe(true);
  });

  it('drops the AML track of an ended ordinary call with the call (memory stays bounded over a long log)', () => {
    const s = new ConsoleState();
    for (let i = 0; i < ENDED_KEEP + 20; i++) {
      s.apply(ringing(`c${i}`, 'ordinary', T0 + i));
      s.apply(fix(null, T0 + i, T0 + i, `c${i}`));
      s.apply(make({ type: 'call.ended', callId: `c${i}`, lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null }));
    }
    expect(s.calls.size).toBe(ENDED_KEEP);
    expect(s.tracks.size).toBe(ENDED_KEEP);
    expect(s.trackOf(null, 'c0')).toHaveLength(0);
    expect(s.trackOf(null, `c${ENDED_KEEP + 19}`)).toHaveLength(1);
  });

  it('a late fix of a call or incident already dropped makes no track (it would never be dropped: growth reviewer)', () => {
    const s = new ConsoleState();
    for (let i = 0; i < ENDED_KEEP + 1; i++) {
      s.apply(ringing(`c${i}`, 'ordinary', T0 + i));
      s.apply(make({ type: 'call.ended', callId: `c${i}`, lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null }));
      s.apply(opened(`inc-${i}`, T0));
      s.apply(make({ type: 'incident.closed', incidentId: `inc-${i}`, by: 'jo', outcome: 'test' }));
    }
    expect(s.calls.has('c0')).toBe(false);
    expect(s.incidents.has('inc-0')).toBe(false);
    // The AML of c0 and a delayed TRK of inc-0 arrive now.
    s.apply(fix(null, T0 + 5, T0 + 5, 'c0'));
    s.apply(fix('inc-0', T0 + 5, T0 + 5));
    expect(s.tracks.size).toBe(0);
    // Those still held get theirs.
    s.apply(fix(null, T0 + 6, T0 + 6, `c${ENDED_KEEP}`));
    s.apply(fix(`inc-${ENDED_KEEP}`, T0 + 6, T0 + 6));
    expect([...s.tracks.keys()].sort()).toEqual([`call:c${ENDED_KEEP}`, `inc-${ENDED_KEEP}`]);
  });

  it('keeps one TSC1 command per handset and kind: the newest, which is the one shown', () => {
    const s = new ConsoleState();
    for (let n = 1; n <= 100; n++) {
      s.apply(make({ type: 'command.sent', handsetId: 'TS-0001', incidentId: 'inc-1', counter: n, command: { kind: 'LOCATE' }, by: 'jo', lineId: 'line1' }));
    }
    s.apply(make({ type: 'command.sent', handsetId: 'TS-0001', incidentId: 'inc-1', counter: 101, command: { kind: 'STOP' }, by: 'jo', lineId: 'line1' }));
    s.apply(make({ type: 'command.sent', handsetId: 'TS-0002', incidentId: 'inc-2', counter: 1, command: { kind: 'LOCATE' }, by: 'jo', lineId: 'line1' }));
    expect(s.commands.size).toBe(3);
    expect(s.lastCommand('TS-0001', 'LOCATE')?.sent.counter).toBe(100);
    expect(s.lastCommand('TS-0001', 'STOP')?.sent.counter).toBe(101);
    s.apply(make({ type: 'command.result', handsetId: 'TS-0001', counter: 100, result: 'acknowledged', detail: 'ACK n=100' }));
    expect(s.lastCommand('TS-0001', 'LOCATE')?.result?.result).toBe('acknowledged');
  });

  it('shows a TSC1 command only in the incident it was sent for, not in the handset\'s next incident', () => {
    const s = new ConsoleState();
    s.apply(opened('inc-1', T0));
    s.apply(make({ type: 'command.sent', handsetId: 'TS-0001', incidentId: 'inc-1', counter: 4, command: { kind: 'STOP' }, by: 'jo', lineId: 'line1' }));
    s.apply(make({ type: 'command.result', handsetId: 'TS-0001', counter: 4, result: 'acknowledged', detail: 'ACK n=4' }));
    s.apply(make({ type: 'incident.closed', incidentId: 'inc-1', by: 'jo', outcome: 'test' }));
    s.apply(opened('inc-2', T0 + 3_600_000));
    expect(s.lastCommand('TS-0001', 'STOP', 'inc-1')?.result?.result).toBe('acknowledged');
    // inc-2 is tracking: "Stop tracking: acknowledged by the handset" must not show there.
    expect(s.lastCommand('TS-0001', 'STOP', 'inc-2')).toBeUndefined();
  });

  it('tracks again when a TRK or a new ALM joins an incident whose tracking had stopped, as the gateway says (docs/gateway.md)', () => {
    const s = new ConsoleState();
    const report = (event: string, counter: number, incidentId = 'inc-1') =>
      make({ type: 'report.accepted', handsetId: 'TS-0001', counter, event, batteryPct: 80, csq: 20, incidentId, receivedAt: new Date(T0 + counter * 1000).toISOString(), fromNumber: '+447700900101' }, T0 + counter * 1000);
    const stopped = () => make({ type: 'incident.tracking-stopped', incidentId: 'inc-1', handsetId: 'TS-0001', reason: 'handler', by: 'jo' });
    s.apply(opened('inc-1', T0));
    s.apply(stopped());
    expect(s.incidents.get('inc-1')?.tracking).toBe(false);
    // The STOP never reached the handset (no free line: its command.result failed), so it reports on.
    s.apply(report('TRK', 40));
    expect(s.incidents.get('inc-1')?.tracking).toBe(true);
    // Stopped, then she holds the button again: a new alarm into the same open incident, tracking again.
    s.apply(stopped());
    s.apply(report('ACK', 41));
    expect(s.incidents.get('inc-1')?.tracking).toBe(false);
    s.apply(report('ALM', 42));
    expect(s.incidents.get('inc-1')?.tracking).toBe(true);
    // A closed incident does not track again (a late TRK), nor does another incident's report touch it.
    s.apply(make({ type: 'incident.closed', incidentId: 'inc-1', by: 'jo', outcome: 'test' }));
    s.apply(report('TRK', 43));
    expect(s.incidents.get('inc-1')?.tracking).toBe(false);
  });

  it("does not track again for the one TRK that answers a Fresh fix asked after a stop (gateway/incidents/incidents.ts does the same)", () => {
    const s = new ConsoleState();
    const report = (event: string, counter: number) =>
      make({ type: 'report.accepted', handsetId: 'TS-0001', counter, event, batteryPct: 80, csq: 20, incidentId: 'inc-1', receivedAt: new Date(T0 + counter * 1000).toISOString(), fromNumber: '+447700900101' }, T0 + counter * 1000);
    const sent = (kind: 'STOP' | 'LOCATE', counter: number) =>
      make({ type: 'command.sent', handsetId: 'TS-0001', incidentId: 'inc-1', counter, command: { kind }, by: 'jo', lineId: 'line2' });
    s.apply(opened('inc-1', T0));
    s.apply(sent('STOP', 900));
    s.apply(make({ type: 'incident.tracking-stopped', incidentId: 'inc-1', handsetId: 'TS-0001', reason: 'handler', by: 'jo' }));
    s.apply(report('ACK', 2));
    s.apply(sent('LOCATE', 901));
    s.apply(report('ACK', 3));
    s.apply(report('TRK', 4));
    expect(s.incidents.get('inc-1')?.tracking).toBe(false);
    // A TRK beyond the LOCATE's answer: the handset tracks (the STOP did not take, or a new press).
    s.apply(report('TRK', 5));
    expect(s.incidents.get('inc-1')?.tracking).toBe(true);
    // The count is part of the picture a console opening with nothing starts from.
    const restored = new ConsoleState();
    s.apply(sent('LOCATE', 902));
    restored.restore(s.view(), s.lastSeq);
    expect(restored.incidents.get('inc-1')?.locatesDue).toBe(1);
  });

  it('reset forgets everything, so a replaced log is replayed from 0', () => {
    const s = new ConsoleState();
    s.apply(ringing('c1', 'tecsos', T0));
    s.reset();
    expect(s.lastSeq).toBe(0);
    expect(s.calls.size).toBe(0);
  });
});
