import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';

describe('ManualClock', () => {
  it('fires timers in due order, each seeing its own due time', () => {
    const clock = new ManualClock(1000);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.now()}`), 20);
    clock.setTimeout(() => seen.push(`a@${clock.now()}`), 10);
    clock.setTimeout(() => seen.push(`c@${clock.now()}`), 20);
    clock.advance(15);
    expect(seen).toEqual(['a@1010']);
    clock.advance(100);
    expect(seen).toEqual(['a@1010', 'b@1020', 'c@1020']);
    expect(clock.now()).toBe(1115);
  });

  it('runs timers set by timers within the same advance, and honours clearTimeout', () => {
    const clock = new ManualClock(0);
    const seen: number[] = [];
    const h = clock.setTimeout(() => seen.push(-1), 5);
    clock.setTimeout(() => clock.setTimeout(() => seen.push(clock.now()), 10), 10);
    clock.clearTimeout(h);
    clock.advance(30);
    expect(seen).toEqual([20]);
    expect(clock.pendingCount).toBe(0);
  });
});

describe('SeededRandom', () => {
  it('replays the same stream for the same seed and differs for another', () => {
    const a = new SeededRandom(42);
    const b = new SeededRandom(42);
    const c = new SeededRandom(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });

  it('int stays in range and covers it', () => {
    const r = new SeededRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const v = r.int(1, 6);
      expect(v >= 1 && v <= 6).toBe(true);
      seen.add(v);
    }
    expect(seen.size).toBe(6);
  });
});

describe('ManualClock with many timers', () => {
  it('fires in due order, ties in the order set, never a cleared one, across heavy set/clear churn', () => {
    const clock = new ManualClock(0);
    const random = new SeededRandom(4);
    const fired: { at: number; due: number; order: number }[] = [];
    const expected: { due: number; order: number }[] = [];
    const handles: { handle: ReturnType<ManualClock['setTimeout']>; due: number; order: number }[] = [];
    for (let order = 0; order < 20_000; order++) {
      const due = Math.floor(random.next() * 500) * 10; // many equal due times
      const handle = clock.setTimeout(() => fired.push({ at: clock.now(), due, order }), due);
      handles.push({ handle, due, order });
    }
    for (const h of handles) {
      if (random.next() < 0.7) clock.clearTimeout(h.handle);
      else expected.push({ due: h.due, order: h.order });
    }
    expect(clock.pendingCount).toBe(expected.length);
    clock.advance(10_000);
    expected.sort((a, b) => a.due - b.due || a.order - b.order);
    expect(fired.map((f) => f.order)).toEqual(expected.map((e) => e.order));
    expect(fired.every((f) => f.at === f.due)).toBe(true);
    expect(clock.pendingCount).toBe(0);
  });
});
