// The call tracker on modem behaviours the simulator does not show: RING without +CLIP (CLIP off, or a modem
// that never sends it), +CLIP before RING, ringing that stops without NO CARRIER, a missed call, auto-answer.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { parseClcc, type CallEntry, type Urc } from '../../../protocol/at/index.js';
import { CallTracker, LINK_GRACE_MS } from '../../../gateway/lines/call-tracker.js';
import type { LineCallEvent } from '../../../gateway/lines/types.js';

const urc = (line: string): Urc => ({ name: line.startsWith('+') ? line.slice(0, line.indexOf(':')) : line, line });
const entry = (line: string): CallEntry => {
  const p = parseClcc(line);
  if (!p.ok) throw new Error(p.reason);
  return p.value;
};

function tracker(clcc: () => (readonly CallEntry[] | null)) {
  const clock = new ManualClock();
  const events: LineCallEvent[] = [];
  let asked = 0;
  const t = new CallTracker('L1', clock, (e) => events.push(e), async () => {
    asked++;
    return clcc();
  });
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { clock, events, t, flush, asked: () => asked };
}

describe('CallTracker', () => {
  it('RING without +CLIP: after 300 ms AT+CLCC gives the number (a TecSOS handset is still flagged)', async () => {
    const x = tracker(() => [entry('+CLCC: 1,1,4,0,0,"+447700900123",145')]);
    const ringAt = x.clock.now();
    x.t.onUrc(urc('RING'));
    x.clock.advance(299);
    expect(x.events).toEqual([]);
    x.clock.advance(1);
    await x.flush();
    expect(x.events).toEqual([{ kind: 'ringing', lineId: 'L1', at: ringAt, number: '+447700900123', toa: 145 }]);
    x.t.onUrc(urc('RING'));
    x.t.onUrc(urc('+CLIP: "+447700900123",145,,,,0'));
    expect(x.events).toHaveLength(1);
  });

  it('+CLIP inside the wait reports at once, without asking AT+CLCC', async () => {
    const x = tracker(() => []);
    x.t.onUrc(urc('RING'));
    x.clock.advance(100);
    x.t.onUrc(urc('+CLIP: "07700900123",129,,,,0'));
    expect(x.events).toEqual([expect.objectContaining({ kind: 'ringing', number: '07700900123', toa: 129 })]);
    x.clock.advance(1000);
    await x.flush();
    expect(x.asked()).toBe(0);
  });

  it('+CLIP before RING (some modems) starts the call; the RING after it is the same call', () => {
    const x = tracker(() => []);
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.t.onUrc(urc('RING'));
    expect(x.events.map((e) => e.kind)).toEqual(['ringing']);
  });

  it('withheld (+CLIP validity 1) rings with null at once; +CRING counts as RING', () => {
    const x = tracker(() => []);
    x.t.onUrc(urc('+CRING: VOICE'));
    x.t.onUrc(urc('+CLIP: "",128,,,,1'));
    expect(x.events).toEqual([expect.objectContaining({ kind: 'ringing', number: null, toa: 128 })]);
  });

  it('withheld with her number given (the override category of an emergency line): rings with her number', async () => {
    // A TecSOS handset whose number is withheld: the modem of a line with override category still gives it
    // (27.007 7.6). Taken as withheld, her alarm call rang as an ordinary call with no number.
    const x = tracker(() => [entry('+CLCC: 1,1,4,0,0,"+447700900123",145,"",,1')]);
    x.t.onUrc(urc('RING'));
    x.t.onUrc(urc('+CLIP: "+447700900123",145,,,,1'));
    await x.flush();
    expect(x.events).toEqual([expect.objectContaining({ kind: 'ringing', number: '+447700900123' })]);
  });

  it('an AT+CLCC entry marked withheld that gives her number identifies her call', async () => {
    const x = tracker(() => [entry('+CLCC: 1,1,4,0,0,"+447700900123",145,"",,1')]);
    x.t.onUrc(urc('RING'));
    x.clock.advance(1_000); // no +CLIP: the caller id wait asks AT+CLCC
    await x.flush();
    expect(x.events).toEqual([expect.objectContaining({ kind: 'ringing', number: '+447700900123' })]);
  });

  it('ringing that stops without NO CARRIER ends (by caller) once AT+CLCC lists no call', async () => {
    let calls: CallEntry[] = [entry('+CLCC: 1,1,4,0,0,"+447700900123",145')];
    const x = tracker(() => calls);
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.clock.advance(9_000);
    x.t.onUrc(urc('RING'));
    x.clock.advance(9_000);
    await x.flush();
    expect(x.events.map((e) => e.kind)).toEqual(['ringing']); // RING 9 s ago: still ringing
    x.clock.advance(1_000);
    await x.flush();
    expect(x.events.map((e) => e.kind)).toEqual(['ringing']); // CLCC still lists it
    calls = [];
    x.clock.advance(10_000);
    await x.flush();
    expect(x.events.at(-1)).toMatchObject({ kind: 'ended', endedBy: 'caller' });
  });

  it('ringing that stops without NO CARRIER on a modem without AT+CLCC ends after 30 s without a RING', async () => {
    const x = tracker(() => null); // AT+CLCC answers ERROR
    x.t.onUrc(urc('RING'));
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    for (let i = 0; i < 5; i++) {
      x.clock.advance(9_000);
      await x.flush();
      x.t.onUrc(urc('RING')); // still ringing: a RING every 9 s keeps it
    }
    for (let i = 0; i < 2; i++) {
      x.clock.advance(10_000);
      await x.flush();
    }
    expect(x.events.map((e) => e.kind)).toEqual(['ringing']); // 20 s without a RING, AT+CLCC cannot tell
    x.clock.advance(10_000);
    await x.flush();
    expect(x.events.at(-1)).toMatchObject({ kind: 'ended', endedBy: 'caller' });
  });

  it('a RING whose call is gone before AT+CLCC is a missed call: ringing (number unknown) then ended', async () => {
    const x = tracker(() => []);
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.flush();
    expect(x.events.map((e) => [e.kind, e.kind === 'ringing' ? e.number : e.kind === 'ended' ? e.endedBy : ''])).toEqual([
      ['ringing', null],
      ['ended', 'caller'],
    ]);
  });

  it('NO CARRIER while our hang-up runs is the handler; the OK after it adds nothing', () => {
    const x = tracker(() => []);
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.t.answered();
    x.t.hangUpStarted();
    x.t.onUrc(urc('NO CARRIER'));
    x.t.hangUpFinished(true);
    expect(x.events.map((e) => e.kind)).toEqual(['ringing', 'answered', 'ended']);
    expect(x.events[2]).toMatchObject({ endedBy: 'handler' });
  });

  it('a connected call the modem no longer lists ends at the next poll; a line lost mid-call ends by network', async () => {
    const x = tracker(() => []);
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.t.answered();
    await x.t.poll();
    expect(x.events.at(-1)).toMatchObject({ kind: 'ended', endedBy: 'caller' });
    x.t.onUrc(urc('+CLIP: "+447700900456",145'));
    x.t.lineLost('link'); // ringing: the caller hears nothing while the line is away
    expect(x.events.at(-1)).toMatchObject({ kind: 'ended', endedBy: 'network' });
    x.t.lineLost('restart');
    expect(x.events.filter((e) => e.kind === 'ended')).toHaveLength(2);
  });

  it('an answered call outlives a lost link for LINK_GRACE_MS; a modem restart ends it at once', async () => {
    const x = tracker(() => []);
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.t.answered();
    x.t.lineLost('link');
    x.clock.advance(LINK_GRACE_MS - 1);
    expect(x.events.map((e) => e.kind)).toEqual(['ringing', 'answered']);
    x.clock.advance(1); // the line never came back
    expect(x.events.at(-1)).toMatchObject({ kind: 'ended', endedBy: 'network' });
    x.clock.advance(LINK_GRACE_MS);
    expect(x.events.filter((e) => e.kind === 'ended')).toHaveLength(1);

    x.t.onUrc(urc('+CLIP: "+447700900456",145'));
    x.t.answered();
    x.t.lineLost('restart');
    expect(x.events.at(-1)).toMatchObject({ kind: 'ended', endedBy: 'network' });
    expect(x.events.filter((e) => e.kind === 'ended')).toHaveLength(2);
  });

  it('a call answered before a gateway restart: gone from AT+CLCC at the first poll, ended; listed, it goes on; no line, ended after LINK_GRACE_MS', async () => {
    let listed: CallEntry[] = [];
    const x = tracker(() => listed);
    x.t.adoptAnswered();
    expect(x.t.phase).toBe('active');
    await x.t.poll();
    expect(x.events).toEqual([{ kind: 'ended', lineId: 'L1', at: x.clock.now(), endedBy: 'network' }]);

    const y = tracker(() => listed);
    listed = [entry('+CLCC: 1,1,0,0,0,"+447700900123",145')];
    y.t.adoptAnswered();
    await y.t.poll();
    y.clock.advance(LINK_GRACE_MS * 2);
    expect(y.events).toEqual([]);
    y.t.onUrc(urc('NO CARRIER'));
    expect(y.events).toMatchObject([{ kind: 'ended', endedBy: 'caller' }]);

    const z = tracker(() => null);
    z.t.adoptAnswered();
    z.clock.advance(LINK_GRACE_MS - 1);
    expect(z.events).toEqual([]);
    z.clock.advance(1);
    expect(z.events).toMatchObject([{ kind: 'ended', endedBy: 'network' }]);
  });

  it('a call answered without ATA (auto-answer) is reported answered when the ring stops', async () => {
    const x = tracker(() => [entry('+CLCC: 1,1,0,0,0,"+447700900123",145')]);
    x.t.onUrc(urc('+CLIP: "+447700900123",145'));
    x.clock.advance(10_000);
    await x.flush();
    expect(x.events.map((e) => e.kind)).toEqual(['ringing', 'answered']);
  });

  it('RING without +CLIP, and AT+CLCC lists the call already up (auto-answer): ringing with her number, then answered', async () => {
    // Before: no ringing call listed, so "a missed call": ringing (null), ended by caller, while she was connected
    // to the line, her number (the TecSOS flag) dropped and the line idle, never polled.
    const x = tracker(() => [entry('+CLCC: 1,1,0,0,0,"+447700900123",145')]);
    x.t.onUrc(urc('RING'));
    x.clock.advance(300);
    await x.flush();
    expect(x.events.map((e) => [e.kind, e.kind === 'ringing' ? e.number : ''])).toEqual([
      ['ringing', '+447700900123'],
      ['answered', ''],
    ]);
    expect(x.t.phase).toBe('active');
  });

  it('NO CARRIER with no call is ignored; an unreadable +CLIP waits for AT+CLCC', async () => {
    const x = tracker(() => null);
    x.t.onUrc(urc('NO CARRIER'));
    x.t.onUrc(urc('RING'));
    x.t.onUrc(urc('+CLIP: "+447700900123",145,,,,9'));
    expect(x.events).toEqual([]);
    x.clock.advance(300);
    await x.flush();
    expect(x.events).toEqual([]); // the modem did not answer AT+CLCC: asked once more after another wait
    x.clock.advance(300);
    await x.flush();
    expect(x.events).toEqual([expect.objectContaining({ kind: 'ringing', number: null })]);
  });
});
