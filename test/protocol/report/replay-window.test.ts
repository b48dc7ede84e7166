import { describe, expect, it } from 'vitest';
import { parseReplayWindowState, ReplayWindow, type ReplayOutcome } from '../../../protocol/report/index.js';

type Step = [n: number, mac: string, expected: ReplayOutcome];

function run(steps: Step[], window = new ReplayWindow()): ReplayWindow {
  steps.forEach(([n, mac, expected], i) => expect(window.accept(n, mac), `step ${i}: n=${n} mac=${mac}`).toBe(expected));
  return window;
}

describe('anti-replay window', () => {
  const tables: Record<string, Step[]> = {
    'in order': [[0, 'a', 'fresh'], [1, 'b', 'fresh'], [2, 'c', 'fresh']],
    'first report need not be 0': [[1000, 'a', 'fresh'], [999, 'b', 'fresh'], [1001, 'c', 'fresh']],
    'network duplicate (same text twice)': [[5, 'a', 'fresh'], [5, 'a', 'duplicate'], [6, 'b', 'fresh'], [5, 'a', 'duplicate']],
    'reused counter with other content': [[5, 'a', 'fresh'], [5, 'X', 'replay'], [6, 'b', 'fresh'], [5, 'Y', 'replay']],
    'late but unseen inside the window is kept': [[10, 'a', 'fresh'], [7, 'b', 'fresh'], [9, 'c', 'fresh'], [7, 'b', 'duplicate'], [8, 'd', 'fresh']],
    'window edge: 63 behind is inside, 64 behind is too old': [[100, 'a', 'fresh'], [37, 'b', 'fresh'], [36, 'c', 'too-old'], [37, 'b', 'duplicate']],
    'a big jump forgets everything behind it': [[1, 'a', 'fresh'], [2, 'b', 'fresh'], [1000, 'c', 'fresh'], [2, 'b', 'too-old'], [999, 'd', 'fresh'], [937, 'e', 'fresh'], [936, 'f', 'too-old']],
    'jump of exactly 64': [[0, 'a', 'fresh'], [64, 'b', 'fresh'], [0, 'a', 'too-old'], [1, 'c', 'fresh']],
    'jump of 63 keeps the old highest': [[0, 'a', 'fresh'], [63, 'b', 'fresh'], [0, 'a', 'duplicate'], [0, 'z', 'replay']],
    'top of the counter range': [[4294967294, 'a', 'fresh'], [4294967295, 'b', 'fresh'], [4294967295, 'b', 'duplicate']],
    'out-of-range counters are refused': [[-1, 'a', 'too-old'], [4294967296, 'b', 'too-old'], [1.5, 'c', 'too-old']],
  };
  it.each(Object.entries(tables))('%s', (_name, steps) => {
    run(steps);
  });

  it('without MACs a seen counter is a duplicate', () => {
    const w = new ReplayWindow();
    expect(w.accept(3)).toBe('fresh');
    expect(w.accept(3)).toBe('duplicate');
    expect(w.accept(3, 'anything')).toBe('duplicate');
  });

  it('asked without a MAC, a counter seen with one is a duplicate, not a replay', () => {
    const w = run([[3, 'a', 'fresh']]);
    expect(w.check(3)).toBe('duplicate');
    expect(w.accept(3)).toBe('duplicate');
    expect(w.accept(3, 'b')).toBe('replay');
  });

  it('a long run in order stores a state that restores (16 hex digits, at most 64 MACs) and still refuses replays', () => {
    const w = new ReplayWindow();
    for (let n = 0; n < 200; n++) expect(w.accept(n, `m${n}`)).toBe('fresh');
    const state = w.toJSON();
    expect(state.bitmap).toBe('ffffffffffffffff');
    expect(state.macs).toHaveLength(64);
    const parsed = parseReplayWindowState(JSON.parse(JSON.stringify(state)));
    expect(parsed).not.toBeNull();
    run([[199, 'm199', 'duplicate'], [136, 'm136', 'duplicate'], [136, 'forged', 'replay'], [135, 'm135', 'too-old'], [200, 'm200', 'fresh']], new ReplayWindow(parsed ?? undefined));
  });

  it('a big jump stores only the new counter', () => {
    const w = run([[1, 'a', 'fresh'], [2, 'b', 'fresh'], [1000, 'c', 'fresh']]);
    expect(w.toJSON()).toEqual({ highest: 1000, bitmap: '0000000000000001', macs: ['c'] });
  });

  it('the state it gives and the state it was restored from are copies: later reports change neither', () => {
    const w = run([[10, 'a', 'fresh'], [8, 'b', 'fresh']]);
    const given = w.toJSON();
    const before = JSON.stringify(given);
    run([[9, 'd', 'fresh'], [11, 'c', 'fresh']], w); // a late report first: it is the one written in place
    expect(JSON.stringify(given)).toBe(before);
    const restored = new ReplayWindow(given);
    run([[7, 'f', 'fresh'], [12, 'e', 'fresh']], restored);
    expect(JSON.stringify(given)).toBe(before);
  });

  it('the empty window and one at the top of the counter range store and restore', () => {
    for (const w of [new ReplayWindow(), run([[4294967295, 'a', 'fresh']])]) {
      const state = JSON.parse(JSON.stringify(w)) as unknown;
      expect(parseReplayWindowState(state), JSON.stringify(state)).toEqual(w.toJSON());
    }
  });

  it('check() answers like accept() but changes nothing', () => {
    const w = run([[10, 'a', 'fresh']]);
    expect(w.check(11, 'b')).toBe('fresh');
    expect(w.check(11, 'b')).toBe('fresh');
    expect(w.highest).toBe(10);
    expect(w.check(10, 'a')).toBe('duplicate');
    expect(w.check(10, 'q')).toBe('replay');
  });

  it('state survives JSON (store and restore) and gives the same answers', () => {
    const w = run([[100, 'a', 'fresh'], [98, 'b', 'fresh'], [40, 'c', 'fresh']]);
    const json = JSON.stringify(w);
    const state = JSON.parse(json) as unknown;
    const parsed = parseReplayWindowState(state);
    expect(parsed).not.toBeNull();
    const restored = new ReplayWindow(parsed ?? undefined);
    expect(restored.toJSON()).toEqual(w.toJSON());
    run([[100, 'a', 'duplicate'], [98, 'x', 'replay'], [99, 'd', 'fresh'], [40, 'c', 'duplicate'], [36, 'e', 'too-old'], [41, 'f', 'fresh']], restored);
    expect(json).not.toMatch(/n$/); // no BigInt leaked into JSON
  });

  it('the bitmap is 16 hex digits with bit i = highest - i', () => {
    const w = run([[10, 'a', 'fresh'], [9, 'b', 'fresh'], [7, 'c', 'fresh']]);
    expect(w.toJSON()).toMatchObject({ highest: 10, bitmap: '000000000000000b' });
    expect(new ReplayWindow().toJSON()).toEqual({ highest: -1, bitmap: '0000000000000000', macs: [] });
  });

  it('refuses malformed stored state', () => {
    for (const bad of [null, 1, {}, { highest: 1.5, bitmap: '0000000000000000' }, { highest: 3, bitmap: 'xyz' }, { highest: -1, bitmap: '0000000000000001' }, { highest: 3, bitmap: '0000000000000001', macs: 'a' },
      { highest: 4294967296, bitmap: '0000000000000001' }, { highest: 3, bitmap: 'b' }, { highest: 3, bitmap: '00000000000000001' },
      { highest: 3, bitmap: '0000000000000001', macs: new Array<string>(65).fill('') }, { highest: 3, bitmap: '0000000000000001', macs: ['x'.repeat(17)] },
      { highest: 3, bitmap: '0000000000000001', macs: [1] }, { highest: 3, bitmap: '0000000000000001', macs: [['a']] }]) {
      expect(parseReplayWindowState(bad), JSON.stringify(bad)).toBeNull();
    }
    expect(() => new ReplayWindow({ highest: 3, bitmap: 'zz', macs: [] })).toThrow(RangeError);
    expect(parseReplayWindowState({ highest: 3, bitmap: '0000000000000001' })).toEqual({ highest: 3, bitmap: '0000000000000001', macs: [] });
  });
});
