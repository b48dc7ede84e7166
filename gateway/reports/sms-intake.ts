// Incoming SMS parts -> whole messages (protocol/sms Reassembler), rebuilt across restarts.
//
// Every part is stored as an `sms.received` event before anything else happens to it.
//
// Lifetimes (from a message's first part): at REASSEMBLY_TIMEOUT_MS (10 min) a message still missing parts
// is reported `incomplete` (the control room learns of it), but its parts are kept until
// REASSEMBLY_HORIZON_MS (2 h): a real SMSC retries a part for hours, and a late ALM/TRK still carries a
// position worth showing (its fix age says how old it is), so a part that comes late completes the report.
// A message whose content was refused as possibly damaged (see report-pipeline.ts) is kept open the same
// way for a genuine copy of a part. At most 5 000 messages are open, 5 000 held, and 40 000 parts (copies
// included) in all of them (oldest dropped first).
//
// At start-up the parts received in the last REPLAY_WINDOW_MS (horizon + timeout = 2 h 10 min) are replayed
// through the reassembler on a ReplayClock at their original receive times, and every message they
// complete is judged again (report-pipeline.ts) against the state rebuilt up to that point, as it was
// live: messages still waiting for parts are pending (or held) again, refused ones refused again, late
// copies of finished ones duplicates again. The window: a message still kept now had its first part at
// most `horizon` ago; a completed message's key is remembered for `timeout` after completion. A message
// whose timeout passed is reported (`incomplete`) once: expiries already stored (`reassembly.expired`)
// are not reported twice; ones that fell due while the gateway was down are reported by `goLive()`.
//
// Single-part messages complete at once; a copy of one (same originator, TP-SCTS and text:
// single-part-copies.ts) within the horizon is a `copy`, so that an AML delivered twice gives one fix. A
// single-part TSR1 is left to its anti-replay window (tsr1-intake.ts), which names the handset and counter
// of the report seen twice and keeps a counter for far longer than the horizon. The start-up replay remembers
// the single-part messages of its window the same way, so a copy read after a restart is a copy too.
import { tryDecodeIncoming } from '../../protocol/sms/index.js';
import type { SmsDeliver } from '../../protocol/sms/deliver.js';
import { Reassembler, type AddOutcome, type IncompleteMessage, type ReassembledMessage } from '../../protocol/sms/reassembler.js';
import type { Clock } from '../../protocol/time/clock.js';
import type { StoredEvent } from '../store/event-store.js';
import { ReplayClock } from './replay-clock.js';
import { SinglePartCopies } from './single-part-copies.js';

/** How long a concatenated report waits for its missing parts before it is reported `incomplete`. */
export const REASSEMBLY_TIMEOUT_MS = 10 * 60_000;
/** How long the parts of an unfinished report are kept for a late part, from its first part. */
export const REASSEMBLY_HORIZON_MS = 2 * 3600_000;

/** A part as the reassembler holds it (its receive time is the reassembler's clock time when it was added). */
export type SmsPart = SmsDeliver;

/** What one part did: the reassembler's outcome, or `copy`: a copy of a single-part message (not TSR1) seen within the horizon. */
export type IntakeOutcome = AddOutcome<SmsPart> | { readonly status: 'copy' };

/** A single-part message (no concatenation header, or total 1) whose copies this intake catches (a TSR1's are the replay window's). */
function isCheckedSingle(part: SmsPart): boolean {
  return (part.concat === undefined || part.concat.total <= 1) && !part.text.startsWith('TSR');
}

/** The identity of one given-up message, the same live and after a replay. */
export function expiryKey(m: Pick<IncompleteMessage, 'from' | 'refBits' | 'ref' | 'total' | 'firstSeenAt'>): string {
  return `${m.from}|${m.refBits}|${m.ref}|${m.total}|${m.firstSeenAt}`;
}

export class SmsIntake {
  private readonly clock: ReplayClock;
  private readonly reassembler: Reassembler<SmsPart>;
  private readonly singles: SinglePartCopies;
  private replaying = true;
  /**
   * The expiries already stored (`reassembly.expired`), read during the replay so that goLive() does not report
   * them twice; emptied by goLive(): live expiries are reported as they happen. Kept after it, it held every
   * expiry of the log for the life of the process after a start without a snapshot (224 keys after 8 simulated
   * weeks of 4 incomplete SMS a day; a hostile sender's flood of first parts makes one per SMS).
   */
  private readonly recorded = new Set<string>();
  private readonly missed: IncompleteMessage<SmsPart>[] = [];
  /** Live expiries; set by the core (it stores report.rejected `incomplete` + reassembly.expired). */
  onIncomplete: (m: IncompleteMessage<SmsPart>) => void = () => {};

