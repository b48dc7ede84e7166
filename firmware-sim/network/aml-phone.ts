// An ordinary phone with Advanced Mobile Location (ETSI TS 103 625; Android's ELS, iOS's HELO): when its user
// dials an emergency number it sends, a few seconds later, an AML SMS with its own position, written by
// protocol/report/aml-encode.ts:
//
//   A"ML=1;lt=+51.50070;lg=-0.12180;rd=25;top=20261123060005;lc=68;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=128
//
// The phone sends it whatever became of the call: the SMS does not wait for the call to ring at the control
// room. That is why an AML can overtake its call: while every control-room line is busy the network holds the
// 999 call in its queue (call-switch.ts), and the position arrives first.
//
// Where the SMS goes: a real phone sends it to the number its country's AML configuration names, and the
// network routes it to the 999 service's AML endpoint; here the phone is told that number (`amlNumber`: the
// gateway's line in tests). One AML per emergency call the network accepted: a dial that fails at once (no
// service) sends none, as its SMS could not go either. The position and `top` are those of the moment it sends.

import type { AmlFields } from '../../protocol/report/aml-encode.js';
import { encodeAml } from '../../protocol/report/aml-encode.js';
import type { CallEndReason } from './terminal.js';
import type { AttachOptions, SimNetwork } from './sim-network.js';
import { VirtualPhone } from './virtual-phone.js';

/** Dialling to sending, by default (ms): the phone's time to a first fix ("within seconds of dialling"). */
export const AML_DEFAULT_DELAY_MS = 5000;

/** What an AML phone knows of itself and where it is (the AML fields but the time, which is the sending's). */
export type AmlPosition = Omit<AmlFields, 'time'>;

/** The AML side of a phone. */
export interface AmlOptions {
  /** Where its AML SMS goes (the AML endpoint; the gateway's number in the simulation). */
  readonly amlNumber: string;
  readonly position: AmlPosition;
  /** Dialling to sending (ms); default AML_DEFAULT_DELAY_MS. */
  readonly delayMs?: number;
}

/** A VirtualPhone that sends an AML SMS after each emergency call it dials; `position` may be changed (she moves). */
export class AmlPhone extends VirtualPhone {
  /** The AML texts it sent, in order (an SMS the SMSC refused is not here). */
  readonly amlSent: string[] = [];
  position: AmlPosition;
  private readonly amlNumber: string;
  private readonly delayMs: number;

  constructor(
    private readonly network: SimNetwork,
    msisdn: string,
    aml: AmlOptions,
    options?: AttachOptions,
  ) {
    super(network, msisdn, options);
    this.amlNumber = aml.amlNumber;
    this.position = aml.position;
    this.delayMs = aml.delayMs ?? AML_DEFAULT_DELAY_MS;
  }

  override dial(number: string): number | CallEndReason {
    const r = super.dial(number);
    if (typeof r === 'number' && this.network.isEmergencyNumber(number)) {
      this.network.clock.setTimeout(() => this.sendAml(), this.delayMs);
    }
    return r;
  }

  private sendAml(): void {
    const text = encodeAml({ ...this.position, time: new Date(this.network.clock.now()) });
    if (this.sendSms(this.amlNumber, text)) this.amlSent.push(text);
  }
}
