import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../protocol/time/iso-time.js';
import { SeededRandom } from '../../../protocol/time/random.js';

/** toISOString's text, or the name of what it throws. */
function reference(ms: number): string {
  try {
    return new Date(ms).toISOString();
  } catch (err) {
    return `throws ${(err as Error).name}`;
  }
}

function ours(ms: number): string {
  try {
    return isoTime(ms);
  } catch (err) {
    return `throws ${(err as Error).name}`;
  }
}

const DAY = 86_400_000;

describe('isoTime', () => {
  it('is new Date(ms).toISOString() for times around one day, then another, then back (the day it keeps changes)', () => {
    const random = new SeededRandom(8);
    const day = Date.UTC(2026, 10, 25);
    const seen: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Mostly the same day, every tenth one a day or two either side, and each day's edges.
      const offset = i % 10 === 0 ? Math.floor((random.next() * 5 - 2) * DAY) : Math.floor(random.next() * DAY);
      for (const ms of [day + offset, day, day - 1, day + DAY - 1, day + DAY]) {
        const got = ours(ms);
        if (got !== reference(ms)) seen.push(`${ms}: ${got} against ${reference(ms)}`);
      }
    }
    expect(seen).toEqual([]);
  });

  it('is toISOString for times of every era, fractions of a millisecond, and what it refuses', () => {
    const random = new SeededRandom(9);
    const edges = [
      0, -0, -1, 1.5, -1.5, 0.999, 1795414440123, 1795414440123.7,
      Date.UTC(0, 0, 1) - 1, Date.UTC(0, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 999), 253402300799999, 253402300800000,
      -62198755200000, 8.64e15, -8.64e15, 8.64e15 + 1, NaN, Infinity, -Infinity,
    ];
    const seen: string[] = [];
    for (const ms of edges) if (ours(ms) !== reference(ms)) seen.push(`${ms}: ${ours(ms)} against ${reference(ms)}`);
    for (let i = 0; i < 20_000; i++) {
      const ms = Math.floor((random.next() - 0.5) * 2 * 300_000_000_000_000);
      // Each after a time of 2026, so that it is not taken the slow way only because it is the first of its day.
      for (const m of [1795414440123, ms, ms + 1, 1795414440123 + (i % 1000)]) if (ours(m) !== reference(m)) seen.push(`${m}: ${ours(m)} against ${reference(m)}`);
    }
    expect(seen).toEqual([]);
    expect(isoTime(1795414440123)).toBe('2026-11-23T06:14:00.123Z');
    expect(() => isoTime(NaN)).toThrow(RangeError);
  });
});
