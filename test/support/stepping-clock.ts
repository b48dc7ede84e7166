// A ManualClock whose wall clock can be stepped while its timers and its monotonic time run on undisturbed,
// as the system clock's Date.now() and performance.now() do when someone runs `date -s` or NTP steps the
// clock. The gateway's retention clock check (gateway/core/retention-clock.ts) reads `monotonicNow()`.
import { ManualClock } from '../../protocol/time/clock.js';

export class SteppingClock extends ManualClock {
  private step = 0;
  override now(): number {
    return super.now() + this.step;
  }
  monotonicNow(): number {
    return super.now();
  }
  /** Steps the wall clock by `ms` (negative: back). */
  stepWall(ms: number): void {
    this.step += ms;
  }
}
