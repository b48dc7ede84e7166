// The shared part of SUBMIT and DELIVER encoding: choose the alphabet, split into parts, add the
// concatenation header, and produce TP-DCS, TP-UDHI and TP-UDL + TP-UD for each part.
//
// Alphabet choice ('auto'): GSM 7-bit when every character is in the default alphabet or the extension
// table, else UCS2. A Uint8Array body is always 8-bit data; a string forced to '8bit' is sent as UTF-8.
// Concatenation reference: `concatRef` when given, else the next value of a per-process counter
// (starting at 1), so two long messages sent one after the other never share a reference.
// One given part (`concat` and/or `udh`): no splitting; the header is written as given, the body must fit.

import { encodeDcs, type SmsEncoding } from './dcs.js';
import { isGsm7, textToSeptets } from './gsm7-alphabet.js';
import { SmsEncodeError, SmsEncodeReason } from './result.js';
import { splitBody } from './split.js';
import { IEI_CONCAT_16, IEI_CONCAT_8, buildUdh, concatElement, type UdhElement } from './udh.js';
import { encodeUserData, textToUcs2 } from './user-data.js';

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
  /**
   * Send exactly ONE part as part `seq` of `total` of message `ref` (one part of a long message, e.g. the
   * SC turning a SUBMIT part into a DELIVER). `refBits` 8 (default, IEI 0x00) or 16 (IEI 0x08). The body
   * must fit in one part after the header (153 GSM septets, 134 octets, 67 UCS2 units with an 8-bit
   * reference), else `too-long`.
   */
  readonly concat?: ConcatOption;
  /**
   * Send exactly ONE part carrying these user data header elements verbatim, in this order (a copy of a
   * received header: concatenation, port addressing, ...). May be combined with `concat` when it holds no
   * concatenation element itself. An empty list means one part without a header. Neither `udh` nor
   * `concat` goes with `concatRef`/`concatRefBits` (those are for splitting): `bad-option`.
   */
  readonly udh?: readonly UdhElement[];
}

/** Where the one part of {@link BodyOptions.concat} sits in its message. */
export interface ConcatOption {
  readonly ref: number;
  readonly total: number;
  readonly seq: number;
  readonly refBits?: 8 | 16;
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
  return isGsm7(body) ? 'gsm7' : 'ucs2';
}

/** Encodes a body into one or more parts (exactly one when `udh` or `concat` is given). */
export function encodeBody(text: string | Uint8Array, o: BodyOptions): EncodedBody[] {
  if (o.data !== undefined && text.length > 0) throw new SmsEncodeError(SmsEncodeReason.BadOption, 'both a text and `data` given');
  const body = o.data ?? text;
  const encoding = chooseEncoding(body, o.encoding ?? 'auto');
  if (o.udh !== undefined || o.concat !== undefined) return [encodeOnePart(body, encoding, o)];
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

function badOption(detail: string): never {
  throw new SmsEncodeError(SmsEncodeReason.BadOption, detail);
}

function isOctet(x: unknown): x is number {
  return Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 255;
}

/** The header elements of a one-part body: `udh` as given, then the `concat` element. */
function onePartElements(o: BodyOptions): UdhElement[] {
  if (o.concatRef !== undefined || o.concatRefBits !== undefined) {
    badOption('`udh`/`concat` (one given part) together with `concatRef`/`concatRefBits` (splitting)');
  }
  const elements = [...(o.udh ?? [])];
  for (const e of elements) {
    if (!isOctet(e.iei) || !(e.data instanceof Uint8Array) || e.data.length > 255) badOption(`header element ${String(e.iei)} is not an IEI 0..255 with at most 255 octets`);
  }
  const c = o.concat;
  if (c === undefined) return elements;
  const refBits = c.refBits ?? 8;
  if (refBits !== 8 && refBits !== 16) badOption(`concat.refBits ${String(refBits)} is not 8 or 16`);
  const max = refBits === 16 ? 0xffff : 0xff;
  if (!Number.isInteger(c.ref) || c.ref < 0 || c.ref > max) badOption(`concat.ref ${c.ref} is not 0..${max}`);
  if (!Number.isInteger(c.total) || c.total < 1 || c.total > 255) badOption(`concat.total ${c.total} is not 1..255`);
  if (!Number.isInteger(c.seq) || c.seq < 1 || c.seq > c.total) badOption(`concat.seq ${c.seq} is not 1..${c.total}`);
  if (elements.some((e) => e.iei === IEI_CONCAT_8 || e.iei === IEI_CONCAT_16)) badOption('`udh` already has a concatenation element and `concat` is given');
  elements.push(concatElement(c.ref, c.total, c.seq, refBits));
  return elements;
}

/** One part with the given header; the body must fit beside it. */
function encodeOnePart(body: string | Uint8Array, encoding: SmsEncoding, o: BodyOptions): EncodedBody {
  const elements = onePartElements(o);
  const header = elements.length > 0 ? buildUdh(elements) : [];
  const payload =
    typeof body !== 'string' ? body : encoding === 'gsm7' ? textToSeptets(body).septets : encoding === 'ucs2' ? textToUcs2(body) : new TextEncoder().encode(body);
  const used = encoding === 'gsm7' ? Math.ceil((header.length * 8) / 7) + payload.length : header.length + payload.length;
  const room = encoding === 'gsm7' ? 160 : 140;
  if (used > room) {
    const unit = encoding === 'gsm7' ? 'septets' : 'octets';
    throw new SmsEncodeError(SmsEncodeReason.TooLong, `one part holds ${room} ${unit}; header and body need ${used}`);
  }
  return { dcs: encodeDcs(encoding, o.messageClass), udhi: elements.length > 0, userData: encodeUserData(encoding, payload, header) };
}

/** Checks an octet-sized option. */
export function octetOption(name: string, v: number | undefined, dflt: number): number {
  const x = v ?? dflt;
  if (!Number.isInteger(x) || x < 0 || x > 255) throw new SmsEncodeError(SmsEncodeReason.BadOption, `${name} ${x} is not 0..255`);
  return x;
}
