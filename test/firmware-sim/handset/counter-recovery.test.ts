// Both counter slots unreadable (a power cut during a write on top of a worn sector, any flash fault): the
// last report counter is lost. The gateway keeps the highest n it accepted from the handset and refuses
// anything at or below highest-64 (`too-old`) or seen with another MAC (`replay`), protocol/report
// replay-window.ts. A handset that restarted at 1 would have every report refused, its ALM included, until
// its counter passed the old highest. These tests play the handset's life through the gateway's own window.
import { describe, expect, it } from 'vitest';
import { MAX_COUNTER, ReplayWindow, type DecodedReport } from '../../../protocol/report/index.js';
import { lostCounterFloor } from '../../../firmware-sim/handset/counter-floor.js';
import { HandsetFlash } from '../../../firmware-sim/handset/flash.js';
import { MemoryFlashDevice } from '../../../firmware-sim/handset/flash-device.js';
import { ReportQueue } from '../../../firmware-sim/handset/report-queue.js';
import type { Battery } from '../../../firmware-sim/handset/battery.js';
import type { HandsetModem } from '../../../firmware-sim/handset/modem.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { makeWorld, START, trackingAfterAnsweredCall, type World } from './world.js';

/** The gateway's side: every report the gateway's phone got, in order, through one replay window. */
function gatewayWindow() {
  const window = new ReplayWindow();
  const outcomes: { event: string; counter: number; outcome: string }[] = [];
  let seen = 0;
  /** Feeds the reports `w`'s gateway phone received since the last call for that world. */
  function feed(w: World): void {
    const all = w.reports();
    for (const r of all.slice(seen)) outcomes.push({ event: r.event, counter: r.counter, outcome: window.accept(r.counter, r.mac) });
    seen = all.length;
  }
  /** A new world (the reboot) has a new gateway phone: start counting its reports from 0. */
  const nextWorld = () => (seen = 0);
  return { window, outcomes, feed, nextWorld };
}

/** Power-cycles with both counter slots corrupted while it was off. */
async function rebootWithCountersLost(w: World, offMs = 60_000): Promise<World> {
  w.device.corrupt('counters-a', 20);
  w.device.corrupt('counters-b', 20);
  const after = makeWorld({ flash: w.device, start: w.clock.now() + offMs });
  await after.firmware.boot();
  return after;
}

const alms = (outcomes: readonly { event: string; outcome: string }[]) => outcomes.filter((o) => o.event === 'ALM');

/**
 * A handset that ran, had both counter slots corrupted, and booted again with its RTC at its reset value
 * (2000-01-01: it lost power with the flash fault): its counter is lost and its clock not known.
 */
async function rebootWithCounterAndClockLost(): Promise<ReturnType<typeof makeWorld>> {
  const w = makeWorld();
  await w.firmware.boot();
  await w.run(2000);
  w.device.corrupt('counters-a', 20);
  w.device.corrupt('counters-b', 20);
  const w2 = makeWorld({ flash: w.device, start: Date.UTC(2000, 0, 1) });
  await w2.firmware.boot();
  return w2;
}

