// A phone on the simulated network with no modem: a test (or the standalone modem's control hook) uses it
// to call a modem, answer its calls, and send or receive SMS, and reads what happened to it.

import type { CallEndReason, IncomingCall, NetworkLink, NetworkSms, NetworkTerminal, SmsAcceptance, SmsStatusReport } from './terminal.js';
import type { RadioState } from './radio.js';
import type { SimNetwork, AttachOptions } from './sim-network.js';

/** Something that happened to a virtual phone, in order. */
export type PhoneEvent =
  | { readonly type: 'incoming'; readonly call: IncomingCall }
  | { readonly type: 'alerting'; readonly callId: number }
  | { readonly type: 'connected'; readonly callId: number }
  | { readonly type: 'ended'; readonly callId: number; readonly reason: CallEndReason }
  | { readonly type: 'sms'; readonly sms: NetworkSms }
  | { readonly type: 'status-report'; readonly report: SmsStatusReport }
  | { readonly type: 'radio'; readonly radio: RadioState };

/** A scriptable phone; `autoAnswer` answers every incoming call at once. */
export class VirtualPhone implements NetworkTerminal {
  readonly events: PhoneEvent[] = [];
  readonly received: NetworkSms[] = [];
  readonly link: NetworkLink;
  autoAnswer = false;
  /** What deliverSms answers (a test sets 'memory-full' to exercise SMSC retries). */
  acceptance: SmsAcceptance = 'accepted';
  private messageReference = 0;

  constructor(network: SimNetwork, msisdn: string, options?: AttachOptions) {
    this.link = network.attach(msisdn, this, options);
  }

  get msisdn(): string {
    return this.link.msisdn;
  }

  /** Dials; returns the call id, or the reason it failed at once. */
  dial(number: string): number | CallEndReason {
    const r = this.link.dial(number);
    return r.ok ? r.callId : r.reason;
  }

  answer(callId: number): boolean {
    return this.link.answer(callId);
  }

  hangup(callId: number): void {
    this.link.hangup(callId);
  }

  /** Sends one SMS part with this text (no splitting: callers split long texts themselves). */
  sendSms(to: string, text: string, statusReportRequested = false): boolean {
    this.messageReference = (this.messageReference + 1) & 0xff;
    return this.link.submitSms(to, { text }, { messageReference: this.messageReference, statusReportRequested }).ok;
  }

  /** The call currently ringing here, if any. */
  ringing(): IncomingCall | undefined {
    const ended = new Set(this.events.flatMap((e) => (e.type === 'ended' || e.type === 'connected' ? [e.callId] : [])));
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i] as PhoneEvent;
      if (e.type === 'incoming' && !ended.has(e.call.callId)) return e.call;
    }
    return undefined;
  }

  radioChanged(radio: RadioState): void {
    this.events.push({ type: 'radio', radio });
  }

  incomingCall(call: IncomingCall): void {
    this.events.push({ type: 'incoming', call });
    if (this.autoAnswer) this.link.answer(call.callId);
  }

  callAlerting(callId: number): void {
    this.events.push({ type: 'alerting', callId });
  }

  callConnected(callId: number): void {
    this.events.push({ type: 'connected', callId });
  }

  callEnded(callId: number, reason: CallEndReason): void {
    this.events.push({ type: 'ended', callId, reason });
  }

  deliverSms(sms: NetworkSms): SmsAcceptance {
    if (this.acceptance === 'accepted') {
      this.received.push(sms);
      this.events.push({ type: 'sms', sms });
    }
    return this.acceptance;
  }

  deliverStatusReport(report: SmsStatusReport): void {
    this.events.push({ type: 'status-report', report });
  }
}
