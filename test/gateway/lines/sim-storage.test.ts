// When a line's SMS storage is shown as nearly full or full (its health detail and line.health): the boundaries a
// control room relies on to clear a SIM before it refuses her reports (found untested by a hand-run mutation check).
import { describe, expect, it } from 'vitest';
import { storageLevel, storageNearlyFull, storageNote } from '../../../gateway/lines/sim-storage.js';

describe('storageLevel', () => {
  it.each([
    [0, 30, 'ok'],
    [26, 30, 'ok'], // 4 free: more than a tenth (3)
    [27, 30, 'nearly-full'], // 3 free: a tenth
    [29, 30, 'nearly-full'],
    [30, 30, 'full'],
    [7, 10, 'ok'], // 3 free: a tenth is 1, but fewer than 2 free is never fine
    [8, 10, 'nearly-full'],
    [22, 25, 'ok'], // 3 free: a tenth of 25 rounds down to 2
    [23, 25, 'nearly-full'],
    [229, 255, 'ok'], // 26 free
    [230, 255, 'nearly-full'], // 25 free
    [0, 1, 'nearly-full'], // one slot: never more than 2 free
    [1, 1, 'full'],
  ] as const)('%i used of %i: %s', (used, total, level) => {
    expect(storageLevel({ used, total })).toBe(level);
    expect(storageNearlyFull({ used, total })).toBe(level !== 'ok');
  });

  it('unknown storage (none read, or a modem reporting 0 slots) says nothing', () => {
    expect(storageLevel(null)).toBe('ok');
    expect(storageLevel(undefined)).toBe('ok');
    expect(storageLevel({ used: 0, total: 0 })).toBe('ok');
    expect(storageLevel({ used: 3, total: -1 })).toBe('ok');
    expect(storageNote({ used: 0, total: 0 })).toBe('');
  });

  it('the note says how full, and FULL only when it is', () => {
    expect(storageNote({ used: 28, total: 30 })).toMatch(/^SMS storage 28\/30 nearly full: /);
    expect(storageNote({ used: 30, total: 30 })).toMatch(/^SMS storage 30\/30 FULL: new SMS are refused/);
    expect(storageNote({ used: 3, total: 30 })).toBe('');
  });
});
