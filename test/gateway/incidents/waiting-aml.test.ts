// The AML positions waiting for their call (gateway/incidents/waiting-aml.ts), fed the stored `fix` events as
// the log holds them: which are offered to a ringing call, for how long, how many are held, and that a
// snapshot holds the same. (An AML flood costs no more than one parse of each time: measured in the review
// of cd3050c, 10,000 AML took 11 s of CPU before and 40 ms after, no assertion on time here.)
import { describe, expect, it } from 'vitest';
import { AML_WAIT_MS, MAX_WAITING, WaitingAml } from '../../../gateway/incidents/waiting-aml.js';
import type { StoredEvent } from '../../../gateway/store/event-store.js';

const T0 = Date.UTC(2026, 10, 23, 6, 0, 0);
const MINUTE = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();

/** A stored AML fix with no call from `from`, received at `at` (ms). */
function aml(seq: number, from: string, at: number): StoredEvent {
  return {
    seq,
    storedAt: at,
    redacted: false,
    event: { type: 'fix', at: iso(at), incidentId: null, handsetId: null, callId: null, lat: 51.5, lon: -0.12, accuracyM: 50, fixTime: iso(at - 5000), receivedAt: iso(at), source: 'aml', gpsStatus: null, amlMethod: 'gnss', speedKnots: null, courseDeg: null, sats: null, hdop: null, reportCounter: null, fromNumber: from },
  } as unknown as StoredEvent;
}

/** The copy a ringing call got of the waiting fix at `of`. */
function copy(seq: number, of: number, at: number): StoredEvent {
  const e = aml(seq, '+447700900999', at);
  return { ...e, event: { ...e.event, callId: 'CALL-000001', copyOf: of } } as unknown as StoredEvent;
}

const seqs = (w: WaitingAml, from: string, now: number): number[] => w.for(from, now).map((x) => x.seq);

describe('AML positions waiting for their call', () => {
  it('offers each number its own, for 30 min from arrival, until a copy takes it', () => {
    const w = new WaitingAml();
    w.apply(aml(1, '+447700900999', T0));
    w.apply(aml(2, '+447700900555', T0 + MINUTE));
    w.apply(aml(3, '+447700900999', T0 + 2 * MINUTE));
    expect(seqs(w, '+447700900999', T0 + 3 * MINUTE)).toEqual([1, 3]);
    expect(seqs(w, '+447700900999', T0 + AML_WAIT_MS + MINUTE)).toEqual([3]);
    expect(seqs(w, '+447700900999', T0 + AML_WAIT_MS + 3 * MINUTE)).toEqual([]);
    w.apply(copy(4, 1, T0 + 3 * MINUTE));
    expect(seqs(w, '+447700900999', T0 + 3 * MINUTE)).toEqual([3]);
    expect(seqs(w, '+447700900555', T0 + 3 * MINUTE)).toEqual([2]);
  });

  it('forgets those older than 30 min when a newer AML comes, and holds at most MAX_WAITING', () => {
    const w = new WaitingAml();
    w.apply(aml(1, '+447700900999', T0));
    w.apply(aml(2, '+447700900555', T0 + AML_WAIT_MS + 1));
    expect(w.size).toBe(1);
    for (let i = 0; i < MAX_WAITING + 5; i++) w.apply(aml(10 + i, `+4477009${String(i).padStart(5, '0')}`, T0 + AML_WAIT_MS + 2 + i));
    expect(w.size).toBe(MAX_WAITING);
    expect(seqs(w, '+447700900000', T0 + AML_WAIT_MS + MAX_WAITING)).toEqual([]); // among the oldest: dropped
    expect(seqs(w, `+4477009${String(MAX_WAITING + 4).padStart(5, '0')}`, T0 + AML_WAIT_MS + MAX_WAITING)).toEqual([10 + MAX_WAITING + 4]);
  });

  it('a snapshot restored holds and offers the same as the log applied', () => {
    const w = new WaitingAml();
    for (let i = 0; i < 50; i++) w.apply(aml(i + 1, i % 2 === 0 ? '+447700900999' : '+447700900555', T0 + i * MINUTE));
    w.apply(copy(51, 48, T0 + 50 * MINUTE));
    const r = new WaitingAml();
    r.restore(w.snapshot());
    expect(r.snapshot()).toEqual(w.snapshot());
    for (const from of ['+447700900999', '+447700900555']) expect(seqs(r, from, T0 + 55 * MINUTE)).toEqual(seqs(w, from, T0 + 55 * MINUTE));
    r.apply(aml(60, '+447700900999', T0 + 70 * MINUTE));
    w.apply(aml(60, '+447700900999', T0 + 70 * MINUTE));
    expect(r.snapshot()).toEqual(w.snapshot());
  });
});
