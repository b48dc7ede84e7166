// A handset that reboots (power cut, battery pulled and put back, watchdog) in the middle of an alarm: the
// report queue and the call are in RAM, the alarm's phase is in flash (flash.ts). Each test raises an alarm
// in one world, then builds a second world on the same flash chip, its clock going on from where the first
// stopped: the reboot.
import { describe, expect, it } from 'vitest';
import { HandsetFlash } from '../../../firmware-sim/handset/flash.js';
import { oldCounterRecord } from './old-flash-image.js';
import { alarmWithoutNetwork, makeWorld, trackingAfterAnsweredCall, type World } from './world.js';

/** Power-cycles the handset after `offMs` with its flash kept; everything else (RAM, modem, network) is new. */
async function reboot(w: World, offMs = 30_000): Promise<World> {
  const after = makeWorld({ flash: w.device, start: w.clock.now() + offMs });
  await after.firmware.boot();
  return after;
}

const events = (w: World) => w.reports().map((r) => `${r.event}${r.counter}`);
const dials = (w: World) => w.commands().filter((c) => c === 'ATD999;').length;


describe('an alarm survives a reboot', () => {
  it('reboot while calling without network: a fresh ALM (new n) and the 999 call again, silently, tracking on', async () => {
    const w = await alarmWithoutNetwork();
    await w.run(20_000);
    expect(w.firmware.state).toBe('calling');
    const usedBefore = w.firmware.flash.reportCounter as number; // the ALM took its n, then failed to send
    expect(events(w)).toEqual(['BOT1']);

    const w2 = await reboot(w);
    await w2.run(10_000);
    expect(w2.firmware.state).toBe('calling');
    expect(dials(w2)).toBeGreaterThanOrEqual(1);
    const alm = w2.reports().filter((r) => r.event === 'ALM');
    expect(alm).toHaveLength(1);
    expect(alm[0]?.counter).toBeGreaterThan(usedBefore); // never a counter used before the reboot
    expect(w2.line.ringing()).toBeDefined();
    w2.line.answer(w2.line.ringing()?.callId as number);
    await w2.run(2000);
    expect(w2.firmware.state).toBe('in-call');
    await w2.run(60_000);
    expect(w2.reports().filter((r) => r.event === 'TRK').length).toBeGreaterThanOrEqual(2);
    // Silent mode (the default) stays silent through the reboot and the second attempt.
    expect(w2.indicator.calls).toEqual([]);
  });

  it('a rebooted alarm that is not answered redials with the usual backoff', async () => {
    const w = await alarmWithoutNetwork(0);
    await w.run(10_000);
    const w2 = await reboot(w);
    w2.network.setDown(true);
    await w2.run(3 * 60_000);
    expect(w2.firmware.state).toBe('calling');
    // 0 s, then 5, 10, 20, 40, 60, 60 s later: 6 or 7 attempts in 3 minutes.
    expect(dials(w2)).toBeGreaterThanOrEqual(6);
    expect(dials(w2)).toBeLessThanOrEqual(7);
  });

  it('reboot while tracking after an answered call: tracking resumes until the original end, no new call, no ALM', async () => {
    const w = await trackingAfterAnsweredCall({ bootMs: 1000 });
    const endsAt = w.firmware.flash.alarm?.trackingEndsAtMs as number;
    expect(endsAt).toBeGreaterThan(w.clock.now());
    const w2 = await reboot(w, 5 * 60_000);
    expect(w2.firmware.state).toBe('tracking');
    await w2.run(5 * 60_000);
    expect(dials(w2)).toBe(0);
    expect(w2.line.ringing()).toBeUndefined();
    const seen = w2.reports().map((r) => r.event);
    expect(seen).not.toContain('ALM');
    expect(seen.filter((e) => e === 'TRK').length).toBeGreaterThanOrEqual(8);
    // The original 60 minutes, not 60 more from the reboot.
    await w2.run(endsAt - w2.clock.now() + 1000);
    expect(w2.firmware.state).toBe('idle');
    const trks = w2.reports().filter((r) => r.event === 'TRK').length;
    await w2.run(5 * 60_000);
    expect(w2.reports().filter((r) => r.event === 'TRK')).toHaveLength(trks);
    expect(w2.firmware.flash.alarm).toBeNull();
  });

  it('reboot during the answered call: the call dropped on the handset side, so it redials (no fresh ALM)', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    await w.run(1000);
    w.button.hold(2500);
    await w.run(5000);
    w.line.answer(w.line.ringing()?.callId as number);
    await w.run(2000);
    expect(w.firmware.state).toBe('in-call');
    const w2 = await reboot(w, 10_000);
    await w2.run(5000);
    expect(dials(w2)).toBe(1);
    expect(w2.line.ringing()).toBeDefined();
    expect(w2.reports().map((r) => r.event)).not.toContain('ALM');
    w2.line.answer(w2.line.ringing()?.callId as number);
    await w2.run(2000);
    expect(w2.firmware.state).toBe('in-call');
  });

  it('reboot after a STOP: nothing resumes', async () => {
    const w = await trackingAfterAnsweredCall({ bootMs: 1000 });
    w.command({ kind: 'STOP' });
    await w.run(5000);
    expect(w.firmware.state).toBe('idle');
    const w2 = await reboot(w);
    await w2.run(10 * 60_000);
    expect(w2.firmware.state).toBe('idle');
    expect(dials(w2)).toBe(0);
    expect(w2.reports().map((r) => r.event)).toEqual(['BOT']);
  });

  it('reboot after the tracking time ran out: nothing resumes', async () => {
    const w = await trackingAfterAnsweredCall({ bootMs: 1000 });
    await w.run(61 * 60_000, 1000);
    expect(w.firmware.state).toBe('idle');
    const w2 = await reboot(w);
    await w2.run(5 * 60_000);
    expect(w2.firmware.state).toBe('idle');
    expect(w2.reports().map((r) => r.event)).toEqual(['BOT']);
  });

  it('off for longer than the tracking time while still unanswered: the ALM still goes out, no late call', async () => {
    const w = await alarmWithoutNetwork(0);
    await w.run(10_000);
    const w2 = await reboot(w, 2 * 3_600_000);
    await w2.run(60_000);
    expect(w2.reports().map((r) => r.event)).toEqual(['BOT', 'ALM']);
    expect(dials(w2)).toBe(0);
    expect(w2.firmware.state).toBe('idle');
    expect(w2.firmware.flash.alarm).toBeNull(); // delivered: a third boot sends nothing
    const w3 = await reboot(w2);
    await w3.run(60_000);
    expect(w3.reports().map((r) => r.event)).toEqual(['BOT']);
  });

  it('a torn flash write as the call is answered keeps the previous record: the alarm is raised again', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    await w.run(1000);
    w.button.hold(2500);
    await w.run(5000);
    expect(w.firmware.flash.alarm?.phase).toBe('raising');
    const raisedAt = w.firmware.flash.alarm?.startedAtMs;
    w.device.tearNextWrite(); // the power fails while the 'in-call' record is being programmed
    w.line.answer(w.line.ringing()?.callId as number);
    await w.run(1500);
    expect(w.firmware.state).toBe('in-call');
    const stored = new HandsetFlash(w.device);
    expect(stored.status.countersCorrupted).toBe(false);
    expect(stored.alarm).toMatchObject({ phase: 'raising', startedAtMs: raisedAt });
    const w2 = await reboot(w, 10_000);
    await w2.run(10_000);
    expect(w2.reports().map((r) => r.event)).toContain('ALM');
    expect(dials(w2)).toBe(1);
    expect(new Set([...events(w), ...events(w2)]).size).toBe(events(w).length + events(w2).length);
  });

  it('the test alarm (test mode) leaves nothing to resume', async () => {
    const w = makeWorld({ config: { testMode: true } });
    await w.firmware.boot();
    await w.run(1000);
    w.button.hold(2500);
    await w.run(5000);
    expect(w.firmware.flash.alarm).toBeNull();
    const w2 = await reboot(w);
    await w2.run(60_000);
    expect(dials(w2)).toBe(0);
    expect(w2.reports().map((r) => r.event)).toEqual(['BOT']);
  });

  it('a handset updated from firmware without the alarm record boots idle, counts on, and records its next alarm', async () => {
    const w = makeWorld();
    w.device.erase('counters-a');
    w.device.erase('counters-b');
    w.device.write('counters-a', oldCounterRecord());
    const w2 = await reboot(w);
    await w2.run(60_000);
    expect(w2.firmware.state).toBe('idle');
    expect(dials(w2)).toBe(0);
    expect(events(w2)).toEqual(['BOT42']);
    w2.button.hold(2500);
    await w2.run(5000);
    expect(w2.firmware.flash.alarm?.phase).toBe('raising');
    expect(new HandsetFlash(w2.device).alarm?.phase).toBe('raising');
    expect(dials(w2)).toBe(1);
  });
});
