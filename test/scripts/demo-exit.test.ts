// `make demo` with its gateway killed (SIGKILL, its process alone, in the middle of three alarms) said "gateway
// exited (status null); stopping the demo": Node gives a killed child's status as null and its signal apart.
// scripts/demo.ts now says how it ended and that ./data is kept for the next start.
import { describe, expect, it } from 'vitest';
import { childEnded } from '../../scripts/demo-exit.js';

describe('what the demo says when one of its programs ends by itself', () => {
  it('a killed gateway: the signal, not "status null", and how to go on', () => {
    const line = childEnded('gateway', null, 'SIGKILL');
    expect(line).toMatch(/^gateway was killed \(SIGKILL\); stopping the demo\./);
    expect(line).not.toContain('null');
    expect(line).toContain('make demo');
  });

  it('a program that exited: its status', () => {
    expect(childEnded('simulator', 3, null)).toMatch(/^simulator exited \(status 3\); stopping the demo\./);
  });
});
