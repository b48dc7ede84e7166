// Concatenated SMS reassembly (3GPP TS 23.040 9.2.3.24.1) for what the network really does: parts out of
// order, parts twice, parts never.
//
// Key: sender + reference size + reference + total. A part is held until all 1..total are in; then the
// message is returned from add() (and passed to onComplete). A part seen before (same key and number) is a
// duplicate: counted, never joined twice; a duplicate whose text differs is also counted as a conflict and
// the first copy wins. A message still incomplete `timeoutMs` after its first part is reported to
// onIncomplete with the parts it had ('expired'); when `maxPending` messages are open, the oldest is
// reported the same way ('evicted') to make room. Keys of completed messages are remembered for
// `timeoutMs`, so that a late copy of a part is reported as a duplicate, not as the start of a new message
// that would later expire (a part with the same key and a different text starts a new message: a sender
// whose reference counter restarted must not lose a report). Single-part messages (no concatenation header, or total 1) complete at once.

import type { Clock, TimerHandle } from '../time/clock.js';
import { IEI_CONCAT_16, type Concat, type UdhElement } from './udh.js';

/** What the reassembler needs of a decoded part (a {@link SmsDeliver} is one). */
export interface ReassemblyPart {
  readonly from: string;
  readonly text: string;
  readonly concat?: Concat;
  /** 8-bit body octets, joined too when every part has them. */
  readonly data?: Uint8Array;
  /** Header elements: a 16-bit reference (IEI 0x08) keys apart from an 8-bit one with the same number. */
  readonly udh?: readonly UdhElement[];
}

/** A whole message. */
export interface ReassembledMessage<P extends ReassemblyPart = ReassemblyPart> {
  readonly from: string;
  /** The parts' texts joined in part order. */
  readonly text: string;
  /** The parts' 8-bit bodies joined, when every part had one. */
  readonly data: Uint8Array | undefined;
  /** The parts in order 1..total (one element for a single-part message). */
  readonly parts: readonly P[];
  /** Undefined for a single-part message. */
  readonly concat: { readonly ref: number; readonly total: number; readonly refBits: 8 | 16 } | undefined;
  /** Copies of parts received more than once. */
  readonly duplicates: number;
  /** Clock time of the first part. */
  readonly firstSeenAt: number;
  readonly completedAt: number;
}

/** A message given up on: what it had and what it lacked. */
export interface IncompleteMessage<P extends ReassemblyPart = ReassemblyPart> {
  readonly reason: 'expired' | 'evicted';
  readonly from: string;
  readonly ref: number;
  readonly refBits: 8 | 16;
  readonly total: number;
  /** The parts received, in part order. */
  readonly parts: readonly P[];
  /** Part numbers received and missing (1-based). */
  readonly received: readonly number[];
  readonly missing: readonly number[];
  /** The received parts' texts joined in order (missing parts contribute nothing). */
  readonly text: string;
  readonly duplicates: number;
  readonly firstSeenAt: number;
  readonly reportedAt: number;
}

/** The outcome of one add(). */
export type AddOutcome<P extends ReassemblyPart = ReassemblyPart> =
  | { readonly status: 'complete'; readonly message: ReassembledMessage<P> }
  | { readonly status: 'pending'; readonly received: number; readonly total: number }
  | { readonly status: 'duplicate'; readonly conflicting: boolean };

/** Counters since construction. */
export interface ReassemblerStats {
  completed: number;
  single: number;
  duplicates: number;
  conflicts: number;
  expired: number;
  evicted: number;
}

export interface ReassemblerOptions<P extends ReassemblyPart = ReassemblyPart> {
  readonly clock: Clock;
  /** How long an incomplete message waits for its missing parts, from its first part. Default 10 min. */
  readonly timeoutMs?: number;
  /** Open messages held at most (each holds up to 255 parts of at most 160 characters). Default 1000. */
  readonly maxPending?: number;
  /** Called for every complete message, single-part ones included (also returned from add()). */
  readonly onComplete?: (message: ReassembledMessage<P>) => void;
  /** Called when a message expires or is evicted incomplete. */
  readonly onIncomplete?: (message: IncompleteMessage<P>) => void;
}

interface Pending<P> {
  readonly from: string;
  readonly concat: Concat;
  readonly refBits: 8 | 16;
  readonly parts: (P | undefined)[];
  received: number;
  duplicates: number;
  readonly firstSeenAt: number;
  timer: TimerHandle | undefined;
}

function joinData(parts: readonly ReassemblyPart[]): Uint8Array | undefined {
  if (!parts.every((p) => p.data !== undefined)) return undefined;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.data!.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p.data!, at);
    at += p.data!.length;
  }
  return out;
}

/** Joins the parts of concatenated messages; see the top of this file. */
export class Reassembler<P extends ReassemblyPart = ReassemblyPart> {
  readonly stats: ReassemblerStats = { completed: 0, single: 0, duplicates: 0, conflicts: 0, expired: 0, evicted: 0 };
  private readonly pending = new Map<string, Pending<P>>();
  /** key -> until when a late copy counts as a duplicate, and the texts; insertion order = time order. */
  private readonly done = new Map<string, { readonly until: number; readonly texts: readonly string[] }>();
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly maxPending: number;

