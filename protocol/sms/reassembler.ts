// Concatenated SMS reassembly (3GPP TS 23.040 9.2.3.24.1) for what the network and a noisy serial line
// really do: parts out of order, parts twice, parts damaged, parts late, parts never.
//
// Key: sender + reference size + reference + total. A part is held until all 1..total are in; then the
// message is returned from add() (and passed to onComplete). The sender is its text and whether it is
// alphanumeric (TON 5): a name any bulk-SMS sender can choose, spelt "07700900123", is not the phone
// number 07700900123, and its parts must not fill the gaps of that phone's message.
//
// Copies. A part seen before (same key and number, same text) is a duplicate: counted, never joined twice.
// A copy with a DIFFERENT text is a conflict (counted, reported as a conflicting duplicate) and is kept
// beside the first, up to MAX_COPIES distinct texts per part. When they are full, the first copy stays and the
// oldest of the others makes room for the newest: anyone can send SMS claiming a handset's number, and forged
// copies of a part, with the reference her next report will use, must keep the genuine one out neither when
// sent ahead of it (the newest is tried at once and completes the message) nor after it (the genuine one is
// then the first copy, which stays). The receiver cannot tell which copy is the
// genuine one (serial noise can change a character of any part and the PDU still decodes), only the
// consumer can, by checking the whole message (a TSR1 MAC). So the consumer may refuse a completed message
// with reject(): the reassembler then offers the next untried combination of the copies it holds, and when
// none is left it keeps the message open ("refused"), so that a later copy of ANY part completes it again,
// tried with every copy of the other parts (at most MAX_CANDIDATES combinations per arriving part).
// Why keep copies rather than forget the refused message: the genuine copies of the other parts are usually
// never delivered again (the modem deletes each part once stored), so forgetting would lose them.
// Why 16 copies (it was 4): a flood of forgeries does not know when her part comes, so it lands both ahead
// of it and after it; with 4, one forgery ahead and three after, before her other part came, pushed the
// genuine one out, and her report never completed. With MAX_COPIES kept, fewer than MAX_COPIES forged copies
// of a part, in any order, never do. No rule with a bound can promise more: the copies are alike until the
// last part arrives, so a sender of enough of them in the right places (here: one ahead, and MAX_COPIES - 1
// between her part and its sibling, usually seconds) can always push one out; the bound is what keeps a
// flood from growing memory (maxParts over all messages). Recency is the rule because her parts are sent
// together: the copies nearest her last part are the likeliest to be hers. A TSR1 report has at most two
// parts, and the arriving part is tried with every copy of the other (MAX_CANDIDATES = MAX_COPIES); a message
// of 3 or more parts gets the first MAX_CANDIDATES combinations only.
//
// Time. A message still incomplete `timeoutMs` after its first part is reported to onIncomplete with the
// parts it had ('expired'); when `maxPending` messages are open the oldest is reported the same way
// ('evicted'). A refused message is not reported (its consumer already counted it). Then, when `holdMs`
// > 0, the message is kept for `holdMs` more (at most `maxHeld` of them, oldest dropped) so that a part the
// network delivers late still completes it (`late` in the stats); then it is dropped silently.
// One sweep timer serves every message (no timer per message): it is set for the earliest deadline and the
// messages are kept in first-part order, which is deadline order; a sweep handles every message due.
//
// Parts of another message. A sender's reference wraps (256 values for an 8-bit one: about 40 minutes of
// reports every 10 s), so a part held for a late sibling can meet a part of a newer message with the same
// key: they are copies of one part number, or fill each other's gaps. When a combination completes, the
// copies it did not use are kept as a message of their own (same key, same first-part time and state), so
// the older message still completes when its missing part arrives; forgetting them lost one of the two.
// Such a message is never reported incomplete: its copies may as well be damaged ones, and a message of
// another sender's reference cycle was reported when its own timeout passed.
//
// Keys of completed messages are remembered for `timeoutMs` (at most `maxPending` of them), so that a late
// copy of a part is reported as a duplicate, not as the start of a new message that would later expire (a
// part with the same key and a different text starts a new message: a sender whose reference counter
// restarted must not lose a report). Single-part messages (no concatenation header, or total 1) complete at
// once.

import type { Clock, TimerHandle } from '../time/clock.js';
import { IEI_CONCAT_16, type Concat, type UdhElement } from './udh.js';