  /** Parts received this long before start-up are replayed (horizon + timeout). */
  readonly replayWindowMs: number;

  constructor(
    private readonly base: Clock,
    readonly timeoutMs = REASSEMBLY_TIMEOUT_MS,
    readonly horizonMs: number = Math.max(REASSEMBLY_HORIZON_MS, timeoutMs),
  ) {
    if (!(horizonMs >= timeoutMs)) throw new RangeError(`SmsIntake: the reassembly horizon (${horizonMs} ms) must be >= the timeout (${timeoutMs} ms)`);
    this.replayWindowMs = horizonMs + timeoutMs;
    this.clock = new ReplayClock(base);
    this.singles = new SinglePartCopies(horizonMs);
    this.reassembler = new Reassembler<SmsPart>({
      clock: this.clock,
      timeoutMs,
      holdMs: horizonMs - timeoutMs,
      maxPending: 5000,
      maxHeld: 5000,
      // About 40 MB of decoded parts at most, whatever a hostile sender sends (long or conflicting messages).
      maxParts: 40_000,
      onIncomplete: (m) => {
        if (!this.replaying) this.onIncomplete(m);
        else this.missed.push(m);
      },
    });
  }

  /** Adds one live part received at `receivedAt`. */
  add(part: SmsPart, receivedAt: number): IntakeOutcome {
    if (isCheckedSingle(part) && this.singles.isCopy(part, receivedAt)) return { status: 'copy' };
    return this.join(part, receivedAt);
  }

  /** The reassembler's outcome for a part received at `receivedAt` (its clock pinned there). */
  private join(part: SmsPart, receivedAt: number): AddOutcome<SmsPart> {
    const before = this.clock.pin(receivedAt);
    try {
      return this.reassembler.add(part);
    } finally {
      this.clock.unpin(before);
    }
  }

  /**
   * The message the last add() (or reject()) returned was refused as possibly damaged: the next
   * combination of the copies held, or undefined (the message then waits for another copy of a part).
   */
  reject(message: ReassembledMessage<SmsPart>): ReassembledMessage<SmsPart> | undefined {
    return this.clock.pinned(message.completedAt, () => this.reassembler.reject(message));
  }

  /** Start-up: one stored event, in log order (other types are ignored); what the part did, if it is part of a concatenated message. */
  replay(stored: StoredEvent): AddOutcome<SmsPart> | undefined {
    const e = stored.event as Record<string, unknown> & { type: string };
    if (stored.redacted) return undefined;
    if (e.type === 'reassembly.expired') {
      this.recorded.add(expiryKey(e as unknown as IncompleteMessage));
      return undefined;
    }
    if (e.type !== 'sms.received') return undefined;
    const receivedAt = Date.parse(e['receivedAt'] as string);
    if (!(receivedAt >= this.base.now() - this.replayWindowMs)) return undefined;
    const d = tryDecodeIncoming(e['pdu'] as string);
    if (!d.ok || d.value.type !== 'deliver') return undefined;
    const part = d.value;
    if (part.concat === undefined || part.concat.total <= 1) {
      if (isCheckedSingle(part)) this.singles.isCopy(part, receivedAt); // remembered; nothing to judge again
      return undefined;
    }
    this.clock.advanceTo(receivedAt);
    return this.join(part, receivedAt);
  }

  /** Ends the replay; returns the messages that expired while the gateway was not running. */
  goLive(): IncompleteMessage<SmsPart>[] {
    this.clock.advanceTo(this.base.now());
    this.replaying = false;
    this.clock.goLive();
    const missed = this.missed.splice(0).filter((m) => !this.recorded.has(expiryKey(m)));
    this.recorded.clear();
    return missed;
  }

  get pendingCount(): number {
    return this.reassembler.pendingCount;
  }

  /** Messages past the timeout kept for a late part. */
  get heldCount(): number {
    return this.reassembler.heldCount;
  }

  /** Stored expiries remembered from the start-up replay (none once live). */
  get rememberedExpiries(): number {
    return this.recorded.size;
  }

  close(): void {
    this.reassembler.close();
  }
}
