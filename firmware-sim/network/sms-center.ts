// The SMSC of the simulated network: store and forward, with the route's delay, loss, duplication and
// reordering (sms-rules.ts).
//
// Rules (docs/firmware-sim-modem.md):
// - A sender without service gets 'no-network' at once (+CMS ERROR: 331 at its modem); an empty or
//   malformed destination 'bad-destination'.
// - Once accepted, a message is lost with the route's loss probability (the sender still got +CMGS, as with
//   real SMS), else delivered after delayMs + a random 0..reorderMs, and with the duplication probability a
//   second copy is delivered with its own random delay.
// - A destination that is attached but unreachable (off, no coverage) or whose memory is full is retried
//   every `retryMs` until `validityMs` after submission, then dropped as 'expired'. A number nobody is
//   attached to is dropped at once as 'unknown-destination'.
// - Each part of a long message is its own SMS here: parts can be lost, duplicated or reordered separately.
// - A sender who asked for a status report gets one on delivery (or on expiry / unknown destination).

import type { Clock } from '../../protocol/time/clock.js';
import type { Random } from '../../protocol/time/random.js';
import type { NetworkEvent } from './events.js';
import type { NetworkSms, SmsContent, SubmitOptions, SubmitResult } from './terminal.js';
import type { Subscriber, SubscriberDirectory } from './subscriber.js';
import { SmsRuleTable } from './sms-rules.js';
import { normaliseNumber } from './msisdn.js';

/** Store-and-forward timings. */
export interface SmsCenterConfig {
  readonly countryCode: string;
  /** Interval between delivery attempts to an unreachable or full destination (ms). */
  readonly retryMs: number;
  /** How long the SMSC keeps trying before it gives up (ms). */
  readonly validityMs: number;
}

/** Owned by SimNetwork. */
export class SmsCenter {
  readonly rules = new SmsRuleTable();
  private nextId = 1;
  private inFlight = 0;

  constructor(
    private readonly config: SmsCenterConfig,
    private readonly clock: Clock,
    private readonly random: Random,
    private readonly directory: SubscriberDirectory,
    private readonly emit: (e: NetworkEvent) => void,
  ) {}

  /** Messages accepted and not yet delivered, dropped or expired. */
  get pending(): number {
    return this.inFlight;
  }

  /** Accepts a message from `sender` (or from outside the simulation when `sender` is a bare number). */
  submit(sender: Subscriber | string, to: string, content: SmsContent, options: SubmitOptions): SubmitResult {
    if (typeof sender !== 'string' && !this.directory.reachable(sender)) return { ok: false, reason: 'no-network' };
    const dest = normaliseNumber(to, this.config.countryCode);
    if (!/^\+?[0-9]{1,20}$/.test(dest)) return { ok: false, reason: 'bad-destination' };
    const sms: NetworkSms = {
      id: this.nextId++,
      from: typeof sender === 'string' ? normaliseNumber(sender, this.config.countryCode) : sender.msisdn,
      to: dest,
      content,
      submittedAt: this.clock.now(),
      messageReference: options.messageReference,
      statusReportRequested: options.statusReportRequested,
    };
    this.emit({ type: 'sms-submitted', at: sms.submittedAt, sms });
    const rule = this.rules.lookup(sms.from, sms.to);
    this.inFlight++;
    if (this.random.chance(rule.lossProbability)) {
      this.clock.setTimeout(() => this.drop(sms, 'loss'), rule.delayMs);
      return { ok: true, id: sms.id };
    }
    const copies = this.random.chance(rule.duplicateProbability) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const jitter = rule.reorderMs > 0 ? this.random.int(0, rule.reorderMs) : 0;
      if (i > 0) {
        this.inFlight++;
        this.emit({ type: 'sms-duplicated', at: this.clock.now(), sms });
      }
      this.clock.setTimeout(() => this.attempt(sms), rule.delayMs + jitter);
    }
    return { ok: true, id: sms.id };
  }

  private attempt(sms: NetworkSms): void {
    const dest = this.directory.get(sms.to);
    if (dest === undefined) {
      this.drop(sms, 'unknown-destination');
      return;
    }
    const answer = this.directory.reachable(dest) ? dest.terminal.deliverSms(sms) : 'unavailable';
    if (answer === 'accepted') {
      this.inFlight--;
      this.emit({ type: 'sms-delivered', at: this.clock.now(), sms });
      this.report(sms, true);
      return;
    }
    if (this.clock.now() + this.config.retryMs > sms.submittedAt + this.config.validityMs) {
      this.drop(sms, 'expired');
      return;
    }
    this.emit({
      type: 'sms-deferred',
      at: this.clock.now(),
      sms,
      reason: answer === 'memory-full' ? 'memory-full' : 'unreachable',
    });
    this.clock.setTimeout(() => this.attempt(sms), this.config.retryMs);
  }

  private drop(sms: NetworkSms, reason: 'loss' | 'expired' | 'unknown-destination'): void {
    this.inFlight--;
    this.emit({ type: 'sms-dropped', at: this.clock.now(), sms, reason });
    // A lost message is silently lost; the SMSC knows about the other two and says so.
    if (reason !== 'loss') this.report(sms, false);
  }

  private report(sms: NetworkSms, delivered: boolean): void {
    if (!sms.statusReportRequested) return;
    const sender = this.directory.get(sms.from);
    if (sender === undefined || !this.directory.reachable(sender)) return;
    sender.terminal.deliverStatusReport({
      messageReference: sms.messageReference,
      recipient: sms.to,
      submittedAt: sms.submittedAt,
      dischargedAt: this.clock.now(),
      delivered,
    });
  }
}
