// The lines table's "Since": the start of a line's run up or not up, not its newest event.
import { describe, expect, it } from 'vitest';
import { LineSince } from '../../console/line-since.js';

const at = (s: number) => new Date(Date.parse('2026-11-24T10:00:00Z') + s * 1000).toISOString();

describe('LineSince', () => {
  // A down line retries (initialising, down again with a new delay): each retry is an event, and the table's
  // "Since" was the newest event's time: a line down for an hour read "since" its last retry.
  it('a down line keeps the time it went down through its retries', () => {
    const runs = new LineSince();
    runs.note({ lineId: 'line1', state: 'up', at: at(0) }, true);
    runs.note({ lineId: 'line1', state: 'down', at: at(60) }, true);
    for (let i = 1; i <= 5; i++) {
      runs.note({ lineId: 'line1', state: 'initialising', at: at(60 + i * 30) }, true);
      runs.note({ lineId: 'line1', state: 'down', at: at(61 + i * 30) }, true);
    }
    expect(runs.of('line1')).toEqual({ up: false, at: at(60), exact: true });
    runs.note({ lineId: 'line1', state: 'initialising', at: at(400) }, true);
    runs.note({ lineId: 'line1', state: 'up', at: at(401) }, true);
    runs.note({ lineId: 'line1', state: 'up', at: at(500) }, true); // a signal change
    expect(runs.of('line1')).toEqual({ up: true, at: at(401), exact: true });
  });

  it('a line first seen in the middle of the log began then or earlier', () => {
    const runs = new LineSince();
    runs.note({ lineId: 'line2', state: 'down', at: at(10) }, false);
    runs.note({ lineId: 'line2', state: 'initialising', at: at(20) }, true);
    expect(runs.of('line2')).toEqual({ up: false, at: at(10), exact: false });
    runs.note({ lineId: 'line2', state: 'up', at: at(30) }, true);
    expect(runs.of('line2')).toEqual({ up: true, at: at(30), exact: true });
    runs.clear();
    expect(runs.of('line2')).toBeUndefined();
  });
});
