// Staleness thresholds of a fix and the display formats a handler reads.
import { describe, expect, it } from 'vitest';
import { IncidentOutcome } from '../../protocol/schemas/incidents.js';
import { bearing, clock, lineDetailText, OUTCOME_TEXT, signal, speed, timeOfDay } from '../../console/format.js';
import { AMBER_MAX_S, FRESH_MAX_S, staleness } from '../../console/staleness.js';

describe('staleness', () => {
  it('green up to 60 s, amber up to 180 s, red beyond', () => {
    expect([FRESH_MAX_S, AMBER_MAX_S]).toEqual([60, 180]);
    expect(staleness(0)).toBe('fresh');
    expect(staleness(60)).toBe('fresh');
    expect(staleness(61)).toBe('ageing');
    expect(staleness(180)).toBe('ageing');
    expect(staleness(181)).toBe('stale');
  });

  it('a last-known position (RMC status V) is never shown as current', () => {
    expect(staleness(5, false)).toBe('ageing');
    expect(staleness(500, false)).toBe('stale');
  });
});

describe('format', () => {
  it('clocks', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(94.9)).toBe('1:34');
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(-3)).toBe('0:00');
  });

  it('speed in mph and km/h', () => {
    expect(speed(10)).toBe('12 mph (19 km/h)');
    expect(speed(null)).toBe('speed unknown');
  });

  it('signal from CSQ (27.007: -113 + 2n dBm)', () => {
    expect(signal(18)).toBe('4/5 (-77 dBm)');
    expect(signal(99)).toBe('signal unknown');
    expect(signal(0)).toBe('0/5 (-113 dBm)');
  });

  it('bearing: north, east', () => {
    expect(Math.round(bearing(51, 0, 52, 0))).toBe(0);
    expect(Math.round(bearing(0, 0, 0, 1))).toBe(90);
  });
});

describe('timeOfDay', () => {
  it('adds the date when the instant is not today', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(timeOfDay('2026-11-23T11:59:00Z', now)).not.toMatch(/Nov/);
    expect(timeOfDay('2026-11-22T09:00:00Z', now)).toMatch(/^22 Nov /);
    expect(timeOfDay('not a time', now)).toBe('?');
  });
});

describe('outcomes in words', () => {
  // The incident's state line read "Incident closed: officers-attended", the wire code.
  it('every outcome has words, none of them a code with dashes', () => {
    for (const o of IncidentOutcome.options) expect(OUTCOME_TEXT[o], o).toMatch(/^[a-z][a-z ]*[a-z]$/);
    expect(OUTCOME_TEXT['officers-attended']).toBe('officers attended');
    expect(OUTCOME_TEXT.transferred).toBe('transferred to another force');
  });
});

describe('a down line\'s retry, counted down', () => {
  // The gateway writes "retry in 4000 ms" once, when the line goes down; the engineer read that figure unchanged
  // for as long as the row stood.
  const at = '2026-11-24T10:00:00.000Z';
  const t = Date.parse(at);
  it('counts down from the event\'s time, then says it is retrying', () => {
    const detail = 'connection refused; retry in 4000 ms';
    expect(lineDetailText(detail, at, t)).toBe('connection refused; retry in 0:04');
    expect(lineDetailText(detail, at, t + 2500)).toBe('connection refused; retry in 0:02');
    expect(lineDetailText(detail, at, t + 4000)).toBe('connection refused; retrying');
    expect(lineDetailText('init failed at AT+CMGF=0; retry in 30000 ms; SMS storage 28/30 nearly full', at, t + 1000))
      .toBe('init failed at AT+CMGF=0; retry in 0:29; SMS storage 28/30 nearly full');
  });
  it('leaves any other detail alone', () => {
    expect(lineDetailText('poll', at, t)).toBe('poll');
  });
});
