// SMS-STATUS-REPORT (3GPP TS 23.040 9.2.2.3), service centre to mobile, after a SUBMIT with TP-SRR:
//
//   00 | 06 2A 0C 91 447700900123 62703221415000 62703221416000 00
//   06   first octet: TP-MTI 10 (bits 1-0), TP-MMS (bit 2, 1 = no more), TP-LP (bit 3),
//        TP-SRQ (bit 5: 0 = report on a SUBMIT, 1 = on a COMMAND), TP-UDHI (bit 6)
//   2A   TP-MR of the SUBMIT this reports on
//   0C 91 447700900123   TP-RA recipient
//   TP-SCTS (when the SC got the SUBMIT), TP-DT (when it was delivered or the SC gave up)
//   00   TP-ST: 00-1F completed (00 delivered, 01 forwarded unconfirmed, 02 replaced),
//        20-3F temporary error, SC still trying; 40-5F permanent error; 60-7F temporary error, SC gave up;
//        80-FF reserved (counted as failed here)
//   optional TP-PI (bit 0 PID, bit 1 DCS, bit 2 UDL follow; bit 7 = another PI octet), TP-PID, TP-DCS, TP-UD
//   A TP-PI with any reserved bit (3-6) set is discarded with whatever follows it: some SCs set a reserved
//   bit to say "nothing follows" (Android's SmsMessage does the same, citing 23.040 9.2.3.27); reading its
//   low bits refused such a report as truncated.

import { decodeAddress, encodeAddress, type SmsAddress } from './address.js';
import { octetOption } from './body.js';
import { decodeDcs, type SmsEncoding } from './dcs.js';
import { frame, unframe, type DecodeOptions, type EncodedPdu, type Framed } from './frame.js';
import { SmsReason, ok, reject, type SmsResult } from './result.js';
import { decodeTimestamp, encodeTimestamp } from './timestamp.js';
import type { Concat, UdhElement } from './udh.js';
import { decodeUserData } from './user-data.js';

/** What TP-ST means for the sender. */
export type DeliveryOutcome = 'delivered' | 'pending' | 'failed';

/** TP-ST to an outcome. */
export function deliveryOutcome(status: number): DeliveryOutcome {
  if (status <= 0x1f) return 'delivered';
  if (status <= 0x3f) return 'pending';
  return 'failed';
}

/** A decoded SMS-STATUS-REPORT. */
export interface SmsStatusReport {
  readonly type: 'status-report';
  /** TP-MR of the SUBMIT reported on (what +CMGS answered). */
  readonly messageReference: number;
  /** Recipient of that SUBMIT, as text. */
  readonly recipient: string;
  readonly recipientAddress: SmsAddress;
  /** When the SC received the SUBMIT. */
  readonly serviceCentreAt: Date;
  /** When it was delivered, or the SC gave up / last tried. */
  readonly dischargeAt: Date;
  /** TP-ST raw value. */
  readonly status: number;
  readonly outcome: DeliveryOutcome;
  /** TP-SRQ: 'submit' (the usual) or 'command'. */
  readonly qualifier: 'submit' | 'command';
  readonly moreMessagesToSend: boolean;
  readonly pid: number | undefined;
  readonly dcs: number | undefined;
  readonly encoding: SmsEncoding | undefined;
  /** User data the SC included ('' when none). */
  readonly text: string;
  readonly concat?: Concat;
  readonly udh: readonly UdhElement[];
  readonly smsc: string | undefined;
  readonly tpduLength: number;
}

/** Input of {@link encodeStatusReport}. */
export interface StatusReportInput {
  readonly messageReference: number;
  readonly recipient: string;
  readonly serviceCentreAt: Date | number;
  readonly dischargeAt: Date | number;
  /** TP-ST, default 0 (delivered). */
  readonly status?: number;
  /** Zone for both time stamps, minutes east of UTC. Default 0. */
  readonly offsetMinutes?: number;
  readonly smsc?: string;
  readonly moreMessagesToSend?: boolean;
}

