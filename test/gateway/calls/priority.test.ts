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
  ])('%s (type %s) -> %s', (raw, toa, want) => {
    expect(normaliseNumber(raw, toa, '44')).toBe(want);
  });

  it('a withheld caller has no number', () => {
    expect(normaliseNumber(null, undefined, '44')).toBeNull();
  });
});