/** Distinct texts kept per part number (the first copy and up to 15 conflicting ones; see the top for why 16). */
export const MAX_COPIES = 16;
/** Combinations offered per arriving part: for a 2-part message, the arriving copy with every copy of the other part. */
export const MAX_CANDIDATES = MAX_COPIES;

/** What the reassembler needs of a decoded part (a {@link SmsDeliver} is one). */
export interface ReassemblyPart {
  readonly from: string;
  readonly text: string;
  readonly concat?: Concat;
  /** 8-bit body octets, joined too when every part has them. */
  readonly data?: Uint8Array;
  /** Header elements: a 16-bit reference (IEI 0x08) keys apart from an 8-bit one with the same number. */
  readonly udh?: readonly UdhElement[];
  /** The originator's type of number: an alphanumeric one (TON 5) keys apart from a number spelt the same. */
  readonly fromAddress?: { readonly ton: number };
}

/** Type of number of an alphanumeric originator (3GPP TS 23.040 9.1.2.5). */
const TON_ALPHANUMERIC = 5;

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
  /** True when the message had already been reported incomplete (a part came after `timeoutMs`). */
  readonly late: boolean;
}

/** A message given up on: what it had and what it lacked. */
export interface IncompleteMessage<P extends ReassemblyPart = ReassemblyPart> {
  readonly reason: 'expired' | 'evicted';
  readonly from: string;
  readonly ref: number;
  readonly refBits: 8 | 16;
  readonly total: number;
  /** The parts received, in part order (the first copy of each). */
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
  /** Completed combinations the consumer refused (reject()). */
  refused: number;
  /** Messages completed after they had been reported incomplete. */
  late: number;
  /** Messages dropped at the end of their hold (or to make room), never completed acceptably. */
  dropped: number;
}

export interface ReassemblerOptions<P extends ReassemblyPart = ReassemblyPart> {
  readonly clock: Clock;
  /** How long an incomplete message waits for its missing parts before it is reported, from its first part. Default 10 min. */
  readonly timeoutMs?: number;
  /** How long a reported (or refused) message is kept after that for a late part. Default 0: dropped. */
  readonly holdMs?: number;
  /** Open messages held at most (each holds up to 255 parts of at most 160 characters, times MAX_COPIES). Default 1000. */
  readonly maxPending?: number;
  /** Messages kept after `timeoutMs` at most. Default `maxPending`. */
  readonly maxHeld?: number;
  /**
   * Parts (copies included) held at most over all open and kept messages: the memory bound against a
   * sender who sends many long or conflicting messages. Beyond it the oldest kept message is dropped, or
   * else the oldest open one evicted. Default 8 x `maxPending`.
   */
  readonly maxParts?: number;
  /** Called for every complete message, single-part ones included (also returned from add() / reject()). */
  readonly onComplete?: (message: ReassembledMessage<P>) => void;
  /** Called when a message expires or is evicted incomplete. */
  readonly onIncomplete?: (message: IncompleteMessage<P>) => void;
}

/** A completed message, remembered for late copies of its parts. */
interface Done {
  readonly key: string;
  /** Until when a copy counts as a duplicate (`timeoutMs` after completion). */
  readonly until: number;
  /**
   * The texts of the combination completed (replaced when the consumer refuses it and takes the next). Not
   * the parts: keeping `maxPending` decoded parts alive makes every one of them survive the young
   * generation (measured: the whole decode + reassemble path got slower).
   */
  texts: readonly string[];
}

/** One concatenated message being assembled. */
interface Entry<P extends ReassemblyPart> {
  readonly key: string;
  readonly from: string;
  readonly concat: Concat;
  readonly refBits: 8 | 16;
  /** The first copy of each part. */
  readonly parts: (P | undefined)[];
  /** Further copies with another text (any part number); undefined until the first conflict. */
  others: P[] | undefined;
  received: number;
  duplicates: number;
  readonly firstSeenAt: number;
  /** When the sweep acts on it: report it (open), or drop it (held). */
  due: number;
  /** A complete combination was refused and nothing else was left to offer. */
  refused: boolean;
  /** Past `timeoutMs` (or evicted): kept in `held`. */
  expired: boolean;
  /** Reported to onIncomplete (a refused message is not). */
  reported: boolean;
  /** Copies a completed combination left out (keepLeftover): kept for a late part, never reported incomplete. */
  quiet: boolean;
}

