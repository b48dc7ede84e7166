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
  /**
   * Timers as a binary min-heap ordered by (due, id): set, clear and fire cost O(log n), which matters to
   * simulations that keep tens of thousands of retry timers. A cleared timer stays in the heap, marked, and
   * is dropped when it reaches the top (`live` maps the ids still to fire).
   */
  private heap: Pending[] = [];
  private readonly live = new Map<number, Pending>();

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    const timer: Pending = { id, due: this.current + Math.max(0, ms), fn };
    this.live.set(id, timer);
    this.push(timer);
    return { id };
  }

  clearTimeout(handle: TimerHandle): void {
    if (!this.live.delete(handle.id)) return;
    // Many cleared timers far in the future (a retry cleared at once): rebuild rather than let them pile up.
    if (this.heap.length > 1024 && this.heap.length > 2 * this.live.size) {
      this.heap = [];
      for (const t of this.live.values()) this.push(t);
    }
  }

  /** Number of timers waiting to fire. */
  get pendingCount(): number {
    return this.live.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way (including ones they set). */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const next = this.heap[0];
      if (next === undefined || next.due > end) break;
      this.pop();
      if (!this.live.delete(next.id)) continue; // cleared
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

  private push(t: Pending): void {
    const h = this.heap;
    let i = h.push(t) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(t, h[parent] as Pending)) break;
      h[i] = h[parent] as Pending;
      i = parent;
    }
    h[i] = t;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop() as Pending;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const c = r < h.length && before(h[r] as Pending, h[l] as Pending) ? r : l;
      if (!before(h[c] as Pending, last)) break;
      h[i] = h[c] as Pending;
      i = c;
    }
    h[i] = last;
  }
}

/** Due order; ties in the order the timers were set. */
function before(a: Pending, b: Pending): boolean {
  return a.due < b.due || (a.due === b.due && a.id < b.id);
}
