// The frame around every TPDU as AT commands carry it: the SMSC address field, then the TPDU.
//
//   07 91 447785016005 | 04 0C 91 ...        +CMT / +CMGR / +CMGL give the SMSC field first; its first
//   00 | 11 00 0C 91 ...                     octet counts its octets, 00 = "use the default SMSC".
// AT+CMGS=<n> and "+CMT: ,<n>" count only the TPDU octets; when the caller passes that count the frame
// must agree with it exactly.

import { decodeSmsc, encodeSmsc, type SmsAddress } from './address.js';
import { hexToScratch, toHex } from './hex.js';
import { SmsReason, ok, reject, type SmsResult } from './result.js';

/** How a PDU string is framed. */
export interface DecodeOptions {
  /** The hex starts with the SMSC field (default true, as +CMT/+CMGR/AT+CMGS give it). */
  readonly smsc?: boolean;
  /** TPDU octets the AT layer announced (+CMT: ,<n>; AT+CMGS=<n>); checked exactly when given. */
  readonly tpduLength?: number;
}

/** One encoded PDU, ready for AT+CMGS=<tpduLength> (or a +CMT line). */
export interface EncodedPdu {
  /** Uppercase hex, SMSC field first. */
  readonly pdu: string;
  /** Octets after the SMSC field. */
  readonly tpduLength: number;
}

/** A PDU split into its SMSC and the TPDU octets (starting at `start`). */
export interface Framed {
  readonly bytes: Uint8Array;
  readonly smsc: SmsAddress | undefined;
  readonly start: number;
}

/**
 * Parses the hex and the SMSC field, and checks the announced TPDU length. `bytes` is the decoders'
 * shared scratch buffer (hex.ts): valid until the next unframe(), so a decoder copies out what it keeps.
 */
export function unframe(hex: string, options: DecodeOptions = {}): SmsResult<Framed> {
  if (typeof hex !== 'string') return reject(SmsReason.BadHex, 'PDU is not a string');
  const bytes = hexToScratch(hex);
  if (bytes === undefined) return reject(SmsReason.BadHex, 'PDU is empty, odd-length or not hexadecimal');
  let smsc: SmsAddress | undefined;
  let start = 0;
  if (options.smsc !== false) {
    const f = decodeSmsc(bytes);
    if (!f.ok) return f;
    smsc = f.value.value;
    start = f.value.next;
  }
  const tpdu = bytes.length - start;
  if (options.tpduLength !== undefined && options.tpduLength !== tpdu) {
    return reject(SmsReason.BadLength, `announced TPDU length ${options.tpduLength}, PDU has ${tpdu} octets after the SMSC field`);
  }
  if (tpdu < 1) return reject(SmsReason.Truncated, 'no TPDU after the SMSC field');
  return ok({ bytes, smsc, start });
}

/** SMSC field + TPDU octets to the encoded form. */
export function frame(smsc: string | undefined, tpdu: readonly number[]): EncodedPdu {
  return { pdu: toHex(encodeSmsc(smsc)) + toHex(tpdu), tpduLength: tpdu.length };
}