describe('report counter lost from flash (both slots corrupt)', () => {
  it('the ALM raised after the reboot is accepted by the gateway window, not refused as too-old or replay', async () => {
    // A first alarm tracked for 40 minutes: about 80 TRKs, so the gateway's highest n is well above 64.
    const w = await trackingAfterAnsweredCall({ bootMs: 1000 });
    await w.run(40 * 60_000, 500);
    const gw = gatewayWindow();
    gw.feed(w);
    const highestBefore = gw.window.highest;
    expect(highestBefore).toBeGreaterThan(64);
    expect(gw.outcomes.every((o) => o.outcome === 'fresh')).toBe(true);

    const w2 = await rebootWithCountersLost(w);
    expect(w2.firmware.flash.status.countersCorrupted).toBe(true);
    await w2.run(5000);
    w2.button.hold(2500);
    await w2.run(60_000);
    gw.nextWorld();
    gw.feed(w2);
    const after: DecodedReport[] = w2.reports();
    expect(after.map((r) => r.event)).toContain('ALM');
    expect(after.map((r) => r.event)).toContain('TRK');
    // Every report after the reboot (the BOT, the ALM, the TRKs) is accepted: none reuses or undercuts an n.
    expect(alms(gw.outcomes)).toHaveLength(2);
    expect(alms(gw.outcomes).map((o) => o.outcome)).toEqual(['fresh', 'fresh']);
    expect(gw.outcomes.filter((o) => o.outcome !== 'fresh')).toEqual([]);
    expect(Math.min(...after.map((r) => r.counter))).toBeGreaterThan(highestBefore);
    // The 999 call went out as well.
    expect(w2.commands()).toContain('ATD999;');
  });

  it('one slot corrupt: counting resumes from the good slot, never reusing an n that may have gone out', async () => {
    for (const lost of ['newest', 'oldest'] as const) {
      const w = makeWorld();
      await w.firmware.boot();
      await w.run(1000);
      w.button.hold(2500);
      await w.run(10_000); // BOT and ALM out: both slots hold a record, their n one apart
      const last = w.reports().at(-1)?.counter as number;
      expect(w.firmware.flash.reportCounter).toBe(last);
      const newest = generation(w, 'counters-a') > generation(w, 'counters-b') ? 'counters-a' : 'counters-b';
      const oldest = newest === 'counters-a' ? 'counters-b' : 'counters-a';
      w.device.corrupt(lost === 'newest' ? newest : oldest, 20);
      const w2 = makeWorld({ flash: w.device, start: w.clock.now() + 60_000 });
      expect(w2.firmware.flash.status.countersCorrupted).toBe(false);
      await w2.firmware.boot();
      await w2.run(2000);
      const bot = w2.reports().find((r) => r.event === 'BOT')?.counter as number;
      // Above every n used, and from the good slot (one skipped at most), not from the clock's floor.
      expect(bot, `${lost} slot lost`).toBeGreaterThan(last);
      expect(bot, `${lost} slot lost`).toBeLessThanOrEqual(last + 2);
    }
  });

  it('the recovered counter is written to both slots: one more bad slot does not lose it again', async () => {
    const w = makeWorld();
    await w.firmware.boot();
    await w.run(2000);
    const w2 = await rebootWithCountersLost(w);
    await w2.run(2000);
    const bot = w2.reports().find((r) => r.event === 'BOT')?.counter as number;
    expect(bot).toBe((lostCounterFloor(w2.clock.now() - 2000) as number) + 1); // recovered at power-up
    w2.device.corrupt('counters-a', 20);
    const w3 = makeWorld({ flash: w2.device, start: w2.clock.now() + 1000 });
    expect(w3.firmware.flash.status.countersCorrupted).toBe(false);
    expect(w3.firmware.flash.reportCounter).toBeGreaterThanOrEqual(bot);
    expect(w3.firmware.flash.reportCounter).toBeLessThan(bot + 3);
  });

  it('clock not known (RTC reset) with the counter lost: no report goes out numbered low; the 999 call does', async () => {
    const w2 = await rebootWithCounterAndClockLost();
    await w2.run(5000);
    w2.button.hold(2500);
    await w2.run(60_000);
    expect(w2.reports()).toEqual([]);
    expect(w2.firmware.reports.stats.noCounter).toBeGreaterThan(0);
    expect(w2.commands()).toContain('ATD999;');
    // The alarm's phase was written meanwhile, with the counter still marked lost (not restarted at 0).
    expect(w2.firmware.flash.alarm?.phase).toBe('raising');
    const later = new HandsetFlash(w2.device, undefined, { now: () => START + 86_400_000 });
    expect(later.reportCounter).toBe(lostCounterFloor(START + 86_400_000));
    expect(later.alarm?.phase).toBe('raising');
  });

  it('clock not known with the counter lost: the 999 call is not held back by an ALM that cannot be numbered', async () => {
    // The ALM's first attempt is what the call waits for (up to almBeforeDialMs, 15 s); with no n to give it
    // that attempt never came, and the call went out 15 s late on a network that was there all along.
    const w2 = await rebootWithCounterAndClockLost();
    await w2.run(5000); // the BOT is at the head, waiting for a counter
    w2.button.hold(2500);
    await w2.run(5000);
    expect(w2.commands()).toContain('ATD999;');
    expect(w2.reports()).toEqual([]);
  });
});

