import { describe, expect, it } from 'vitest';
import { decodeSentence } from '../../../protocol/nmea/index.js';
import { Firmware } from '../../../firmware-sim/handset/firmware.js';
import { GATEWAY_NUMBER, HANDSET_NUMBER, makeWorld, trackingAfterAnsweredCall } from './world.js';


describe('TSC1 commands: verified before they act', () => {
  it('a STOP with a bad MAC, for another handset, or unsigned is ignored and counted', async () => {
    const w = await trackingAfterAnsweredCall({ ringMs: 6000 });
    w.command({ kind: 'STOP' }, 500, new Uint8Array(32));
    w.gateway.sendSms('+447700900123', 'TSC1;h=TS-0002;n=501;c=STOP;m=AAAAAAAAAAA');
    w.gateway.sendSms('+447700900123', 'TSC1;h=TS-0001;n=502;c=STOP');
    w.gateway.sendSms('+447700900123', 'Your parcel is on its way');
    await w.run(5000);
    expect(w.firmware.state).toBe('tracking');
    expect(w.firmware.stats.commandsRefused).toMatchObject({ 'bad-mac': 1, 'wrong-handset': 1, corrupt: 1, 'not-mine': 1 });
    expect(w.firmware.stats.commandsAccepted).toBe(0);
  });

  it('a replayed STOP (same signed text again) is refused, also after a reboot', async () => {
    const w = await trackingAfterAnsweredCall({ ringMs: 6000 });
    const stop = w.command({ kind: 'STOP' });
    await w.run(3000);
    expect(w.firmware.state).toBe('idle');
    w.button.hold(2500);
    await w.run(6000);
    expect(w.firmware.state).toBe('calling');
    w.gateway.sendSms('+447700900123', stop);
    await w.run(3000);
    expect(w.firmware.state).toBe('calling');
    expect(w.firmware.stats.commandsRefused.replay).toBe(1);

    // Same flash, new firmware (a reboot): the window came back from flash.
    const rebooted = new Firmware(
      { clock: w.clock, flash: w.device, button: w.button, gps: w.gps, battery: w.battery, modem: w.atModem, indicator: w.indicator, audio: w.audio },
      { identity: { id: 'TS-0001', firmware: '1.0.0', imei: '356938035643809' } },
    );
    w.gateway.sendSms('+447700900123', stop);
    await w.run(3000);
    expect(rebooted.stats.commandsRefused.replay).toBe(1);
  });

  it('LOCATE: ACK at once, then a TRK with a fresh fix even when idle', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    await w.run(1000);
    w.command({ kind: 'LOCATE' });
    await w.run(40_000);
    const r = w.reports();
    expect(r.map((x) => x.event)).toEqual(['BOT', 'ACK', 'TRK']);
    const rmc = decodeSentence(r[2]?.rmc as string);
    expect(rmc.ok && rmc.sentence.status).toBe('A');
    // Fresh: taken after the command arrived (cold start 20 s), not the stale "best it has".
    expect(rmc.ok && rmc.sentence.timeOfDayMs).toBeGreaterThanOrEqual((6 * 3600 + 21) * 1000);
    expect(w.gps.isOn).toBe(false);
    expect(w.firmware.state).toBe('idle');
  });

  it('INTERVAL=10 sets the TRK period', async () => {
    const w = await trackingAfterAnsweredCall({ ringMs: 6000 });
    await w.run(20_000); // past the GPS's first fix, whose TRK goes out at once, off the interval
    const before = w.reports().length;
    w.command({ kind: 'INTERVAL', seconds: 10 });
    await w.run(61_000);
    const after = w.reports().slice(before);
    expect(after[0]?.event).toBe('ACK');
    const trk = after.filter((r) => r.event === 'TRK');
    expect(trk.length).toBeGreaterThanOrEqual(6);
    const times = trk.map((r) => {
      const d = decodeSentence(r.rmc);
      return d.ok ? d.sentence.timeOfDayMs : NaN;
    });
    for (let i = 1; i < times.length; i++) expect((times[i] as number) - (times[i - 1] as number)).toBe(10_000);
  });

  it('an INTERVAL accepted while resting does not slow the next alarm: it tracks at the configured 30 s', async () => {
    const w = makeWorld({ config: { trackingMinutes: 5 } });
    await w.firmware.boot();
    await w.run(1000);
    // Arrives after tracking ended (or reordered behind the STOP): verified and acknowledged, nothing to change.
    w.command({ kind: 'INTERVAL', seconds: 3600 });
    await w.run(5000);
    expect(w.firmware.stats.commandsAccepted).toBe(1);
    w.button.hold(2500);
    await w.run(5000);
    w.line.answer(w.line.ringing()?.callId as number);
    await w.run(4 * 60_000);
    // TRK at the first fix (20 s cold start), then every 30 s: not one TRK an hour.
    expect(w.firmware.reports.sent.filter((r) => r.event === 'TRK').length).toBeGreaterThanOrEqual(7);
    expect(w.firmware.trackingIntervalS()).toBe(30);
  });

  it('re-provisioned with a new key, the handset obeys a gateway that counts from 1; the old key stays refused', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    await w.run(1000);
    const old = w.command({ kind: 'LOCATE' }, 150); // the old gateway's counter was at 150
    await w.run(70_000);
    expect(w.firmware.stats.commandsAccepted).toBe(1);
    // Wiped and reissued to another force's gateway (or: gateway restored from backup, then provision --replace).
    w.firmware.wipe();
    const newKey = new Uint8Array(32).map((_, i) => 0x5a ^ (i * 7));
    w.firmware.commit({ ...w.firmware.config, gatewayNumber: GATEWAY_NUMBER }, newKey);
    w.command({ kind: 'LOCATE' }, 1, newKey);
    await w.run(70_000);
    expect(w.firmware.stats.commandsAccepted).toBe(2);
    expect(w.firmware.stats.commandsRefused.replay).toBe(0);
    // The old gateway's commands, captured or late, do nothing now.
    w.gateway.sendSms(HANDSET_NUMBER, old);
    w.command({ kind: 'STOP' }, 151);
    await w.run(5000);
    expect(w.firmware.stats.commandsAccepted).toBe(2);
    expect(w.firmware.stats.commandsRefused['bad-mac']).toBe(2);
    // Committing the same key again (a config change) keeps the window: n=1 is a replay now.
    w.firmware.commit({ ...w.firmware.config, intervalS: 60 }, undefined);
    w.command({ kind: 'LOCATE' }, 1, newKey);
    await w.run(5000);
    expect(w.firmware.stats.commandsRefused.replay).toBe(1);
  });
});