function joinData(parts: readonly ReassemblyPart[]): Uint8Array | undefined {
  for (let i = 0; i < parts.length; i++) if (parts[i]!.data === undefined) return undefined;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.data!.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p.data!, at);
    at += p.data!.length;
  }
  return out;
}

function seqOf(p: ReassemblyPart): number {
  return p.concat!.seq;
}

function partsOf(e: { readonly received: number; readonly others: readonly unknown[] | undefined }): number {
  return e.received + (e.others === undefined ? 0 : e.others.length);
}

function joinText(parts: readonly ReassemblyPart[]): string {
  let s = '';
  for (let i = 0; i < parts.length; i++) s += parts[i]!.text;
  return s;
}

function textsOf(parts: readonly ReassemblyPart[]): string[] {
  const out = new Array<string>(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = parts[i]!.text;
  return out;
}

function refBitsOf(part: ReassemblyPart): 8 | 16 {
  const udh = part.udh;
  if (udh !== undefined) for (let i = 0; i < udh.length; i++) if (udh[i]!.iei === IEI_CONCAT_16) return 16;
  return 8;
}

/** The copies of part `seq` (1-based) an entry holds, first copy first. */
function copiesOf<P extends ReassemblyPart>(e: Entry<P>, seq: number): P[] {
  const out: P[] = [];
  const first = e.parts[seq - 1];
  if (first !== undefined) out.push(first);
  if (e.others !== undefined) for (const o of e.others) if (seqOf(o) === seq) out.push(o);
  return out;
}

/**
 * The combinations with `part` in its place and every held copy of the other parts, first copies first
 * (odometer order, part 1 turning fastest), at most MAX_CANDIDATES.
 */
function combinations<P extends ReassemblyPart>(e: Entry<P>, part: P): P[][] {
  const seq = seqOf(part);
  const choices = e.parts.map((_, i) => (i === seq - 1 ? [part] : copiesOf(e, i + 1)));
  const at = choices.map(() => 0);
  const out: P[][] = [];
  for (;;) {
    out.push(choices.map((c, i) => c[at[i]!]!));
    if (out.length >= MAX_CANDIDATES) return out;
    let i = 0;
    while (i < at.length && ++at[i]! >= choices[i]!.length) at[i++] = 0;
    if (i === at.length) return out;
  }
}

/** Joins the parts of concatenated messages; see the top of this file. */
export class Reassembler<P extends ReassemblyPart = ReassemblyPart> {
  readonly stats: ReassemblerStats = { completed: 0, single: 0, duplicates: 0, conflicts: 0, expired: 0, evicted: 0, refused: 0, late: 0, dropped: 0 };
  /** Messages before `timeoutMs`, in first-part (= deadline) order. */
  private readonly open = new Map<string, Entry<P>>();
  /** Messages past `timeoutMs`, kept for a late part, in the same order. */
  private readonly held = new Map<string, Entry<P>>();
  /** key -> until when a late copy counts as a duplicate, and the parts. */
  private readonly done = new Map<string, Done>();
  /**
   * The last `maxPending` completions, oldest overwritten first: the bound on `done`. A ring, not the Map's
   * insertion order: deleting a Map's oldest entry at every completion leaves holes that every later
   * "oldest" lookup must skip (V8 compacts only when the table grows), which cost more than the rest of add().
   */
  private readonly doneRing: (Done | undefined)[];
  private doneAt = 0;
  /** The last completion, open to reject() until the next add(): its message, entry, untried combinations. */
  private offered: ReassembledMessage<P> | undefined;
  private offeredEntry: Entry<P> | undefined;
  private offeredQueue: P[][] | undefined;
  /** The copies the offered combination did not use, kept as a message of their own (see the top). */
  private offeredLeftover: Entry<P> | undefined;
  private timer: TimerHandle | undefined;
  private timerDue = 0;
  private sweeping = false;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly holdMs: number;
  private readonly maxPending: number;
  private readonly maxHeld: number;
  private readonly maxParts: number;
  /** Parts (copies included) in the open and held messages. */
  private partsHeld = 0;
  private readonly sweep = (): void => this.onSweep();

  constructor(private readonly options: ReassemblerOptions<P>) {
    this.clock = options.clock;
    this.timeoutMs = options.timeoutMs ?? 600_000;
    this.holdMs = options.holdMs ?? 0;
    this.maxPending = options.maxPending ?? 1000;
    this.maxHeld = options.maxHeld ?? this.maxPending;
    this.maxParts = options.maxParts ?? 8 * this.maxPending;
    this.doneRing = new Array<Done | undefined>(Math.max(1, this.maxPending)).fill(undefined);
    const counts = [this.maxPending, this.maxHeld, this.maxParts];
    if (!(this.timeoutMs > 0) || !(this.holdMs >= 0) || !counts.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new RangeError(
        `Reassembler: timeoutMs (${this.timeoutMs}) must be > 0, holdMs (${this.holdMs}) >= 0, maxPending (${this.maxPending}), maxHeld (${this.maxHeld}) and maxParts (${this.maxParts}) >= 1`,
      );
    }
  }

  /** Messages waiting for parts before `timeoutMs` (refused ones included). */
  get pendingCount(): number {
    return this.open.size;
  }

  /** Messages past `timeoutMs` kept for a late part. */
  get heldCount(): number {
    return this.held.size;
  }

  /** Parts (copies included) held in open and kept messages. */
  get partCount(): number {
    return this.partsHeld;
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
    this.offered = undefined;
    this.offeredLeftover = undefined;
    if (c === undefined || c.total === 1) {
      this.stats.single++;
      return this.complete([part], undefined, 0, now, now, false);
    }
    const refBits = refBitsOf(part);
    const alphanumeric = part.fromAddress?.ton === TON_ALPHANUMERIC ? 1 : 0;
    const key = `${part.from}\u0000${alphanumeric}\u0000${refBits}\u0000${c.ref}\u0000${c.total}`;
    // A late copy of a part of a message completed less than `timeoutMs` ago (at most `maxPending` of them
    // are remembered). A part with the same key but another text is a new message reusing the reference (a
    // sender whose counter restarted): it is not dropped.
    const finished = this.done.get(key);
    if (finished !== undefined) {
      if (finished.until > now && finished.texts[c.seq - 1] === part.text) {
        this.stats.duplicates++;
        return { status: 'duplicate', conflicting: false };
      }
      this.done.delete(key); // too old, or a new message
    }
    let e = this.open.get(key) ?? this.held.get(key);
    if (e === undefined) {
      if (this.open.size >= this.maxPending) this.giveUp(this.open.values().next().value as Entry<P>, 'evicted');
      e = {
        key,
        from: part.from,
        concat: c,
        refBits,
        parts: new Array<P | undefined>(c.total).fill(undefined),
        others: undefined,
        received: 0,
        duplicates: 0,
        firstSeenAt: now,
        due: now + this.timeoutMs,
        refused: false,
        expired: false,
        reported: false,
        quiet: false,
      };
      this.open.set(key, e);
      this.arm(e.due);
    }
    const first = e.parts[c.seq - 1];
    if (first === undefined) {
      e.parts[c.seq - 1] = part;
      e.received++;
      if (++this.partsHeld > this.maxParts) this.bound(e);
      if (e.received < c.total) return { status: 'pending', received: e.received, total: c.total };
      return this.offerCombinations(e, part, now);
    }
    e.duplicates++;
    this.stats.duplicates++;
    if (first.text === part.text || e.others?.some((o) => seqOf(o) === c.seq && o.text === part.text)) return { status: 'duplicate', conflicting: false };
    this.stats.conflicts++;
    if (copiesOf(e, c.seq).length >= MAX_COPIES) {
      // Full: the oldest copy after the first makes room for the newest (see the top).
      const others = e.others as P[];
      others.splice(others.findIndex((o) => seqOf(o) === c.seq), 1);
      others.push(part);
    } else {
      (e.others ??= []).push(part);
      if (++this.partsHeld > this.maxParts) this.bound(e);
    }
    // A refused message is complete: the new copy may be the genuine one; try it with the others.
    if (e.refused) return this.offerCombinations(e, part, now);
    return { status: 'duplicate', conflicting: true };
  }

  /**
   * The consumer refuses `message` (the last one add() or reject() returned; anything else is ignored):
   * its content failed a check that a damaged part can fail (a MAC). Returns the next untried combination
   * of the copies held, or undefined when none is left; the message then stays open, refused, so that a
   * later copy of any part completes it again. It is not reported incomplete later: the consumer has
   * already counted it.
   */
  reject(message: ReassembledMessage<P>): ReassembledMessage<P> | undefined {
    const e = this.offeredEntry;
    if (this.offered === undefined || this.offered !== message || e === undefined) return undefined;
    this.stats.refused++;
    this.dropLeftover();
    const next = this.offeredQueue?.shift();
    if (next !== undefined) {
      const d = this.done.get(e.key);
      if (d !== undefined) d.texts = textsOf(next);
      this.keepLeftover(e, next);
      const out = this.complete(next, message.concat, e.duplicates, e.firstSeenAt, message.completedAt, e.reported);
      this.offered = (out as { message: ReassembledMessage<P> }).message;
      return this.offered;
    }
    this.offered = undefined;
    this.offeredEntry = undefined;
    this.offeredQueue = undefined;
    this.done.delete(e.key);
    e.refused = true;
    (e.expired ? this.held : this.open).set(e.key, e);
    this.partsHeld += partsOf(e);
    this.arm(e.due);
    return undefined;
  }

  /** Cancels the timer, forgets everything and reports nothing; for shutdown. Returns the messages that were open. */
  close(): number {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.offered = undefined;
    this.offeredEntry = undefined;
    this.offeredQueue = undefined;
    this.offeredLeftover = undefined;
    const n = this.open.size;
    this.open.clear();
    this.held.clear();
    this.partsHeld = 0;
    return n;
  }

  /** `e` is complete with `part` just added: offers the first combination, keeps the rest for reject(). */
  private offerCombinations(e: Entry<P>, part: P, now: number): AddOutcome<P> {
    // No conflicting copy (the common case): `part` is already in its place, one combination, no copies.
    const all = e.others === undefined ? undefined : combinations(e, part);
    const parts = all === undefined ? (e.parts as P[]) : all.shift()!;
    (e.expired ? this.held : this.open).delete(e.key);
    this.partsHeld -= partsOf(e);
    if (e.reported) this.stats.late++;
    this.remember({ key: e.key, until: now + this.timeoutMs, texts: textsOf(parts) });
    if (all !== undefined) this.keepLeftover(e, parts);
    const out = this.complete(parts, { ref: e.concat.ref, total: e.concat.total, refBits: e.refBits }, e.duplicates, e.firstSeenAt, now, e.reported);
    this.offered = (out as { message: ReassembledMessage<P> }).message;
    this.offeredEntry = e;
    this.offeredQueue = all;
    return out;
  }

  /**
   * Keeps the copies of `e` that the combination `used` leaves out as a message of their own, with `e`'s
   * key, first-part time, deadline and state (open or held, reported or not), never reported incomplete.
   * Complete already (every part had a spare copy), it counts as refused: a later copy of any part completes
   * it again.
   */
  private keepLeftover(e: Entry<P>, used: readonly P[]): void {
    const rest: P[] = [];
    for (let i = 0; i < e.parts.length; i++) {
      const p = e.parts[i];
      if (p !== undefined && used[i] !== p) rest.push(p);
    }
    if (e.others !== undefined) for (const o of e.others) if (used[seqOf(o) - 1] !== o) rest.push(o);
    if (rest.length === 0) return;
    const left: Entry<P> = {
      key: e.key,
      from: e.from,
      concat: e.concat,
      refBits: e.refBits,
      parts: new Array<P | undefined>(e.concat.total).fill(undefined),
      others: undefined,
      received: 0,
      duplicates: 0,
      firstSeenAt: e.firstSeenAt,
      due: e.due,
      refused: false,
      expired: e.expired,
      reported: e.reported,
      quiet: true,
    };
    for (const p of rest) {
      const at = seqOf(p) - 1;
      if (left.parts[at] === undefined) {
        left.parts[at] = p;
        left.received++;
      } else (left.others ??= []).push(p);
    }
    left.refused = left.received === e.concat.total;
    (left.expired ? this.held : this.open).set(left.key, left);
    this.partsHeld += partsOf(left);
    this.arm(left.due);
    this.offeredLeftover = left;
  }

  /** Takes back the leftover of the offered combination (the consumer refused that combination). */
  private dropLeftover(): void {
    const left = this.offeredLeftover;
    if (left === undefined) return;
    this.offeredLeftover = undefined;
    const map = left.expired ? this.held : this.open;
    if (map.get(left.key) !== left) return; // evicted or dropped meanwhile: its parts are no longer counted
    map.delete(left.key);
    this.partsHeld -= partsOf(left);
  }

  private complete(parts: readonly P[], concat: ReassembledMessage<P>['concat'], duplicates: number, firstSeenAt: number, now: number, late: boolean): AddOutcome<P> {
    this.stats.completed++;
    const message: ReassembledMessage<P> = {
      from: parts[0]!.from,
      text: joinText(parts),
      data: joinData(parts),
      parts,
      concat,
      duplicates,
      firstSeenAt,
      completedAt: now,
      late,
    };
    this.options.onComplete?.(message);
    return { status: 'complete', message };
  }

  /** Ends the open life of `e`: reported (unless refused), then held for a late part or dropped. */
  private giveUp(e: Entry<P>, reason: 'expired' | 'evicted'): void {
    this.open.delete(e.key);
    e.expired = true;
    if (!e.refused && !e.quiet) {
      e.reported = true;
      this.stats[reason]++;
      const parts = e.parts.filter((x): x is P => x !== undefined);
      const received: number[] = [];
      const missing: number[] = [];
      e.parts.forEach((x, i) => (x === undefined ? missing : received).push(i + 1));
      this.options.onIncomplete?.({
        reason,
        from: e.from,
        ref: e.concat.ref,
        refBits: e.refBits,
        total: e.concat.total,
        parts,
        received,
        missing,
        text: parts.map((x) => x.text).join(''),
        duplicates: e.duplicates,
        firstSeenAt: e.firstSeenAt,
        reportedAt: this.clock.now(),
      });
    }
    if (this.holdMs === 0) {
      this.partsHeld -= partsOf(e);
      this.stats.dropped++;
      return;
    }
    if (this.held.size >= this.maxHeld) this.drop(this.held.values().next().value as Entry<P>);
    e.due = e.firstSeenAt + this.timeoutMs + this.holdMs;
    this.held.set(e.key, e);
    this.arm(e.due);
  }

  /** Forgets a kept message without a word (it was reported, or refused, already). */
  private drop(e: Entry<P>): void {
    this.held.delete(e.key);
    this.partsHeld -= partsOf(e);
    this.stats.dropped++;
  }

  /** Over `maxParts`: drops the oldest kept messages, then evicts the oldest open ones, never `keep`. */
  private bound(keep: Entry<P>): void {
    while (this.partsHeld > this.maxParts) {
      const h = this.held.values().next().value as Entry<P> | undefined;
      if (h !== undefined && h !== keep) {
        this.drop(h);
        continue;
      }
      let o: Entry<P> | undefined;
      for (const x of this.open.values()) {
        if (x !== keep) {
          o = x;
          break;
        }
      }
      if (o === undefined) return;
      this.giveUp(o, 'evicted');
    }
  }

  /** Sets the sweep timer for `due` unless it is already set for that time or earlier. */
  private arm(due: number): void {
    if (this.sweeping) return; // the sweep sets the timer once at its end
    if (this.timer !== undefined) {
      if (due >= this.timerDue) return;
      this.clock.clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = this.clock.setTimeout(this.sweep, Math.max(0, due - this.clock.now()));
  }

  /**
   * Reports every open message due, drops every held one due, then sets the timer for the next deadline.
   * Both maps are in first-part order, so each scan stops at the first message not yet due (a message
   * re-inserted after a refusal, or timed by a part whose receive time went backwards, may be handled up
   * to that much later).
   */
  /** Remembers a completion (late copies of its parts are duplicates), forgetting the oldest beyond the bound. */
  private remember(d: Done): void {
    const old = this.doneRing[this.doneAt];
    if (old !== undefined && this.done.get(old.key) === old) this.done.delete(old.key);
    this.doneRing[this.doneAt] = d;
    this.doneAt = (this.doneAt + 1) % this.doneRing.length;
    this.done.set(d.key, d);
  }

  private onSweep(): void {
    this.timer = undefined;
    const now = this.clock.now();
    this.sweeping = true;
    try {
      for (const e of this.open.values()) {
        if (e.due > now) break;
        this.giveUp(e, 'expired');
      }
      for (const e of this.held.values()) {
        if (e.due > now) break;
        this.drop(e);
      }
    } finally {
      this.sweeping = false;
    }
    const a = this.open.values().next().value as Entry<P> | undefined;
    const b = this.held.values().next().value as Entry<P> | undefined;
    if (a !== undefined || b !== undefined) this.arm(Math.min(a?.due ?? Infinity, b?.due ?? Infinity));
  }
}