  constructor(private readonly options: ReassemblerOptions<P>) {
    this.clock = options.clock;
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.maxPending = options.maxPending ?? 1000;
    if (!(this.timeoutMs > 0) || !Number.isInteger(this.maxPending) || this.maxPending < 1) {
      throw new RangeError(`Reassembler: timeoutMs (${this.timeoutMs}) must be > 0 and maxPending (${this.maxPending}) >= 1`);
    }
  }

  /** Messages waiting for parts. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Takes one part; returns the whole message when this part completes it. Decoded parts always have a
   * valid `concat`; a hand-made one with seq outside 1..total (total 1..255) is a programming error and
   * throws RangeError.
   */
  add(part: P): AddOutcome<P> {
    const c = part.concat;
    const now = this.clock.now();
    if (c !== undefined && !(Number.isInteger(c.seq) && Number.isInteger(c.total) && c.total >= 1 && c.total <= 255 && c.seq >= 1 && c.seq <= c.total)) {
      throw new RangeError(`Reassembler: part ${c.seq} of ${c.total} is not a valid concatenation position`);
    }
    if (c === undefined || c.total === 1) {
      this.stats.single++;
      return this.complete([part], undefined, 0, now, now);
    }
    const refBits = part.udh?.some((e) => e.iei === IEI_CONCAT_16) ? 16 : 8;
    const key = `${part.from}\u0000${refBits}\u0000${c.ref}\u0000${c.total}`;
    this.forgetDone(now);
    // A late copy of a part of a message already completed. A part with the same key but another text is
    // a new message reusing the reference (a sender whose counter restarted): it is not dropped.
    const finished = this.done.get(key);
    if (finished !== undefined && finished.texts[c.seq - 1] === part.text) {
      this.stats.duplicates++;
      return { status: 'duplicate', conflicting: false };
    }
    if (finished !== undefined) this.done.delete(key);
    let p = this.pending.get(key);
    if (p === undefined) {
      if (this.pending.size >= this.maxPending) this.giveUp(this.pending.keys().next().value as string, 'evicted');
      p = { from: part.from, concat: c, refBits, parts: new Array<P | undefined>(c.total).fill(undefined), received: 0, duplicates: 0, firstSeenAt: now, timer: undefined };
      const k = key;
      p.timer = this.clock.setTimeout(() => this.giveUp(k, 'expired'), this.timeoutMs);
      this.pending.set(key, p);
    }
    const held = p.parts[c.seq - 1];
    if (held !== undefined) {
      p.duplicates++;
      this.stats.duplicates++;
      const conflicting = held.text !== part.text;
      if (conflicting) this.stats.conflicts++;
      return { status: 'duplicate', conflicting };
    }
    p.parts[c.seq - 1] = part;
    p.received++;
    if (p.received < c.total) return { status: 'pending', received: p.received, total: c.total };
    this.pending.delete(key);
    if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    this.done.set(key, { until: now + this.timeoutMs, texts: p.parts.map((x) => x!.text) });
    if (this.done.size > this.maxPending) this.done.delete(this.done.keys().next().value as string);
    return this.complete(p.parts as P[], { ref: c.ref, total: c.total, refBits }, p.duplicates, p.firstSeenAt, now);
  }

  /** Cancels every timer and reports nothing; for shutdown. Returns the messages that were open. */
  close(): number {
    for (const p of this.pending.values()) if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    const n = this.pending.size;
    this.pending.clear();
    return n;
  }

  private complete(
    parts: readonly P[],
    concat: ReassembledMessage<P>['concat'],
    duplicates: number,
    firstSeenAt: number,
    now: number,
  ): AddOutcome<P> {
    this.stats.completed++;
    const message: ReassembledMessage<P> = {
      from: parts[0]!.from,
      text: parts.map((x) => x.text).join(''),
      data: joinData(parts),
      parts,
      concat,
      duplicates,
      firstSeenAt,
      completedAt: now,
    };
    this.options.onComplete?.(message);
    return { status: 'complete', message };
  }

  private giveUp(key: string, reason: 'expired' | 'evicted'): void {
    const p = this.pending.get(key);
    if (p === undefined) return;
    this.pending.delete(key);
    if (p.timer !== undefined) this.clock.clearTimeout(p.timer);
    this.stats[reason]++;
    const parts = p.parts.filter((x): x is P => x !== undefined);
    const received: number[] = [];
    const missing: number[] = [];
    p.parts.forEach((x, i) => (x === undefined ? missing : received).push(i + 1));
    this.options.onIncomplete?.({
      reason,
      from: p.from,
      ref: p.concat.ref,
      refBits: p.refBits,
      total: p.concat.total,
      parts,
      received,
      missing,
      text: parts.map((x) => x.text).join(''),
      duplicates: p.duplicates,
      firstSeenAt: p.firstSeenAt,
      reportedAt: this.clock.now(),
    });
  }

  private forgetDone(now: number): void {
    for (const [k, { until }] of this.done) {
      if (until > now) break;
      this.done.delete(k);
    }
  }
}
