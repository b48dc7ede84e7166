import { describe, expect, it } from 'vitest';
import { makeWorld, trackingAfterAnsweredCall } from './world.js';


describe('the handset modem misbehaves', () => {
  it('a modem reboot (RDY) is noticed: the start-up sequence runs again and commands still arrive', async () => {
    const w = await trackingAfterAnsweredCall();
    const mark = w.transcript.length;
    w.modem.reset();
    await w.run(3000);
    const again = w.transcript.slice(mark).filter((e) => e.kind === 'command').map((e) => e.text);
    expect(again.slice(0, 7)).toEqual(['ATE0', 'AT+CMEE=1', 'AT+CREG=1', 'AT+CLIP=1', 'AT+CMGF=0', 'AT+CNMI=2,2,0,0,0', 'AT+CREG?']);
    expect(w.atModem.stats.modemRestarts).toBe(1);
    w.command({ kind: 'STOP' });
    await w.run(5000);
    expect(w.firmware.state).toBe('idle');
  });

  it('a modem reboot during the answered 999 call: the handset redials, and later alarms are not ignored', async () => {
    const w = makeWorld({ config: { trackingMinutes: 5 } });
    await w.firmware.boot();
    w.button.hold(2500);
    await w.run(5000);
    w.line.answer(w.line.ringing()?.callId as number);
    await w.run(2000);
    expect(w.firmware.state).toBe('in-call');
    const dials = () => w.transcript.filter((e) => e.kind === 'command' && e.text === 'ATD999;').length;
    expect(dials()).toBe(1);
    w.modem.reset(); // the call drops with the modem; no NO CARRIER reaches the firmware
    await w.run(7000);
    expect(dials()).toBe(2);
    const second = w.line.ringing()?.callId as number;
    w.line.answer(second);
    await w.run(2000);
    expect(w.firmware.state).toBe('in-call');
    w.line.hangup(second); // the call handler ends it: tracking, no redial
    await w.run(6 * 60_000, 200);
    expect(w.firmware.state).toBe('idle');
    w.button.hold(2500);
    await w.run(5000);
    expect(w.firmware.state).toBe('calling');
    expect(w.firmware.stats.gesturesIgnored).toBe(0);
  });

  it('a modem that stops answering for 90 s loses no report: they go out afterwards, n consecutive', async () => {
    const w = await trackingAfterAnsweredCall();
    const before = w.reports().length;
    w.modem.hang(90_000);
    await w.run(90_000);
    expect(w.reports()).toHaveLength(before);
    await w.run(240_000, 200);
    const r = w.reports();
    expect(r.map((x) => x.counter)).toEqual(r.map((_, i) => i + 1));
    // 330 s of tracking since the alarm at ~2 s: 11 TRK, all delivered in the end.
    expect(r.filter((x) => x.event === 'TRK').length).toBeGreaterThanOrEqual(11);
  });
});
