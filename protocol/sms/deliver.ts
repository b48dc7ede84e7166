// SMS-DELIVER (3GPP TS 23.040 9.2.2.1), service centre to mobile: what +CMT / +CMGR / +CMGL show.
//
//   07 91 447785016005 | 04 0C 91 447700097098 00 00 62703221415000 05 E8329BFD06   (+CMT: ,24)
//   SMSC +447785016005
//   04   first octet: TP-MTI 00 (bits 1-0), TP-MMS (bit 2; 1 = NO more messages waiting), TP-LP (bit 3),
//        TP-SRI (bit 5, a status report will go to the sender), TP-UDHI (bit 6), TP-RP (bit 7)
//   0C 91 447700097098   TP-OA originator, +447700900789
//   00   TP-PID   00 TP-DCS (GSM 7-bit)   62703221415000 TP-SCTS 2026-07-23 12:14:05 +00:00
//   05   TP-UDL 5 septets: "hello"
// TP-MTI 11 (reserved) is decoded as a DELIVER, as 23.040 9.2.3.1 tells a mobile to do.

import { classifyAddress, decodeAddress, encodeAddress, type SmsAddress } from './address.js';
import { encodeBody, octetOption, type BodyOptions } from './body.js';
import { decodeDcs, type SmsEncoding } from './dcs.js';
import { frame, unframe, type DecodeOptions, type EncodedPdu, type Framed } from './frame.js';
import { SmsEncodeError, SmsEncodeReason, SmsReason, ok, reject, type SmsResult } from './result.js';
import { decodeTimestamp, encodeTimestamp } from './timestamp.js';
import type { Concat, UdhElement } from './udh.js';
import { decodeUserData } from './user-data.js';

/** A decoded SMS-DELIVER. */
export interface SmsDeliver {
  readonly type: 'deliver';
  /** Originator as text: "+447700900123" (international), "07700900123" (national), "Vodafone" (alphanumeric). */
  readonly from: string;
  readonly fromAddress: SmsAddress;
  readonly text: string;
  /** The SC time stamp as an instant (its zone applied). */
  readonly sentAt: Date;
  /** The zone the SC wrote, minutes east of UTC. */
  readonly sentAtOffsetMinutes: number;
  /** Present when the PDU carries a concatenation header. */
  readonly concat?: Concat;
  readonly encoding: SmsEncoding;
  readonly pid: number;
  readonly dcs: number;
  readonly messageClass: 0 | 1 | 2 | 3 | undefined;
  /** Body octets for 8-bit data (`text` then shows them one character per octet). */
  readonly data?: Uint8Array;
  /** Every header element, the concatenation one included. */
  readonly udh: readonly UdhElement[];
  /** TP-SRI: the sender asked for a status report. */
  readonly statusReportIndication: boolean;
  /** TP-MMS inverted: true when the SC has more messages waiting for this mobile. */
  readonly moreMessagesToSend: boolean;
  readonly replyPath: boolean;
  readonly loopPrevention: boolean;
  /** SMSC number from the SMSC field, undefined for 00. */
  readonly smsc: string | undefined;
  readonly tpduLength: number;
}

/** Input of {@link encodeDeliver}. */
export interface DeliverInput extends BodyOptions {
  /** Originator: "+44...", digits, or up to 11 GSM characters (alphanumeric sender). */
  readonly from: string;
  readonly text: string | Uint8Array;
  /** SC time stamp: a Date or epoch milliseconds. */
  readonly sentAt: Date | number;
  /** Zone written in the time stamp, minutes east of UTC (multiple of 15). Default 0. */
  readonly offsetMinutes?: number;
  /** SMSC number written before the TPDU; default none (00). */
  readonly smsc?: string;
  readonly pid?: number;
  readonly statusReportIndication?: boolean;
  /** Default false (TP-MMS set: no more messages). */
  readonly moreMessagesToSend?: boolean;
  readonly replyPath?: boolean;
}

/** Encodes SMS-DELIVER PDUs (one per part). Throws {@link SmsEncodeError} on bad input. */
export function encodeDeliver(input: DeliverInput): EncodedPdu[] {
  if (classifyAddress(input.from) === 'invalid') {
    throw new SmsEncodeError(SmsEncodeReason.BadAddress, `originator ${JSON.stringify(input.from)} is neither a number nor 1..11 GSM characters`);
  }
  const oa = encodeAddress(input.from, true);
  const scts = encodeTimestamp(input.sentAt, input.offsetMinutes ?? 0);
  const pid = octetOption('pid', input.pid, 0);
  return encodeBody(input.text, input).map((p) => {
    const fo =
      (input.moreMessagesToSend ? 0 : 0x04) |
      (input.statusReportIndication ? 0x20 : 0) |
      (p.udhi ? 0x40 : 0) |
      (input.replyPath ? 0x80 : 0);
    return frame(input.smsc, [fo, ...oa, pid, p.dcs, ...scts, ...p.userData]);
  });
}

/** Decodes an SMS-DELIVER (SMSC field first unless `options.smsc` is false); never throws. */
export function tryDecodeDeliver(hex: string, options: DecodeOptions = {}): SmsResult<SmsDeliver> {
  const f = unframe(hex, options);
  return f.ok ? decodeDeliverFrame(f.value) : f;
}

/** Decodes the TPDU of an unframed PDU (so that tryDecodeIncoming parses the hex only once). */
export function decodeDeliverFrame(f: Framed): SmsResult<SmsDeliver> {
  const { bytes: b, start } = f;
  const fo = b[start] as number;
  const mti = fo & 3;
  if (mti === 1 || mti === 2) return reject(SmsReason.WrongType, `TP-MTI ${mti} is not SMS-DELIVER`);
  const oa = decodeAddress(b, start + 1, 'TP-OA');
  if (!oa.ok) return oa;
  const pos = oa.value.next;
  if (pos + 9 > b.length) return reject(SmsReason.Truncated, 'TP-PID, TP-DCS or TP-SCTS missing');
  const pid = b[pos] as number;
  const dcs = b[pos + 1] as number;
  const scts = decodeTimestamp(b, pos + 2, 'TP-SCTS');
  if (!scts.ok) return scts;
  const coding = decodeDcs(dcs);
  if (coding.compressed) return reject(SmsReason.Unsupported, `TP-DCS ${dcs} says compressed`);
  const ud = decodeUserData(b, pos + 9, (fo & 0x40) !== 0, coding.encoding);
  if (!ud.ok) return ud;
  const u = ud.value;
  return ok({
    type: 'deliver',
    from: oa.value.value.number,
    fromAddress: oa.value.value,
    text: u.text,
    sentAt: scts.value.date,
    sentAtOffsetMinutes: scts.value.offsetMinutes,
    ...(u.concat ? { concat: u.concat } : {}),
    encoding: coding.encoding,
    pid,
    dcs,
    messageClass: coding.messageClass,
    ...(u.data ? { data: u.data } : {}),
    udh: u.udh,
    statusReportIndication: (fo & 0x20) !== 0,
    moreMessagesToSend: (fo & 0x04) === 0,
    replyPath: (fo & 0x80) !== 0,
    loopPrevention: (fo & 0x08) !== 0,
    smsc: f.smsc?.number,
    tpduLength: b.length - start,
  });
}
