// Incoming SMS parts -> whole messages (protocol/sms Reassembler), rebuilt across restarts.
//
// Every part is stored as an `sms.received` event before anything else happens to it. At start-up the parts
// of the last 2 x timeout are replayed through the reassembler on a ReplayClock at their original receive
// times: messages still waiting for parts are pending again, late copies of finished ones are duplicates
// again. A message whose timeout passed is given up (`incomplete`) once: expiries already stored
// (`reassembly.expired`) are not reported twice; ones that fell due while the gateway was down are reported
// by `goLive()`.
import { tryDecodeIncoming } from '../../protocol/sms/index.js';
import type { SmsDeliver } from '../../protocol/sms/deliver.js';
import { Reassembler, type AddOutcome, type IncompleteMessage } from '../../protocol/sms/reassembler.js';
import type { Clock } from '../../protocol/time/clock.js';
import type { StoredEvent } from '../store/event-store.js';
import { ReplayClock } from './replay-clock.js';

/** How long a concatenated report waits for its missing parts. */
export const REASSEMBLY_TIMEOUT_MS = 10 * 60_000;

/** A part as the reassembler holds it. */
export type SmsPart = SmsDeliver & { readonly receivedAt: number };

/** The identity of one given-up message, the same live and after a replay. */
export function expiryKey(m: Pick<IncompleteMessage, 'from' | 'refBits' | 'ref' | 'total' | 'firstSeenAt'>): string {
  return `${m.from}|${m.refBits}|${m.ref}|${m.total}|${m.firstSeenAt}`;
}

export class SmsIntake {
  private readonly clock: ReplayClock;
  private readonly reassembler: Reassembler<SmsPart>;
  private replaying = true;
  private readonly recorded = new Set<string>();
  private readonly missed: IncompleteMessage<SmsPart>[] = [];
  /** Live expiries; set by the core (it stores report.rejected `incomplete` + reassembly.expired). */
  onIncomplete: (m: IncompleteMessage<SmsPart>) => void = () => {};

  constructor(
    private readonly base: Clock,
    readonly timeoutMs = REASSEMBLY_TIMEOUT_MS,
  ) {
    this.clock = new ReplayClock(base);
    this.reassembler = new Reassembler<SmsPart>({
      clock: this.clock,
      timeoutMs,
      maxPending: 5000,
      onIncomplete: (m) => {
        if (!this.replaying) this.onIncomplete(m);
        else this.missed.push(m);
      },
    });
  }

  /** Adds one live part. */
  add(part: SmsPart): AddOutcome<SmsPart> {
    return this.clock.pinned(part.receivedAt, () => this.reassembler.add(part));
  }

  /** Start-up: one stored event, in log order (other types are ignored). */
  replay(stored: StoredEvent): void {
    const e = stored.event as Record<string, unknown> & { type: string };
    if (stored.redacted) return;
    if (e.type === 'reassembly.expired') {
      this.recorded.add(expiryKey(e as unknown as IncompleteMessage));
      return;
    }
    if (e.type !== 'sms.received') return;
    const receivedAt = Date.parse(e['receivedAt'] as string);
    if (!(receivedAt >= this.base.now() - 2 * this.timeoutMs)) return;
    const d = tryDecodeIncoming(e['pdu'] as string);
    if (!d.ok || d.value.type !== 'deliver') return;
    const part = d.value;
    if (part.concat === undefined || part.concat.total <= 1) return;
    this.clock.advanceTo(receivedAt);
    this.clock.pinned(receivedAt, () => this.reassembler.add({ ...part, receivedAt }));
  }

  /** Ends the replay; returns the messages that expired while the gateway was not running. */
  goLive(): IncompleteMessage<SmsPart>[] {
    this.clock.advanceTo(this.base.now());
    this.replaying = false;
    this.clock.goLive();
    return this.missed.splice(0).filter((m) => !this.recorded.has(expiryKey(m)));
  }

  get pendingCount(): number {
    return this.reassembler.pendingCount;
  }

  close(): void {
    this.reassembler.close();
  }
}
