import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SimBattery } from '../../../firmware-sim/handset/battery.js';

const RATES = { idlePerHour: 1, gpsPerHour: 4, callPerHour: 10, perSms: 0.5 };

describe('SimBattery', () => {
  it('drains by activity: idle, GPS on, call, per SMS', () => {
    const clock = new ManualClock();
    const b = new SimBattery(clock, 100, RATES);
    clock.advance(3_600_000);
    expect(b.percent()).toBe(99);
    b.setActive('gps', true);
    b.setActive('call', true);
    clock.advance(3_600_000);
    expect(b.percent()).toBe(84);
    b.setActive('call', false);
    b.setActive('gps', false);
    for (let i = 0; i < 4; i++) b.smsSent();
    expect(b.percent()).toBe(82);
  });

  it('calls the low listener once when the level crosses the threshold, again only after recharging', () => {
    const clock = new ManualClock();
    const b = new SimBattery(clock, 20, RATES);
    let lows = 0;
    b.onLow(15, () => lows++);
    b.setActive('call', true);
    clock.advance(30 * 60_000);
    expect(b.percent()).toBeLessThanOrEqual(15);
    expect(lows).toBe(1);
    clock.advance(30 * 60_000);
    expect(lows).toBe(1);
    b.setPercent(80);
    b.setPercent(10);
    expect(lows).toBe(2);
  });
});
