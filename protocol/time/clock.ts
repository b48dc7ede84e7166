// Time as an injected dependency, so that the AT engine, the simulator and the gateway run the same code
// against the wall clock in production and against a manual clock in tests (reproducible to the millisecond).

/** A handle returned by {@link Clock.setTimeout}; opaque to callers. */
export type TimerHandle = { readonly id: number };

/** The only way code in this repository reads time or waits. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds (0 allowed: after the current task). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a pending timer; a handle that already fired or was cleared is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

type Pending = { readonly id: number; readonly due: number; readonly fn: () => void };

/** The wall clock, backed by the host's timers (works in Node and in the browser). */
export class SystemClock implements Clock {
  private readonly timers = new Map<number, ReturnType<typeof globalThis.setTimeout>>();
  private nextId = 1;

  now(): number {
    return Date.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const t = globalThis.setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, ms);
    this.timers.set(id, t);
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const t = this.timers.get(handle.id);
    if (t !== undefined) {
      globalThis.clearTimeout(t);
      this.timers.delete(handle.id);
    }
  }
}

/** One shared wall clock for production wiring. */
export const systemClock: Clock = new SystemClock();

/**
 * A clock that moves only when told to. Timers fire in due order (ties in the order they were set), each
 * seeing `now()` equal to its due time, so a test can play an hour of simulated traffic in milliseconds.
 */
export class ManualClock implements Clock {
  private current: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const due = this.current + Math.max(0, ms);
    // Keep `pending` sorted by (due, id): insertion after every timer due at or before this one.
    let i = this.pending.length;
    while (i > 0 && (this.pending[i - 1] as Pending).due > due) i--;
    this.pending.splice(i, 0, { id, due, fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    const i = this.pending.findIndex((p) => p.id === handle.id);
    if (i >= 0) this.pending.splice(i, 1);
  }

  /** Number of timers waiting to fire. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (including ones they set). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const next = this.pending[0];
      if (next === undefined || next.due > end) break;
      this.pending.shift();
      this.current = next.due;
      next.fn();
    }
    this.current = end;
  }

  /**
   * Like {@link advance}, but lets promise callbacks run between timers, for code that awaits between steps.
   * `stepMs` bounds how far time jumps before the microtask queue is drained.
   */
  async advanceAsync(ms: number, stepMs = 1): Promise<void> {
    const end = this.current + ms;
    while (this.current < end) {
      this.advance(Math.min(stepMs, end - this.current));
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
  }
}
