// The shared part of SUBMIT and DELIVER encoding: choose the alphabet, split into parts, add the
// concatenation header, and produce TP-DCS, TP-UDHI and TP-UDL + TP-UD for each part.
//
// Alphabet choice ('auto'): GSM 7-bit when every character is in the default alphabet or the extension
// table, else UCS2. A Uint8Array body is always 8-bit data; a string forced to '8bit' is sent as UTF-8.
// Concatenation reference: `concatRef` when given, else the next value of a per-process counter
// (starting at 1), so two long messages sent one after the other never share a reference.

import { encodeDcs, type SmsEncoding } from './dcs.js';
import { textToSeptets } from './gsm7-alphabet.js';
import { SmsEncodeError, SmsEncodeReason } from './result.js';
import { splitBody } from './split.js';
import { buildUdh, concatElement } from './udh.js';
import { encodeUserData } from './user-data.js';

/** Options about the body, common to encodeSubmit and encodeDeliver. */
export interface BodyOptions {
  /** 'auto' (default): GSM 7-bit if possible, else UCS2. Forced 'gsm7' refuses other characters. */
  readonly encoding?: 'auto' | SmsEncoding;
  /** Concatenation reference number (0..255, or 0..65535 with 16-bit references). */
  readonly concatRef?: number;
  /** 8 (default, IEI 0x00) or 16 (IEI 0x08). */
  readonly concatRefBits?: 8 | 16;
  /** Message class in the DCS (0 = flash). Default: none. */
  readonly messageClass?: 0 | 1 | 2 | 3;
  /** 8-bit data to send instead of the text (the text must then be ''); same as passing a Uint8Array. */
  readonly data?: Uint8Array;
}

/** One part's fields. */
export interface EncodedBody {
  readonly dcs: number;
  readonly udhi: boolean;
  /** TP-UDL then TP-UD. */
  readonly userData: number[];
}

let refCounter = 0;

function nextRef(bits: 8 | 16): number {
  refCounter = (refCounter + 1) % (bits === 16 ? 65536 : 256);
  if (refCounter === 0) refCounter = 1;
  return refCounter;
}

function chooseEncoding(body: string | Uint8Array, wanted: 'auto' | SmsEncoding): SmsEncoding {
  if (typeof body !== 'string') {
    if (wanted !== 'auto' && wanted !== '8bit') {
      throw new SmsEncodeError(SmsEncodeReason.BadOption, `binary data cannot be sent as ${wanted}`);
    }
    return '8bit';
  }
  if (wanted === 'gsm7') {
    const bad = textToSeptets(body).bad;
    if (bad >= 0) {
      const ch = String.fromCodePoint(body.codePointAt(bad) as number);
      throw new SmsEncodeError(SmsEncodeReason.Unencodable, `character ${JSON.stringify(ch)} at ${bad} is not in the GSM 7-bit alphabet`);
    }
    return 'gsm7';
  }
  if (wanted !== 'auto') return wanted;
  return textToSeptets(body).bad < 0 ? 'gsm7' : 'ucs2';
}

/** Encodes a body into one or more parts. */
export function encodeBody(text: string | Uint8Array, o: BodyOptions): EncodedBody[] {
  if (o.data !== undefined && text.length > 0) throw new SmsEncodeError(SmsEncodeReason.BadOption, 'both a text and `data` given');
  const body = o.data ?? text;
  const encoding = chooseEncoding(body, o.encoding ?? 'auto');
  const refBits = o.concatRefBits ?? 8;
  if (refBits !== 8 && refBits !== 16) throw new SmsEncodeError(SmsEncodeReason.BadOption, `concatRefBits ${String(refBits)} is not 8 or 16`);
  const dcs = encodeDcs(encoding, o.messageClass);
  const payloads = splitBody(body, encoding, refBits);
  if (payloads.length === 1) return [{ dcs, udhi: false, userData: encodeUserData(encoding, payloads[0]!, []) }];
  if (payloads.length > 255) throw new SmsEncodeError(SmsEncodeReason.TooLong, `message needs ${payloads.length} parts, at most 255`);
  const max = refBits === 16 ? 0xffff : 0xff;
  const ref = o.concatRef ?? nextRef(refBits);
  if (!Number.isInteger(ref) || ref < 0 || ref > max) throw new SmsEncodeError(SmsEncodeReason.BadOption, `concatRef ${ref} is not 0..${max}`);
  return payloads.map((p, i) => ({
    dcs,
    udhi: true,
    userData: encodeUserData(encoding, p, buildUdh([concatElement(ref, payloads.length, i + 1, refBits)])),
  }));
}

/** Checks an octet-sized option. */
export function octetOption(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < 0 || x > 255) throw new SmsEncodeError(SmsEncodeReason.BadOption, `${name} ${x} is not 0..255`);
  return x;
}
