// How long the action status line keeps a message: a red failure stayed, red, until another message replaced it.
import { describe, expect, it } from 'vitest';
import { ALERT_RED_S, STATUS_KEEP_S, statusStage } from '../../console/status-age.js';

describe('statusStage', () => {
  it('news for 30 s, then old (plain, with its time), gone at two minutes', () => {
    expect([ALERT_RED_S, STATUS_KEEP_S]).toEqual([30, 120]);
    expect(statusStage(0)).toBe('current');
    expect(statusStage(29.9)).toBe('current');
    expect(statusStage(30)).toBe('old');
    expect(statusStage(119)).toBe('old');
    expect(statusStage(120)).toBe('gone');
  });

  it('a message kept while its problem lasts does not age', () => {
    expect(statusStage(3600, true)).toBe('current');
  });
});
