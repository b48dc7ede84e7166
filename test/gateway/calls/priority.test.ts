import { describe, expect, it } from 'vitest';
import { decidePriority, PRIORITY_RANK, type RegisteredHandset, type TecsosRange } from '../../../gateway/calls/priority.js';
import { normaliseNumber } from '../../../gateway/calls/phone-number.js';

const ranges: TecsosRange[] = [
  { force: 'Metropolitan Police', first: '+447700900000', last: '+447700900499' },
  { force: 'Greater Manchester Police', first: '+447700900500', last: '+447700900999' },
];
const registry = new Map<string, RegisteredHandset>([
  ['+447700900123', { handsetId: 'TS-0001', force: 'Metropolitan Police', testMode: false }],
  ['+447700900124', { handsetId: 'TS-0002', force: 'Metropolitan Police', testMode: true }],
  ['+447911000001', { handsetId: 'TS-0003', force: 'Greater Manchester Police', testMode: false }],
]);
const lookup = (n: string) => registry.get(n);

describe('decidePriority', () => {
  it.each([
    ['+447700900123', 'tecsos', 'TS-0001'],
    ['+447911000001', 'tecsos', 'TS-0003'], // registered outside any range: still TecSOS
    ['+447700900124', 'test', 'TS-0002'],
    ['+447700900777', 'tecsos-unregistered', null],
    ['+447700900000', 'tecsos-unregistered', null], // first of the block
    ['+447700900499', 'tecsos-unregistered', null], // last of the block
    ['+447700901000', 'ordinary', null], // one past the last block
    ['+4477009001', 'ordinary', null], // shorter number sharing the prefix is not in the block
    ['+441632960000', 'ordinary', null],
  ])('%s is %s', (caller, priority, handsetId) => {
    const d = decidePriority(caller, lookup, ranges);
    expect(d.priority).toBe(priority);
    expect(d.handsetId).toBe(handsetId);
  });

  it('treats a withheld number as ordinary', () => {
    expect(decidePriority(null, lookup, ranges).priority).toBe('ordinary');
  });

  it('names the force of a registered handset, live or in test mode', () => {
    expect(decidePriority('+447911000001', lookup, ranges)).toMatchObject({ priority: 'tecsos', force: 'Greater Manchester Police' });
    expect(decidePriority('+447700900124', lookup, ranges)).toMatchObject({ priority: 'test', force: 'Metropolitan Police' });
  });

  it('names the force of an unregistered number inside its range', () => {
    expect(decidePriority('+447700900600', lookup, ranges)).toMatchObject({
      force: 'Greater Manchester Police',
      reason: 'TecSOS range of Greater Manchester Police, unregistered',
    });
  });

  it('ranks TecSOS above everything else', () => {
    const order = (['ordinary', 'test', 'tecsos-unregistered', 'tecsos'] as const).slice().sort((a, b) => PRIORITY_RANK[a] - PRIORITY_RANK[b]);
    expect(order).toEqual(['tecsos', 'tecsos-unregistered', 'test', 'ordinary']);
  });
});

describe('normaliseNumber', () => {
  it.each([
    ['+447700900456', 145, '+447700900456'],
    ['447700900456', 145, '+447700900456'],
    ['07700900456', 129, '+447700900456'],
    ['00447700900456', 129, '+447700900456'],
    // International written without its "+" under type 129 (some networks present mobile callers so).
    ['447700900456', 129, '+447700900456'],
    ['447700900456', undefined, '+447700900456'],
    // A national significant number without its trunk 0 stays national.
    ['7700900456', 129, '+447700900456'],
    ['1132960000', 129, '+441132960000'],
    ['', 128, null],
    ['abc', 129, null],
    ['+44 7700 900456', 145, '+447700900456'],
    ['07700-900456', 129, '+447700900456'],
    // A foreign caller's international number under type 145 keeps its own country code.
    ['33612345678', 145, '+33612345678'],
    // Not a phone number: too short, too long, or with anything after the digits.
    ['+447', 145, null],
    ['+4477009004561234', 145, null],
    ['+447700900456x', 145, null],
  ])('%s (type %s) -> %s', (raw, toa, want) => {
    expect(normaliseNumber(raw, toa, '44')).toBe(want);
  });

  it('an 11-digit international number without its "+" is read so in a deployment with a 1-digit country code', () => {
    // NANP (+1): 11 digits, the country code and a 10-digit national number; never "+112025550123".
    expect(normaliseNumber('12025550123', 129, '1')).toBe('+12025550123');
    expect(normaliseNumber('2025550123', 129, '1')).toBe('+12025550123');
  });

  it('a withheld caller has no number', () => {
    expect(normaliseNumber(null, undefined, '44')).toBeNull();
  });
});
