import { describe, expect, it } from 'vitest';
import { Firmware } from '../../../firmware-sim/handset/firmware.js';
import { makeWorld } from './world.js';
import { decodeSentence } from '../../../protocol/nmea/index.js';

describe('handset reports besides the alarm', () => {
  it('HBT once a day', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    await w.run(24 * 3_600_000 - 60_000, 60_000);
    expect(w.reports().map((r) => r.event)).toEqual(['BOT']);
    await w.run(120_000, 1000);
    expect(w.reports().map((r) => r.event)).toEqual(['BOT', 'HBT']);
  });

  it('LOB once when the battery crosses the low threshold; the state says low-battery; the alarm still works', async () => {
    const w = makeWorld({ battery: 16 });
    await w.firmware.boot();
    await w.run(2000);
    w.battery.setPercent(15);
    await w.run(5000);
    expect(w.reports().map((r) => `${r.event}:${r.batteryPct}`)).toEqual(['BOT:16', 'LOB:15']);
    expect(w.firmware.state).toBe('low-battery');
    w.battery.setPercent(14);
    await w.run(5000);
    expect(w.reports()).toHaveLength(2);
    w.button.hold(2500);
    await w.run(3000);
    expect(w.firmware.state).toBe('calling');
  });

  it('TRK every 10 s when moving faster than 5 m/s', async () => {
    const w = makeWorld();
    w.gps.setRoute({ waypoints: [{ lat: 51.5, lon: -0.12, speedMps: 12 }, { lat: 51.6, lon: -0.12, speedMps: 0 }] });
    await w.firmware.boot();
    w.button.hold(2500);
    await w.run(5000);
    w.line.answer(w.line.ringing()?.callId as number);
    await w.run(115_000);
    // First TRK at 30 s (the GPS had no fix yet when it was scheduled), then every 10 s.
    const trk = w.firmware.reports.sent.filter((r) => r.event === 'TRK').map((r) => r.sentAtMs);
    expect(trk.length).toBeGreaterThanOrEqual(9);
    for (let i = 2; i < trk.length; i++) expect(Math.round(((trk[i] as number) - (trk[i - 1] as number)) / 1000)).toBe(10);
  });

  it('the counter survives a reboot: the next BOT carries n+1', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    w.command({ kind: 'LOCATE' });
    await w.run(40_000);
    expect(w.reports().map((r) => r.counter)).toEqual([1, 2, 3]);
    const rebooted = new Firmware(
      { clock: w.clock, flash: w.device, button: w.button, gps: w.gps, battery: w.battery, modem: w.atModem, indicator: w.indicator, audio: w.audio },
      { identity: { id: 'TS-0001', firmware: '1.0.0', imei: '356938035643809' } },
    );
    await rebooted.boot();
    await w.run(5000);
    expect(w.reports().map((r) => `${r.event}${r.counter}`)).toEqual(['BOT1', 'ACK2', 'TRK3', 'BOT4']);
  });

  it('silent mode off: the alarm vibrates once sent and lights on connection; silent on (default): nothing', async () => {
    const loud = makeWorld({ config: { silent: false } });
    await loud.firmware.boot();
    loud.button.hold(2500);
    await loud.run(5000);
    loud.line.answer(loud.line.ringing()?.callId as number);
    await loud.run(2000);
    expect(loud.indicator.calls).toEqual([
      { kind: 'vibrate', cue: 'alarm-sent' },
      { kind: 'light', cue: 'call-connected' },
    ]);
    const quiet = makeWorld();
    await quiet.firmware.boot();
    quiet.battery.setPercent(10);
    quiet.button.hold(2500);
    await quiet.run(5000);
    quiet.line.answer(quiet.line.ringing()?.callId as number);
    await quiet.run(2000);
    quiet.firmware.testAlarm();
    await quiet.run(2000);
    expect(quiet.indicator.calls).toEqual([]);
  });

  it('test mode: the gesture sends TST and does not dial 999', async () => {
    const w = makeWorld({ config: { testMode: true } });
    await w.firmware.boot();
    w.button.hold(2500);
    await w.run(10_000);
    expect(w.reports().map((r) => r.event)).toEqual(['BOT', 'TST']);
    expect(w.commands()).not.toContain('ATD999;');
    expect(w.firmware.state).toBe('idle');
  });

  it('not provisioned: no report can be signed, but the alarm still dials 999', async () => {
    const w = makeWorld({ provisioned: false });
    await w.firmware.boot();
    w.button.hold(2500);
    await w.run(5000);
    expect(w.commands()).toContain('ATD999;');
    expect(w.gateway.received).toHaveLength(0);
    expect(w.firmware.reports.stats.unsendable).toBe(2);
  });
});

describe('first fix after an alarm', () => {
  it('an ALM sent before the GPS has a fix is followed by a TRK at the first fix, not an interval later', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    w.button.hold(2500);
    await w.run(5000);
    const alm = w.reports().find((r) => r.event === 'ALM');
    expect(alm).toBeDefined();
    expect(decodeSentence(alm?.rmc as string)).toMatchObject({ ok: true, sentence: { status: 'V' } });
    await w.run(25_000); // cold start 20 s: first fix at about 22.5 s after the hold began
    const trk = w.reports().filter((r) => r.event === 'TRK');
    expect(trk).toHaveLength(1);
    const d = decodeSentence(trk[0]?.rmc as string);
    expect(d.ok && d.sentence.status).toBe('A');
  });
});
