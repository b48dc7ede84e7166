// The reports pipeline for one SMS part at a time: PDU decode, reassembly (rebuilt across restarts, see
// sms-intake.ts), then by content: TSR1 (tsr1-intake.ts), AML (aml-intake.ts), or neither. It decides
// events from the core's state and changes nothing but the reassembler; the core stores and applies them.
//
//   undecodable PDU                    -> report.rejected bad-field ("PDU: ...")
//   status report (for a TSC1 we sent) -> nothing more (the raw part is stored by the core)
//   a part received twice              -> report.rejected duplicate (a copy with another text is kept, see below)
//   a single-part SMS received twice   -> report.rejected duplicate (same originator, TP-SCTS and text within
//                                         the 2 h horizon: an AML gives one fix; sms-intake.ts); a single-part
//                                         TSR1's copy is the anti-replay window's `duplicate` (tsr1-intake.ts)
//   parts not all in after 10 min      -> report.rejected incomplete + reassembly.expired (parts kept 2 h for
//                                         a late part, which then completes the report: sms-intake.ts)
//   text neither TSR1 nor AML          -> kept only, from a number with a call; else report.rejected unknown-sender
//
// The sender is the originator as E.164 (calls/phone-number.ts), or null for an alphanumeric originator
// (TON 5, "Vodafone"): a name any bulk-SMS sender can set, never a phone's number, even when it is spelt
// with digits ("07700900123"); it must not locate a caller's call (AML) nor pass for a handset's number.
// An AML sent as 8-bit data (GSM 7-bit septets packed into the octets, as Android's ELS may send it) is
// read with parseAmlData (aml-intake.ts).
//
// Damaged parts. Serial noise can change a character of a part and leave the PDU decodable; if that copy
// completes the message, the MAC (or the TSR1 syntax) fails. Such a message must not consume its parts: the
// genuine copy of the damaged part may still be read. So when the verdict on a whole message is one a
// damaged text can cause (SUSPECT below: syntax, unknown handset, bad MAC, not a report at all), the
// reassembler is told (reject()) and offers the other combinations of the copies it holds; the first that
// passes is the message; if none does, the rejection of the first combination is stored (once per arriving
// part) and the message stays open for another copy until the reassembly horizon. A verdict reached after a
// valid MAC (sender-mismatch, duplicate, replay, too-old) proves the text genuine: its parts are consumed.
// A damaged report is thus always rejected (the MAC decides) and a genuine one is accepted when its bytes
// arrive, in any order.
import type { HmacSha256Sync } from '../../protocol/report/mac.js';
import { tryDecodeIncoming } from '../../protocol/sms/index.js';
import type { SmsDeliver } from '../../protocol/sms/deliver.js';
import type { IncompleteMessage, ReassembledMessage } from '../../protocol/sms/reassembler.js';
import type { ReportRejectReason } from '../../protocol/schemas/reports.js';
import { normaliseNumber } from '../calls/phone-number.js';
import { event, type CoreState } from '../core/state.js';
import type { NewEvent, StoredEvent } from '../store/event-store.js';
import { amlIntake } from './aml-intake.js';
import { claimedHandset, rejected } from './rejection.js';
import { SmsIntake, type SmsPart } from './sms-intake.js';
import { authenticate, tsr1Intake } from './tsr1-intake.js';

/** A text that is not a report is kept quietly when its sender had a call this recently. */
export const CALLER_TEXT_GRACE_MS = 30 * 60_000;

/**
 * Verdicts on a whole text that one damaged character can cause (so another copy of a part may pass). For
 * TSR1 these are exactly the failures of authenticate() (tsr1-intake.ts), which the start-up replay uses
 * alone: keep the two in step.
 */
const SUSPECT: ReadonlySet<ReportRejectReason> = new Set<ReportRejectReason>([
  'wrong-version',
  'truncated',
  'too-long',
  'not-gsm7',
  'bad-field',
  'absurd-value',
  'unknown-handset',
  'bad-mac',
  'unknown-sender',
  'bad-aml',
]);

/** Type of number of an alphanumeric originator (3GPP TS 23.040 9.1.2.5). */
const TON_ALPHANUMERIC = 5;

/** The sender of a part as E.164; null when it has no number (withheld, unusable, or alphanumeric). */
function senderOf(part: SmsDeliver, countryCode: string): string | null {
  return part.fromAddress.ton === TON_ALPHANUMERIC ? null : normaliseNumber(part.from, undefined, countryCode);
}

/** The events of one whole message, and whether its verdict could be a damaged part's doing. */
type Verdict = { readonly events: NewEvent[]; readonly suspect: boolean };

export class ReportPipeline {
  private readonly intake: SmsIntake;
  /** Live expiries, as events to store. */
  onIncomplete: (events: NewEvent[]) => void = () => {};