/** Encodes a status report (no TP-PI, as most SCs send it). Throws {@link SmsEncodeError} on bad input. */
export function encodeStatusReport(r: StatusReportInput): EncodedPdu {
  const fo = 0x02 | (r.moreMessagesToSend ? 0 : 0x04);
  const tz = r.offsetMinutes ?? 0;
  return frame(r.smsc, [
    fo,
    octetOption('messageReference', r.messageReference, 0),
    ...encodeAddress(r.recipient, false),
    ...encodeTimestamp(r.serviceCentreAt, tz),
    ...encodeTimestamp(r.dischargeAt, tz),
    octetOption('status', r.status, 0),
  ]);
}

/** Decodes an SMS-STATUS-REPORT (SMSC field first unless `options.smsc` is false); never throws. */
export function tryDecodeStatusReport(hex: string, options: DecodeOptions = {}): SmsResult<SmsStatusReport> {
  const f = unframe(hex, options);
  return f.ok ? decodeStatusReportFrame(f.value) : f;
}

/** Decodes the TPDU of an unframed PDU (so that tryDecodeIncoming parses the hex only once). */
export function decodeStatusReportFrame(f: Framed): SmsResult<SmsStatusReport> {
  const { bytes: b, start } = f;
  const fo = b[start] as number;
  if ((fo & 3) !== 2) return reject(SmsReason.WrongType, `TP-MTI ${fo & 3} is not SMS-STATUS-REPORT`);
  if (start + 2 > b.length) return reject(SmsReason.Truncated, 'TP-MR missing');
  const ra = decodeAddress(b, start + 2, 'TP-RA');
  if (!ra.ok) return ra;
  let pos = ra.value.next;
  if (pos + 15 > b.length) return reject(SmsReason.Truncated, 'TP-SCTS, TP-DT or TP-ST missing');
  const scts = decodeTimestamp(b, pos, 'TP-SCTS');
  if (!scts.ok) return scts;
  const dt = decodeTimestamp(b, pos + 7, 'TP-DT');
  if (!dt.ok) return dt;
  const status = b[pos + 14] as number;
  pos += 15;
  let pi = 0;
  if (pos < b.length && ((b[pos] as number) & 0x78) !== 0) {
    pos = b.length; // reserved bits set: the TP-PI and the octets after it are ignored (see the top)
  } else if (pos < b.length) {
    pi = b[pos] as number;
    pos++;
    // Extension PI octets (bit 7) carry nothing defined yet: skip them.
    for (let x = pi; x & 0x80; pos++) {
      if (pos >= b.length) return reject(SmsReason.Truncated, 'TP-PI extension octet missing');
      x = b[pos] as number;
    }
  }
  const want = ((pi & 1) !== 0 ? 1 : 0) + ((pi & 2) !== 0 ? 1 : 0);
  if (pos + want > b.length) return reject(SmsReason.Truncated, 'TP-PID or TP-DCS announced by TP-PI missing');
  const pid = pi & 1 ? (b[pos++] as number) : undefined;
  const dcs = pi & 2 ? (b[pos++] as number) : undefined;
  const coding = decodeDcs(dcs ?? 0);
  let text = '';
  let udh: readonly UdhElement[] = [];
  let concat: Concat | undefined;
  if (pi & 4) {
    if (coding.compressed) return reject(SmsReason.Unsupported, `TP-DCS ${dcs ?? 0} says compressed`);
    const ud = decodeUserData(b, pos, (fo & 0x40) !== 0, coding.encoding);
    if (!ud.ok) return ud;
    ({ text, udh, concat } = ud.value);
  } else if (pos !== b.length) {
    return reject(SmsReason.TrailingBytes, `${b.length - pos} octets after the last field TP-PI announces`);
  }
  return ok({
    type: 'status-report',
    messageReference: b[start + 1] as number,
    recipient: ra.value.value.number,
    recipientAddress: ra.value.value,
    serviceCentreAt: scts.value.date,
    dischargeAt: dt.value.date,
    status,
    outcome: deliveryOutcome(status),
    qualifier: fo & 0x20 ? 'command' : 'submit',
    moreMessagesToSend: (fo & 0x04) === 0,
    pid,
    dcs,
    encoding: dcs === undefined ? undefined : coding.encoding,
    text,
    ...(concat ? { concat } : {}),
    udh,
    smsc: f.smsc?.number,
    tpduLength: b.length - start,
  });
}
