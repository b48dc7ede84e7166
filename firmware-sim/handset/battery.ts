// The battery: a percentage that drains by what the handset is doing, and a low threshold crossed once.
// Drain rates are per hour of each activity (they add up: GPS on during a call drains both) plus a fixed
// cost per SMS; the defaults are in the range of a small feature phone with a 1000 mAh cell.

import type { Clock } from '../../protocol/time/clock.js';

/** Something that draws current while it is on. */
export type BatteryActivity = 'gps' | 'call';

/** Drain per hour (percentage points) of each state, and per SMS sent. */
export interface DrainRates {
  readonly idlePerHour: number;
  readonly gpsPerHour: number;
  readonly callPerHour: number;
  readonly perSms: number;
}

export const DEFAULT_DRAIN: DrainRates = { idlePerHour: 0.3, gpsPerHour: 4, callPerHour: 12, perSms: 0.02 };

/** The hardware interface the firmware reads. */
export interface Battery {
  /** Whole percent, 0..100, as AT+CBC and the TSR1 `b=` field report it. */
  percent(): number;
  setActive(activity: BatteryActivity, on: boolean): void;
  /** Charges the cost of one SMS. */
  smsSent(): void;
  /** Called once each time the level falls to or below `threshold` from above it. */
  onLow(threshold: number, listener: () => void): void;
}

/** A simulated cell, integrated over the clock; level changes are checked every `tickMs` (default 60 s). */
export class SimBattery implements Battery {
  private level: number;
  private lastMs: number;
  private readonly active = new Set<BatteryActivity>();
  private low: { threshold: number; listener: () => void; below: boolean } | undefined;

  constructor(
    private readonly clock: Clock,
    startPercent = 100,
    private readonly rates: DrainRates = DEFAULT_DRAIN,
    private readonly tickMs = 60_000,
  ) {
    this.level = startPercent;
    this.lastMs = clock.now();
    this.schedule();
  }

  percent(): number {
    this.integrate();
    return Math.max(0, Math.min(100, Math.round(this.level)));
  }

  setActive(activity: BatteryActivity, on: boolean): void {
    this.integrate();
    if (on) this.active.add(activity);
    else this.active.delete(activity);
  }

  smsSent(): void {
    this.integrate();
    this.level -= this.rates.perSms;
    this.check();
  }

  onLow(threshold: number, listener: () => void): void {
    this.low = { threshold, listener, below: this.percent() <= threshold };
  }

  /** Test and emulator hook: sets the level directly (a charger, or a nearly flat cell). */
  setPercent(p: number): void {
    this.integrate();
    this.level = p;
    this.check();
  }

  private integrate(): void {
    const now = this.clock.now();
    const hours = (now - this.lastMs) / 3_600_000;
    this.lastMs = now;
    let rate = this.rates.idlePerHour;
    if (this.active.has('gps')) rate += this.rates.gpsPerHour;
    if (this.active.has('call')) rate += this.rates.callPerHour;
    this.level = Math.max(0, this.level - rate * hours);
  }

  private check(): void {
    if (this.low === undefined) return;
    const below = Math.round(this.level) <= this.low.threshold;
    if (below && !this.low.below) {
      this.low.below = true;
      this.low.listener();
    } else if (!below) this.low.below = false;
  }

  private schedule(): void {
    this.clock.setTimeout(() => {
      this.integrate();
      this.check();
      this.schedule();
    }, this.tickMs);
  }
}
