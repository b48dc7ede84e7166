// AML positions waiting for their call. A phone that dials 999 sends its AML SMS within seconds of dialling,
// but the call rings at the control room only when the network presents it: while every line is busy it waits
// in the network's queue, and a caller who was cut off dials again minutes later. An AML that arrives with no
// call from its number up (none at all, or one that has ended: the AML of the redial then joined the call that
// was cut off) is stored with its sender in `fromNumber` (reports/aml-intake.ts); it waits here, and the first
// call from that number that rings within AML_WAIT_MS of the AML's arrival gets a copy of it (a `fix` with the
// call's id and `copyOf`: the waiting fix's seq, incidents/call-events.ts), at most MAX_COPIED of them, the
// newest (AML is not signed: a flood sent under her number must not bury her call in positions). The copy
// takes it off the list, so a position joins one later call, once.
//
// A projection of the log like the others: a rebuild and a snapshot (core/snapshot-schema.ts) hold the same
// entries. Bounded: entries older than AML_WAIT_MS before the newest AML are dropped, and at most MAX_WAITING
// are held (the oldest go first); what is dropped is still in the log as its fix with no call.
import type { Fix } from '../../protocol/schemas/fixes.js';
import type { WaitingAmlSnapshot } from '../core/snapshot-schema.js';
import type { StoredEvent } from '../store/event-store.js';

/** How long an AML waits for a call from its number (the same grace as an AML arriving after a call ended). */
export const AML_WAIT_MS = 30 * 60_000;
/** A call that rings gets copies of at most this many waiting AML positions from its number, the newest. */
export const MAX_COPIED = 5;
/** At most this many AML positions wait at once (a flood of AML from numbers that never call is dropped oldest first). */
export const MAX_WAITING = 10_000;

/** What a waiting AML's copy repeats (protocol/schemas/fixes.ts). */
export type WaitingAmlFix = {
  /** Seq of the stored fix with no call. */
  readonly seq: number;
  readonly fromNumber: string;
  readonly lat: number;
  readonly lon: number;
  readonly accuracyM: number | null;
  readonly fixTime: string;
  readonly receivedAt: string;
  readonly amlMethod: Fix['amlMethod'];
  /** The AML's `lc`, or null. */
  readonly confidencePct: number | null;
};

export class WaitingAml {
  /** In arrival (log) order. */
  private entries: WaitingAmlFix[] = [];

  /**
   * `receivedAt` of each entry in ms, parsed once: parsing every entry's time at every AML (to drop the old
   * ones) cost 2 ms per AML at MAX_WAITING and 11 s of CPU for a flood of 10,000 (a rebuild of a log holding
   * such a flood paid it again).
   */
  private arrivedMs: number[] = [];

  /** The AML positions from `number` that arrived at most AML_WAIT_MS before `now`: the newest MAX_COPIED, oldest first. */
  for(number: string, now: number): WaitingAmlFix[] {
    const out: WaitingAmlFix[] = [];
    for (let i = 0; i < this.entries.length; i++) {
      const w = this.entries[i] as WaitingAmlFix;
      if (w.fromNumber === number && now - (this.arrivedMs[i] as number) <= AML_WAIT_MS) out.push(w);
    }
    return out.length > MAX_COPIED ? out.slice(-MAX_COPIED) : out;
  }

  get size(): number {
    return this.entries.length;
  }

  apply(stored: StoredEvent): void {
    const e = stored.event as Record<string, unknown> & { type: string };
    if (e.type !== 'fix' || e['source'] !== 'aml') return;
    if (typeof e['copyOf'] === 'number') {
      const seq = e['copyOf'];
      const at = this.entries.findIndex((w) => w.seq === seq);
      if (at >= 0) {
        this.entries.splice(at, 1);
        this.arrivedMs.splice(at, 1);
      }
      return;
    }
    if (typeof e['fromNumber'] !== 'string') return;
    const receivedAt = e['receivedAt'] as string;
    const arrived = Date.parse(receivedAt);
    // The entries are in arrival order: the old ones are at the front (one that arrived out of time order, a
    // clock put back, goes when those before it have gone; for() never offers it after AML_WAIT_MS anyway).
    const cutoff = arrived - AML_WAIT_MS;
    let old = 0;
    while (old < this.arrivedMs.length && (this.arrivedMs[old] as number) < cutoff) old++;
    if (old > 0) this.drop(old);
    this.arrivedMs.push(arrived);
    this.entries.push({
      seq: stored.seq,
      fromNumber: e['fromNumber'],
      lat: e['lat'] as number,
      lon: e['lon'] as number,
      accuracyM: e['accuracyM'] as number | null,
      fixTime: e['fixTime'] as string,
      receivedAt,
      amlMethod: (e['amlMethod'] as Fix['amlMethod'] | undefined) ?? null,
      confidencePct: typeof e['confidencePct'] === 'number' ? e['confidencePct'] : null,
    });
    if (this.entries.length > MAX_WAITING) this.drop(this.entries.length - MAX_WAITING);
  }

  /** Forgets the `n` oldest entries. */
  private drop(n: number): void {
    this.entries.splice(0, n);
    this.arrivedMs.splice(0, n);
  }

  snapshot(): WaitingAmlSnapshot {
    return this.entries.map((w) => ({ ...w }));
  }

  restore(s: WaitingAmlSnapshot): void {
    this.entries = s.map((w) => ({ ...w }));
    this.arrivedMs = s.map((w) => Date.parse(w.receivedAt));
  }
}
