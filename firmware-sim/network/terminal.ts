// The contract between the simulated network and what is attached to it (a SimModem, or a VirtualPhone a
// test drives directly). The network calls the terminal (incoming call, SMS, radio change); the terminal
// calls the network through the NetworkLink it got from SimNetwork.attach().

import type { RadioState } from './radio.js';
import type { Concat, SmsEncoding, UdhElement } from '../../protocol/sms/index.js';

/** Why a call ended, as the network tells each side. The modem maps these onto final result codes. */
export type CallEndReason =
  /** Normal clearing: the other side hung up (or this side did). -> NO CARRIER */
  | 'hangup'
  /** The callee is in another call. -> BUSY */
  | 'busy'
  /** The callee rejected the call while it was ringing (user-determined busy). -> BUSY */
  | 'rejected'
  /** Nobody answered before the network's no-answer timer. -> NO ANSWER */
  | 'no-answer'
  /** This side has no service (coverage hole, network down, radio off). -> NO CARRIER */
  | 'no-network'
  /** The number does not exist, or its phone is off or out of coverage. -> NO CARRIER */
  | 'unreachable'
  /** The radio link dropped during the call. -> NO CARRIER */
  | 'radio-lost';

/** What an SMS carries across the network: this one part's body, as the SMSC copies it from SUBMIT to DELIVER. */
export interface SmsContent {
  /** The text of this part (for 8-bit data, one character per octet). */
  readonly text: string;
  /** Alphabet of the part; default 'gsm7' when every character allows it, else 'ucs2'. */
  readonly encoding?: SmsEncoding;
  /** Octets of an 8-bit data part. */
  readonly data?: Uint8Array;
  /** The part header of one part of a long message (parts travel separately, as on GSM). */
  readonly concat?: Concat;
  /** Every user-data-header element of the SUBMIT (concatenation included), copied into the DELIVER. */
  readonly udh?: readonly UdhElement[];
}

/** One short message inside the network (one part of a long message: parts travel separately, as on GSM). */
export interface NetworkSms {
  /** Network-wide id, in submission order (a duplicate keeps the id of its original). */
  readonly id: number;
  /** Originator in international format, e.g. "+447700900456". */
  readonly from: string;
  /** Destination as normalised by the network. */
  readonly to: string;
  readonly content: SmsContent;
  /** When the SMSC accepted it (ms since epoch): the DELIVER's service-centre time stamp. */
  readonly submittedAt: number;
  /** TP-MR the sender's modem assigned (0..255). */
  readonly messageReference: number;
  readonly statusReportRequested: boolean;
}

/** A delivery outcome reported back to a sender who asked for one (becomes an SMS-STATUS-REPORT). */
export interface SmsStatusReport {
  readonly messageReference: number;
  readonly recipient: string;
  readonly submittedAt: number;
  readonly dischargedAt: number;
  readonly delivered: boolean;
}

/** What a terminal answers to an SMS the network delivers. */
export type SmsAcceptance = 'accepted' | 'memory-full' | 'unavailable';

/** The network's view of a call offered to a terminal. */
export interface IncomingCall {
  readonly callId: number;
  /** Caller in international format; undefined when the caller withheld the number. */
  readonly from: string | undefined;
  readonly emergency: boolean;
}

/** Implemented by everything attached to the network. All methods are called synchronously. */
export interface NetworkTerminal {
  /** Registration or signal changed (also called once on attach). */
  radioChanged(radio: RadioState): void;
  /** A call is ringing here. */
  incomingCall(call: IncomingCall): void;
  /** An outgoing call of this terminal is now ringing at the other end. */
  callAlerting(callId: number): void;
  /** The call is answered (sent to the caller; the callee answered it itself). */
  callConnected(callId: number): void;
  /** The call is over, with why. */
  callEnded(callId: number, reason: CallEndReason): void;
  /** An SMS arrives; the terminal stores or shows it, or says its memory is full. */
  deliverSms(sms: NetworkSms): SmsAcceptance;
  /** A status report for an SMS this terminal sent with a report requested. */
  deliverStatusReport(report: SmsStatusReport): void;
}

/** Result of dialling. */
export type DialResult = { readonly ok: true; readonly callId: number } | { readonly ok: false; readonly reason: CallEndReason };

/** Result of submitting an SMS to the SMSC. */
export type SubmitResult =
  | { readonly ok: true; readonly id: number }
  | { readonly ok: false; readonly reason: 'no-network' | 'bad-destination' };

/** Options of one SMS submission. */
export interface SubmitOptions {
  readonly messageReference: number;
  readonly statusReportRequested: boolean;
}

/** The terminal's handle on the network, returned by SimNetwork.attach(). */
export interface NetworkLink {
  /** This subscriber's MSISDN (international format). */
  readonly msisdn: string;
  /** The radio state as this terminal currently sees it. */
  radio(): RadioState;
  /** Whether the phone can use the network at all (modem powered on, SIM ready). Off = unreachable. */
  setAvailable(available: boolean): void;
  /** Dials a number as typed (ATD<number>;). Fails at once when there is no service. */
  dial(dialled: string): DialResult;
  /** Answers a call ringing here; false when there is no such ringing call. */
  answer(callId: number): boolean;
  /** Hangs up (or rejects) a call of this terminal; ignored when it is already over. */
  hangup(callId: number): void;
  /** Hands an SMS to the SMSC. */
  submitSms(to: string, content: SmsContent, options: SubmitOptions): SubmitResult;
  /** Leaves the network: calls end, the number becomes unreachable. */
  detach(): void;
}