  constructor(
    private readonly state: CoreState,
    private readonly hmac: HmacSha256Sync,
    reassemblyTimeoutMs?: number,
    /** How long an unfinished message's parts are kept, from its first part (sms-intake.ts; default 2 h). */
    reassemblyHorizonMs?: number,
  ) {
    this.intake = new SmsIntake(state.clock, reassemblyTimeoutMs, reassemblyHorizonMs);
    this.intake.onIncomplete = (m) => this.onIncomplete(this.incompleteEvents(m));
  }

  /**
   * Start-up: one stored event, in log order (after the state has applied it). A message a replayed part
   * completes is judged again against the state rebuilt so far (the same verdict as live: nothing before
   * this part has changed), so refused messages are refused again and wait for a genuine copy. A start from
   * a snapshot judges the parts before the snapshot's seq against the later state: a handset registered or
   * re-keyed in between can change whether such a message is kept open; nothing is stored either way.
   */
  replay(stored: StoredEvent): void {
    const out = this.intake.replay(stored);
    if (out?.status !== 'complete') return;
    const from = senderOf(out.message.parts[0] as SmsPart, this.state.config.countryCode);
    const at = out.message.completedAt;
    // The same loop as settle(), judging by the checks up to the MAC only (no NMEA, no events): those
    // decide alone whether a TSR1 verdict is SUSPECT.
    for (let m: ReassembledMessage<SmsPart> | undefined = out.message; m !== undefined; m = this.intake.reject(m)) {
      if (!(m.text.startsWith('TSR') ? !authenticate(this.state, m.text, this.hmac).ok : this.verdict(m.text, m.data, from, at).suspect)) return;
    }
  }

  /**
   * How far back (ms before now) the start-up replay needs the `sms.received` events: the reassembly
   * horizon + its timeout (2 h 10 min by default; sms-intake.ts). Older parts are skipped by replay().
   */
  get replayWindowMs(): number {
    return this.intake.replayWindowMs;
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
    const from = senderOf(d.value, this.state.config.countryCode);
    const out = this.intake.add(d.value, receivedAt);
    switch (out.status) {
      case 'pending':
        return events;
      case 'duplicate':
        events.push(rejected(this.state, { reason: 'duplicate', fromNumber: from, receivedAt, detail: `a part received twice${out.conflicting ? ' with a different text' : ''}` }));
        return events;
      case 'copy':
        events.push(rejected(this.state, { reason: 'duplicate', fromNumber: from, receivedAt, detail: 'a single-part SMS received twice (same sender, time stamp and text)' }));
        return events;
      case 'complete':
        events.push(...this.settle(out.message, from, receivedAt));
        return events;
      default: {
        const never: never = out;
        return never;
      }
    }
  }

  /**
   * The events of a completed message: its own verdict, or, while the verdict is SUSPECT, the first verdict
   * among the other combinations the reassembler offers that is not; if all are, the first one's.
   */
  private settle(message: ReassembledMessage<SmsPart>, from: string | null, receivedAt: number): NewEvent[] {
    const first = this.verdict(message.text, message.data, from, receivedAt);
    if (!first.suspect) return first.events;
    for (let m = this.intake.reject(message); m !== undefined; ) {
      const v = this.verdict(m.text, m.data, from, receivedAt);
      if (!v.suspect) return v.events;
      m = this.intake.reject(m);
    }
    return first.events;
  }

  /** A whole message (`data`: its octets when sent as 8-bit data): TSR1, AML, or neither. Pure with respect to the state. */
  private verdict(text: string, data: Uint8Array | undefined, from: string | null, receivedAt: number): Verdict {
    if (text.startsWith('TSR')) {
      const r = tsr1Intake(this.state, text, from, receivedAt, this.hmac);
      return { events: r.events, suspect: !r.ok && SUSPECT.has(r.reason) };
    }
    const aml = amlIntake(this.state, text, from, receivedAt, data);
    if (aml.kind === 'aml') return { events: aml.events, suspect: aml.rejected };
    const caller = from === null ? undefined : this.state.calls.forAml(from, receivedAt, CALLER_TEXT_GRACE_MS);
    if (caller !== undefined) return { events: [], suspect: false }; // a text from someone in a call: kept (sms.received), not a report
    return { events: [rejected(this.state, { reason: 'unknown-sender', fromNumber: from, receivedAt, detail: `neither TSR1 nor AML (${text.length} characters)` })], suspect: true };
  }

  private incompleteEvents(m: IncompleteMessage<SmsPart>): NewEvent[] {
    const from = m.parts[0] === undefined ? null : senderOf(m.parts[0], this.state.config.countryCode);
    // The handset the first part names, or, with the first part lost, the handset whose SIM sent the parts:
    // the engineers' view shows a handset whose reports keep coming in incomplete (lastRejection), and a
    // supervisor sees whose report it was. Both are unverified claims (no MAC without the whole report).
    const claimed = claimedHandset(this.state, m.text, from);
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
