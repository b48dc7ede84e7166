// The reports pipeline for one SMS part at a time: PDU decode, reassembly (rebuilt across restarts, see
// sms-intake.ts), then by content: TSR1 (tsr1-intake.ts), AML (aml-intake.ts), or neither. It decides
// events from the core's state and changes nothing but the reassembler; the core stores and applies them.
//
//   undecodable PDU                    -> report.rejected bad-field ("PDU: ...")
//   status report (for a TSC1 we sent) -> nothing more (the raw part is stored by the core)
//   a part received twice              -> report.rejected duplicate
//   parts that never all arrive        -> report.rejected incomplete + reassembly.expired
//   text neither TSR1 nor AML          -> kept only, from a number with a call; else report.rejected unknown-sender
import type { HmacSha256Sync } from '../../protocol/report/mac.js';
import { tryDecodeIncoming } from '../../protocol/sms/index.js';
import type { IncompleteMessage } from '../../protocol/sms/reassembler.js';
import { normaliseNumber } from '../calls/phone-number.js';
import { event, type CoreState } from '../core/state.js';
import type { NewEvent, StoredEvent } from '../store/event-store.js';
import { amlIntake } from './aml-intake.js';
import { rejected } from './rejection.js';
import { SmsIntake, type SmsPart } from './sms-intake.js';
import { tsr1Intake } from './tsr1-intake.js';

/** A text that is not a report is kept quietly when its sender had a call this recently. */
export const CALLER_TEXT_GRACE_MS = 30 * 60_000;

export class ReportPipeline {
  private readonly intake: SmsIntake;
  /** Live expiries, as events to store. */
  onIncomplete: (events: NewEvent[]) => void = () => {};

  constructor(
    private readonly state: CoreState,
    private readonly hmac: HmacSha256Sync,
    reassemblyTimeoutMs?: number,
  ) {
    this.intake = new SmsIntake(state.clock, reassemblyTimeoutMs);
    this.intake.onIncomplete = (m) => this.onIncomplete(this.incompleteEvents(m));
  }

  /** Start-up: one stored event, in log order. */
  replay(stored: StoredEvent): void {
    this.intake.replay(stored);
  }

  /** Ends the start-up replay; the events for reports that expired while the gateway was down. */
  goLive(): NewEvent[] {
    return this.intake.goLive().flatMap((m) => this.incompleteEvents(m));
  }

  close(): void {
    this.intake.close();
  }

  /** The events one SMS part causes (its raw PDU is stored by the caller). */
  partEvents(pdu: string, receivedAt: number): NewEvent[] {
    const events: NewEvent[] = [];
    const d = tryDecodeIncoming(pdu);
    if (!d.ok) {
      events.push(rejected(this.state, { reason: 'bad-field', fromNumber: null, receivedAt, detail: `PDU: ${d.reason}: ${d.detail}` }));
      return events;
    }
    if (d.value.type !== 'deliver') return events; // a status report for a TSC1 we sent: stored, nothing more
    const from = normaliseNumber(d.value.from, undefined, this.state.config.countryCode);
    const out = this.intake.add({ ...d.value, receivedAt });
    switch (out.status) {
      case 'pending':
        return events;
      case 'duplicate':
        events.push(rejected(this.state, { reason: 'duplicate', fromNumber: from, receivedAt, detail: `a part received twice${out.conflicting ? ' with a different text' : ''}` }));
        return events;
      case 'complete':
        events.push(...this.messageEvents(out.message.text, from, receivedAt));
        return events;
      default: {
        const never: never = out;
        return never;
      }
    }
  }

  /** A whole message: TSR1, AML, or neither. */
  private messageEvents(text: string, from: string | null, receivedAt: number): NewEvent[] {
    if (text.startsWith('TSR')) return tsr1Intake(this.state, text, from, receivedAt, this.hmac).events;
    const aml = amlIntake(this.state, text, from, receivedAt);
    if (aml.kind === 'aml') return aml.events;
    const caller = from === null ? undefined : this.state.calls.forAml(from, receivedAt, CALLER_TEXT_GRACE_MS);
    if (caller !== undefined) return []; // a text from someone in a call: kept (sms.received), not a report
    return [rejected(this.state, { reason: 'unknown-sender', fromNumber: from, receivedAt, detail: `neither TSR1 nor AML (${text.length} characters)` })];
  }

  private incompleteEvents(m: IncompleteMessage<SmsPart>): NewEvent[] {
    const from = normaliseNumber(m.from, undefined, this.state.config.countryCode);
    const claimed = /^TSR1;h=([A-Z0-9][A-Z0-9-]{0,15});/.exec(m.text)?.[1] ?? null;
    return [
      rejected(this.state, {
        reason: 'incomplete',
        claimedHandsetId: claimed,
        fromNumber: from,
        receivedAt: m.reportedAt,
        detail: `${m.reason}: parts ${m.received.join(',')} of ${m.total} (ref ${m.ref}), missing ${m.missing.join(',')}`,
      }),
      event(this.state, 'reassembly.expired', { from: m.from, ref: m.ref, refBits: m.refBits, total: m.total, firstSeenAt: m.firstSeenAt }),
    ];
  }
}