describe('the report queue while the counter cannot be had', () => {
  it('holds every report, answers the ALM at once, and sends them all in order (ALM behind the head) once the clock is known', async () => {
    const device = new MemoryFlashDevice();
    const provisioned = new HandsetFlash(device);
    provisioned.commit({ config: { ...provisioned.settings.config, gatewayNumber: '+447700900000' }, key: new Uint8Array(32).fill(7) });
    for (let i = 0; i < 10; i++) provisioned.nextReportCounter();
    device.corrupt('counters-a', 20);
    device.corrupt('counters-b', 20);
    const clock = new ManualClock(Date.UTC(2000, 0, 1));
    let rtc = clock.now();
    const flash = new HandsetFlash(device, undefined, { now: () => rtc });
    const sent: string[] = [];
    const modem = { signal: () => Promise.resolve(20), sendSms: (_to: string, text: string) => (sent.push(text), Promise.resolve(true)) } as unknown as HandsetModem;
    const battery = { percent: () => 80, smsSent: () => undefined } as unknown as Battery;
    const queue = new ReportQueue({ clock, modem, flash, battery, handsetId: 'TS-0001' });
    const reading = { rmc: '$GPRMC,,V,,,,,,,,,,N*53', gga: '$GPGGA,,,,,,0,00,99.99,,,,,,*48' };

    const attempted: Record<string, boolean> = {};
    for (const e of ['BOT', 'TRK'] as const) void queue.enqueue(e, reading).then((v) => (attempted[e] = v));
    await clock.advanceAsync(1000, 50);
    expect(attempted).toEqual({ BOT: false, TRK: false });
    void queue.enqueue('ALM', reading).then((v) => (attempted['ALM'] = v));
    await clock.advanceAsync(1000, 50);
    expect(attempted['ALM']).toBe(false); // answered at once: the 999 call does not wait for it
    expect(sent).toEqual([]);
    expect(queue.length).toBe(3);

    rtc = Date.UTC(2026, 10, 23, 6); // GPS or network time arrived
    await clock.advanceAsync(130_000, 50); // the next retry
    const floor = lostCounterFloor(rtc) as number;
    expect(sent.map((t) => /;n=(\d+);e=(\w+);/.exec(t)?.slice(1).join(' '))).toEqual([`${floor + 1} BOT`, `${floor + 2} ALM`, `${floor + 3} TRK`]);
    expect(queue.length).toBe(0);
  });
});

describe('lostCounterFloor', () => {
  it('is above any count at one report a second since 2020, a valid n until 2156, and unknown before the build date', () => {
    expect(lostCounterFloor(Date.UTC(2026, 10, 23))).toBe((Date.UTC(2026, 10, 23) - Date.UTC(2020, 0, 1)) / 1000);
    expect(lostCounterFloor(Date.UTC(2100, 0, 1))).toBeLessThan(MAX_COUNTER);
    expect(lostCounterFloor(Date.UTC(2156, 0, 1))).toBeLessThan(MAX_COUNTER);
    expect(lostCounterFloor(Date.UTC(2000, 0, 1))).toBeUndefined();
    expect(lostCounterFloor(0)).toBeUndefined();
    expect(lostCounterFloor(undefined)).toBeUndefined();
  });

  it('a handset clock-less at first recovers once the clock is set, to both slots', () => {
    const device = new MemoryFlashDevice();
    const used = new HandsetFlash(device);
    for (let i = 0; i < 100; i++) used.nextReportCounter();
    device.corrupt('counters-a', 20);
    device.corrupt('counters-b', 20);
    let now = Date.UTC(2000, 0, 1);
    const flash = new HandsetFlash(device, undefined, { now: () => now });
    expect(flash.status.countersCorrupted).toBe(true);
    expect(flash.reportCounter).toBeNull();
    expect(flash.nextReportCounter()).toBeUndefined();
    flash.saveAuthFailures({ badSignatures: 1, lockedUntilMs: 0 });
    expect(new HandsetFlash(device).reportCounter).toBeNull(); // still lost after a reboot, not 0
    now = START; // GPS or network time arrived
    const writes = device.writes;
    expect(flash.nextReportCounter()).toBe((lostCounterFloor(START) as number) + 1);
    expect(device.writes).toBe(writes + 3); // the recovered value to both slots, then the n used
  });
});

function generation(w: World, region: 'counters-a' | 'counters-b'): number {
  const bytes = w.device.read(region) as Uint8Array;
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(4);
}
