import { describe, expect, it } from 'vitest';
import { alarmWithoutNetwork, makeWorld, trackingAfterAnsweredCall } from './world.js';

describe('redial with backoff, and reports that keep going', () => {
  it('BUSY (the line rejects the ringing call): redials after 5 s, then 10 s, and keeps tracking', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    await w.run(1000);
    w.button.hold(2500);
    await w.run(2030 + 100);
    const dialTimes = () => w.transcript.filter((e) => e.kind === 'command' && e.text === 'ATD999;').map((e) => e.at);
    expect(dialTimes()).toHaveLength(1);
    await w.run(2000);
    w.line.hangup(w.line.ringing()?.callId as number); // rejected -> BUSY at the handset
    await w.run(100);
    expect(w.transcript.some((e) => e.kind === 'urc' && e.text.includes('BUSY'))).toBe(true);
    const busyAt = w.clock.now();
    expect(w.firmware.state).toBe('calling');
    await w.run(5000);
    expect(dialTimes()).toHaveLength(2);
    expect((dialTimes()[1] as number) - busyAt).toBeLessThanOrEqual(5000);
    expect((dialTimes()[1] as number) - busyAt).toBeGreaterThan(4800);
    await w.run(2000);
    w.line.hangup(w.line.ringing()?.callId as number);
    await w.run(9000);
    expect(dialTimes()).toHaveLength(2);
    await w.run(1100);
    expect(dialTimes()).toHaveLength(3);
    // The third attempt is answered.
    await w.run(2000);
    w.line.answer(w.line.ringing()?.callId as number);
    await w.run(1500);
    expect(w.firmware.state).toBe('in-call');
    // The ALM went out before the GPS's first fix (20 s cold start); that fix went out at once as a TRK.
    expect(w.reports().map((r) => r.event)).toEqual(['BOT', 'ALM', 'TRK']);
    await w.run(30_000);
    expect(w.reports().map((r) => r.event)).toEqual(['BOT', 'ALM', 'TRK', 'TRK']);
  });

  it('no network: the dial fails and is retried, the ALM waits and goes out with the same n when service returns', async () => {
    const w = await alarmWithoutNetwork();
    await w.run(60_000);
    expect(w.firmware.state).toBe('calling');
    const dials = w.transcript.filter((e) => e.kind === 'command' && e.text === 'ATD999;');
    expect(dials.length).toBeGreaterThanOrEqual(3);
    expect(w.reports().map((r) => r.event)).toEqual(['BOT']);
    w.network.setDown(false);
    await w.run(30_000);
    const r = w.reports();
    expect(r.slice(0, 3).map((x) => `${x.event}${x.counter}`)).toEqual(['BOT1', 'ALM2', 'TRK3']);
    expect(new Set(r.map((x) => x.counter)).size).toBe(r.length);
    w.line.answer(w.line.ringing()?.callId as number);
    await w.run(2000);
    expect(w.firmware.state).toBe('in-call');
  });

  it('no network: when service returns, the waiting redial dials at once, not at the end of its 60 s backoff', async () => {
    const w = await alarmWithoutNetwork();
    await w.run(3 * 60_000 + 20_000, 200); // a few seconds after a failed attempt: the next one is ~57 s away
    const back = w.clock.now();
    w.network.setDown(false);
    await w.run(2000, 100);
    const dial = w.transcript.find((e) => e.kind === 'command' && e.text === 'ATD999;' && e.at >= back);
    expect(dial).toBeDefined();
    expect(w.line.ringing()).toBeDefined();
    expect(w.firmware.reports.sent.some((r) => r.event === 'ALM')).toBe(true);
  });

  it('a new alarm raised during a long outage goes out right after service returns, not behind the TRKs that piled up', async () => {
    const w = await trackingAfterAnsweredCall();
    await w.run(58_000);
    w.network.setDown(true);
    await w.run(20 * 60_000, 500);
    w.button.hold(2500);
    await w.run(60_000, 500);
    expect(w.firmware.reports.length).toBeGreaterThan(40);
    const before = w.firmware.reports.sent.length;
    w.network.setDown(false);
    await w.run(60_000, 500);
    const after = w.firmware.reports.sent.slice(before).map((r) => r.event);
    // The head of the queue (the TRK that was being retried) first, then the new ALM.
    expect(after.indexOf('ALM')).toBeLessThanOrEqual(1);
    expect(after.length).toBeGreaterThan(40);
    // n still rises in the order the gateway receives them.
    const n = w.reports().map((r) => r.counter);
    expect(n).toEqual([...n].sort((a, b) => a - b));
  });

  it('a second gesture during the call is ignored; tracking ends after the configured minutes', async () => {
    const w = makeWorld({ config: { trackingMinutes: 5 } });
    await w.firmware.boot();
    w.button.hold(2500);
    await w.run(5000);
    const ring = w.line.ringing();
    w.line.answer(ring?.callId as number);
    await w.run(2000);
    w.button.hold(2500);
    await w.run(3000);
    expect(w.firmware.stats.gesturesIgnored).toBe(1);
    w.line.hangup(ring?.callId as number);
    await w.run(5 * 60_000);
    expect(w.firmware.state).toBe('idle');
    // TRK at the first fix (20 s cold start), then every 30 s: 20, 50, ... 290 s; tracking ends at 300 s.
    expect(w.reports().filter((r) => r.event === 'TRK')).toHaveLength(10);
    expect(w.gps.isOn).toBe(false);
  });
});
