// The audible TecSOS alert's repetition (console/alarm.ts): a beep every ALARM_REPEAT_MS while the alarm should
// sound, none once it should not, and again when it should. No AudioContext in node: the beeps are counted.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Alarm, ALARM_REPEAT_MS } from '../../console/alarm.js';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-23T06:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Alarm', () => {
  it('repeats every 1.5 s while a TecSOS alarm waits, stops when it is dealt with, and sounds again for a new one', () => {
    expect(ALARM_REPEAT_MS).toBe(1500);
    let waiting = true;
    const told: number[] = [];
    const alarm = new Alarm(() => waiting, (n) => told.push(n));
    alarm.start();
    // At once, not 1.5 s after the console started.
    expect(alarm.beeps).toBe(1);
    vi.advanceTimersByTime(1500 * 4);
    expect(alarm.beeps).toBe(5);
    expect(told).toEqual([1, 2, 3, 4, 5]);
    // Many events in a burst (each calls tick) do not make it beep faster.
    for (let i = 0; i < 10; i++) alarm.tick();
    expect(alarm.beeps).toBe(5);
    // Accepted: silence, however long.
    waiting = false;
    vi.advanceTimersByTime(60_000);
    expect(alarm.beeps).toBe(5);
    // A new TecSOS call: heard on the event itself, and again every 1.5 s.
    waiting = true;
    alarm.tick();
    expect(alarm.beeps).toBe(6);
    vi.advanceTimersByTime(1500 * 2);
    expect(alarm.beeps).toBe(8);
    alarm.stop();
    vi.advanceTimersByTime(60_000);
    expect(alarm.beeps).toBe(8);
  });

  it('a second start does not double the rate', () => {
    const alarm = new Alarm(() => true, () => undefined);
    alarm.start();
    alarm.start();
    vi.advanceTimersByTime(1500 * 4);
    expect(alarm.beeps).toBe(5);
    alarm.stop();
    vi.advanceTimersByTime(1500 * 4);
    expect(alarm.beeps).toBe(5);
  });
});
