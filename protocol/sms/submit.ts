// SMS-SUBMIT (3GPP TS 23.040 9.2.2.2), mobile to service centre: what AT+CMGS carries.
//
//   00 | 11 00 0C 91 447700901032 00 00 FF 0F D4F29C0E32CBDF6DD039DC6ED701   (smstools, AT+CMGS=28)
//   SMSC 00 (default)
//   11   first octet: TP-MTI 01 (bits 1-0), TP-RD (bit 2), TP-VPF (bits 4-3; 10 = relative),
//        TP-SRR (bit 5, status report wanted), TP-UDHI (bit 6), TP-RP (bit 7)
//   00   TP-MR message reference (the modem may replace it)
//   0C 91 447700901032   TP-DA destination, +447700900123
//   00   TP-PID   00 TP-DCS (GSM 7-bit)   FF TP-VP (relative: 63 weeks)
//   0F   TP-UDL 15 septets, then TP-UD
// Parts of one long message get message references messageReference, +1, +2 ... (mod 256).

import { decodeAddress, encodeAddress, type SmsAddress } from './address.js';
import { encodeBody, octetOption, type BodyOptions } from './body.js';
import { decodeDcs, type SmsEncoding } from './dcs.js';
import { frame, unframe, type DecodeOptions, type EncodedPdu } from './frame.js';
import { SmsReason, ok, reject, type SmsResult } from './result.js';
import type { Concat, UdhElement } from './udh.js';
import { decodeUserData } from './user-data.js';
import { decodeValidity, encodeValidity, validityLength, type Validity } from './validity.js';

/** Options of {@link encodeSubmit}. */
export interface SubmitOptions extends BodyOptions {
  /** Ask for an SMS-STATUS-REPORT (TP-SRR). Default false. */
  readonly requestStatusReport?: boolean;
  /** Validity period: minutes (relative) or a {@link Validity}. Default relative 24 h (TP-VP A7). */
  readonly validity?: number | Validity;
  /** TP-MR of the first part, 0..255. Default 0 (the modem assigns one). */
  readonly messageReference?: number;
  /** SMSC number; default none (SMSC field 00: the modem's configured SMSC). */
  readonly smsc?: string;
  /** TP-PID, default 0. */
  readonly pid?: number;
  /** TP-RD: the SC should reject a duplicate of an unsent message. Default false. */
  readonly rejectDuplicates?: boolean;
  /** TP-RP: reply path. Default false. */
  readonly replyPath?: boolean;
}

/** A decoded SMS-SUBMIT. */
export interface SmsSubmit {
  readonly type: 'submit';
  /** Destination as text: "+447700900123", "07700900123". */
  readonly to: string;
  readonly toAddress: SmsAddress;
  readonly text: string;
  /** Present when the PDU carries a concatenation header. */
  readonly concat?: Concat;
  readonly requestStatusReport: boolean;
  readonly validity: Validity;
  readonly encoding: SmsEncoding;
  readonly messageReference: number;
  readonly rejectDuplicates: boolean;
  readonly replyPath: boolean;
  readonly pid: number;
  readonly dcs: number;
  readonly messageClass: 0 | 1 | 2 | 3 | undefined;
  /** Body octets for 8-bit data (`text` then shows them one character per octet). */
  readonly data?: Uint8Array;
  readonly udh: readonly UdhElement[];
  /** SMSC number from the SMSC field, undefined for 00. */
  readonly smsc: string | undefined;
  readonly tpduLength: number;
}

/** Encodes SMS-SUBMIT PDUs for `text` (one per part). Throws {@link SmsEncodeError} on bad input. */
export function encodeSubmit(to: string, text: string | Uint8Array, options: SubmitOptions = {}): EncodedPdu[] {
  const da = encodeAddress(to, false);
  const v = options.validity ?? 1440;
  const { vpf, octets: vp } = encodeValidity(typeof v === 'number' ? { format: 'relative', minutes: v } : v);
  const mr = octetOption('messageReference', options.messageReference, 0);
  const pid = octetOption('pid', options.pid, 0);
  const parts = encodeBody(text, options);
  return parts.map((p, i) => {
    const fo =
      0x01 |
      (options.rejectDuplicates ? 0x04 : 0) |
      vpf |
      (options.requestStatusReport ? 0x20 : 0) |
      (p.udhi ? 0x40 : 0) |
      (options.replyPath ? 0x80 : 0);
    return frame(options.smsc, [fo, (mr + i) & 0xff, ...da, pid, p.dcs, ...vp, ...p.userData]);
  });
}

/** Decodes an SMS-SUBMIT (SMSC field first unless `options.smsc` is false); never throws. */
export function tryDecodeSubmit(hex: string, options: DecodeOptions = {}): SmsResult<SmsSubmit> {
  const f = unframe(hex, options);
  if (!f.ok) return f;
  const { bytes: b, start } = f.value;
  const fo = b[start] as number;
  if ((fo & 3) !== 1) return reject(SmsReason.WrongType, `TP-MTI ${fo & 3} is not SMS-SUBMIT`);
  if (start + 2 > b.length) return reject(SmsReason.Truncated, 'TP-MR missing');
  const da = decodeAddress(b, start + 2, 'TP-DA');
  if (!da.ok) return da;
  let pos = da.value.next;
  const vpf = (fo >> 3) & 3;
  const vpLen = validityLength(vpf);
  if (pos + 2 + vpLen > b.length) return reject(SmsReason.Truncated, 'TP-PID, TP-DCS or TP-VP missing');
  const pid = b[pos] as number;
  const dcs = b[pos + 1] as number;
  pos += 2;
  const validity = decodeValidity(b, pos, vpf);
  if (!validity.ok) return validity;
  pos += vpLen;
  const coding = decodeDcs(dcs);
  if (coding.compressed) return reject(SmsReason.Unsupported, `TP-DCS ${dcs} says compressed`);
  const ud = decodeUserData(b, pos, (fo & 0x40) !== 0, coding.encoding);
  if (!ud.ok) return ud;
  const u = ud.value;
  return ok({
    type: 'submit',
    to: da.value.value.number,
    toAddress: da.value.value,
    text: u.text,
    ...(u.concat ? { concat: u.concat } : {}),
    requestStatusReport: (fo & 0x20) !== 0,
    validity: validity.value,
    encoding: coding.encoding,
    messageReference: b[start + 1] as number,
    rejectDuplicates: (fo & 0x04) !== 0,
    replyPath: (fo & 0x80) !== 0,
    pid,
    dcs,
    messageClass: coding.messageClass,
    ...(u.data ? { data: u.data } : {}),
    udh: u.udh,
    smsc: f.value.smsc?.number,
    tpduLength: b.length - start,
  });
}
