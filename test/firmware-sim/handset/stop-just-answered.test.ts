// A STOP that reaches the handset after the control room answered its 999 call but before the handset's next
// AT+CLCC poll saw the answer. Seen in `make demo --interactive` (25 Nov): the handler accepted TS-0002's call and
// closed the incident at once; the gateway's STOP (sent as the incident closes) arrived 150 ms after the answer,
// while the handset still took itself to be dialling, and it abandoned the attempt with ATH: the call the handler
// had just answered ended ("the caller hung up", 0 s of talk). docs/firmware-sim-handset.md: after a STOP "a call
// still dialling then is abandoned (ATH), a call in progress goes on without TRK reports".
import { describe, expect, it } from 'vitest';
import { makeWorld } from './world.js';

describe('a STOP just after the control room answered', () => {
  it('the answered call goes on (no ATH); the handset is in-call, then rests when the handler hangs up', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    w.button.hold(2500);
    await w.run(5000);
    const ring = w.line.ringing();
    expect(ring).toBeDefined();
    const callId = ring?.callId as number;
    // Let a CLCC poll go by, so that the answer and the STOP both fall before the next one.
    await w.run(1000, 10);
    w.line.answer(callId);
    w.command({ kind: 'STOP' });
    await w.run(5000, 10);
    const ended = w.line.events.filter((e) => e.type === 'ended' && e.callId === callId);
    expect({ ended, state: w.firmware.state, athSent: w.commands().includes('ATH') }).toEqual({ ended: [], state: 'in-call', athSent: false });
    // No more reports after the STOP's ACK, and none while the call goes on.
    const reports = w.reports();
    expect(reports[reports.length - 1]?.event).toBe('ACK');
    await w.run(60_000);
    expect(w.reports()).toHaveLength(reports.length);
    // The handler hangs up: the alarm is over, the handset rests.
    w.line.hangup(callId);
    await w.run(2000);
    expect(w.firmware.state).toBe('idle');
  });
});
