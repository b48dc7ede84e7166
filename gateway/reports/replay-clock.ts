// The clock under the SMS reassembler, so that the pending parts of concatenated reports can be rebuilt
// from the log at start-up with their original times, then carry on live:
//
// - replay: time stands at whatever the replay sets (`advanceTo(t)`, the stored part's receivedAt); timers
//   are kept here and fire as replay time passes them.
// - live: time is the base clock's; timers run on it. `goLive()` moves every kept timer onto the base clock
//   at its original due time (overdue ones fire at once).
// - `pinned`: while one part is added, now() is that part's receivedAt (live and replay alike), so a
//   message's first-seen time and expiry are the same whether it was built live or rebuilt after a restart.
import type { Clock, TimerHandle } from '../../protocol/time/clock.js';

type Kept = { readonly id: number; readonly due: number; readonly fn: () => void };

export class ReplayClock implements Clock {
  private live = false;
  private replayNow: number;
  private pinnedAt: number | undefined;
  private nextId = 1;
  private kept: Kept[] = [];
  private readonly onBase = new Map<number, TimerHandle>();

  constructor(private readonly base: Clock) {
    this.replayNow = base.now();
  }

  now(): number {
    return this.pinnedAt ?? (this.live ? this.base.now() : this.replayNow);
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const due = this.now() + Math.max(0, ms);
    if (this.live) this.schedule(id, due, fn);
    else {
      let i = this.kept.length;
      while (i > 0 && (this.kept[i - 1] as Kept).due > due) i--;
      this.kept.splice(i, 0, { id, due, fn });
    }
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const i = this.kept.findIndex((k) => k.id === handle.id);
    if (i >= 0) this.kept.splice(i, 1);
    const h = this.onBase.get(handle.id);
    if (h !== undefined) {
      this.base.clearTimeout(h);
      this.onBase.delete(handle.id);
    }
  }

  /** Fixes now() at `at` until unpin(); returns what to give unpin() (pins nest). pinned() without a closure. */
  pin(at: number): number | undefined {
    const before = this.pinnedAt;
    this.pinnedAt = at;
    return before;
  }

  unpin(before: number | undefined): void {
    this.pinnedAt = before;
  }

  /** Runs `fn` with now() fixed at `at`. */
  pinned<T>(at: number, fn: () => T): T {
    const before = this.pinnedAt;
    this.pinnedAt = at;
    try {
      return fn();
    } finally {
      this.pinnedAt = before;
    }
  }

  /** Replay only: moves replay time forward to `t`, firing the kept timers due on the way. */
  advanceTo(t: number): void {
    if (this.live) return;
    for (;;) {
      const next = this.kept[0];
      if (next === undefined || next.due > t) break;
      this.kept.shift();
      this.replayNow = next.due;
      next.fn();
    }
    this.replayNow = Math.max(this.replayNow, t);
  }

  /** Ends the replay: kept timers move onto the base clock. */
  goLive(): void {
    this.live = true;
    for (const k of this.kept) this.schedule(k.id, k.due, k.fn);
    this.kept = [];
  }

  private schedule(id: number, due: number, fn: () => void): void {
    const h = this.base.setTimeout(() => {
      this.onBase.delete(id);
      fn();
    }, Math.max(0, due - this.base.now()));
    this.onBase.set(id, h);
  }
}
