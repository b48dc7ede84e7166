// TP-UDL and TP-UD (3GPP TS 23.040 9.2.3.16, 9.2.3.24), the last fields of every PDU type here.
//
//   05 E8329BFD06                 UDL 5 septets ("hello") -> ceil(5 x 7 / 8) = 5 octets must follow
//   A0 050003 2A0201 ...          UDL 160 septets with header: 6 header octets = 48 bits + 1 fill bit
//                                 = 7 septets, then 153 text septets; 140 octets must follow
//   0A 0048 0065 006C 006C 006F   UCS2: UDL counts octets (header included)
// The octet count that follows must be exactly what TP-UDL implies: one octet fewer is "truncated", one
// more is "trailing-bytes". This is what stops a PDU with a stray or missing octet from decoding into
// short or empty text. Over-long UDL (more than 160 septets or 140 octets) is refused.
// A GSM 7-bit body is read with the national language shift tables its header names, if any
// (national-language.ts); one naming a table this decoder does not have is refused as `unsupported`.

import type { SmsEncoding } from './dcs.js';
import { charsToString, packedSeptetsToText } from './gsm7-alphabet.js';
import { SmsReason, ok, reject, type SmsResult } from './result.js';
import { septetOctets, packSeptets } from './septets.js';
import { nationalTables } from './national-language.js';
import { parseUdh, type Concat, type UdhElement } from './udh.js';

/** The decoded body of a PDU. */
export interface UserData {
  readonly text: string;
  /** The body octets after the header, for 8-bit data (undefined for text alphabets). */
  readonly data: Uint8Array | undefined;
  readonly udh: readonly UdhElement[];
  readonly concat: Concat | undefined;
  /** TP-UDL as received (septets for GSM 7-bit, octets otherwise). */
  readonly udl: number;
}

/** Big-endian UTF-16 octets to a string (lone surrogates are kept: the next part may complete them). */
export function ucs2ToText(b: Uint8Array): string {
  const codes = new Array<number>(b.length >> 1);
  for (let i = 0; i < codes.length; i++) codes[i] = ((b[2 * i] as number) << 8) | (b[2 * i + 1] as number);
  return charsToString(codes);
}

/** A string to big-endian UTF-16 octets (astral characters become surrogate pairs). */
export function textToUcs2(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out[2 * i] = c >> 8;
    out[2 * i + 1] = c & 0xff;
  }
  return out;
}

/** 8-bit data shown as text: one character per octet (ISO 8859-1), lossless. */
export function latin1(b: Uint8Array): string {
  const codes = new Array<number>(b.length);
  for (let i = 0; i < b.length; i++) codes[i] = b[i] as number;
  return charsToString(codes);
}

/** Decodes TP-UDL at `pos` and the user data after it, which must end exactly at the end of `b`. */
export function decodeUserData(b: Uint8Array, pos: number, udhi: boolean, encoding: SmsEncoding): SmsResult<UserData> {
  if (pos >= b.length) return reject(SmsReason.Truncated, 'TP-UDL missing');
  const udl = b[pos] as number;
  const septets = encoding === 'gsm7';
  if (udl > (septets ? 160 : 140)) return reject(SmsReason.BadUdl, `TP-UDL ${udl} exceeds ${septets ? '160 septets' : '140 octets'}`);
  const need = septets ? septetOctets(udl) : udl;
  const have = b.length - pos - 1;
  if (have !== need) {
    const what = `TP-UDL ${udl}${septets ? ' septets' : ''} needs ${need} octets, ${have} follow`;
    return reject(have < need ? SmsReason.Truncated : SmsReason.TrailingBytes, what);
  }
  const ud = b.subarray(pos + 1);
  let udh: readonly UdhElement[] = [];
  let concat: Concat | undefined;
  let headerOctets = 0;
  if (udhi) {
    const h = parseUdh(ud);
    if (!h.ok) return h;
    udh = h.value.elements;
    concat = h.value.concat;
    headerOctets = h.value.octets;
  }
  if (septets) {
    const headerSeptets = Math.ceil((headerOctets * 8) / 7);
    if (headerSeptets > udl) return reject(SmsReason.BadUdh, `header of ${headerOctets} octets exceeds TP-UDL ${udl} septets`);
    // A header may select national shift tables (national-language.ts); without one, the default tables.
    const tables = udh.length > 0 ? nationalTables(udh) : undefined;
    if (tables !== undefined && !tables.ok) return tables;
    const text = packedSeptetsToText(ud, headerSeptets * 7, udl - headerSeptets, tables?.value);
    return ok({ text, data: undefined, udh, concat, udl });
  }
  const body = ud.subarray(headerOctets);
  if (encoding === 'ucs2') {
    if (body.length % 2 !== 0) return reject(SmsReason.Unsupported, `UCS2 body of ${body.length} octets (odd)`);
    return ok({ text: ucs2ToText(body), data: undefined, udh, concat, udl });
  }
  return ok({ text: latin1(body), data: body.slice(), udh, concat, udl });
}

/**
 * TP-UDL and TP-UD octets for one part: `payload` is septet values (gsm7) or octets (8bit, ucs2),
 * `header` the UDH octets (UDHL first) or empty.
 */
export function encodeUserData(encoding: SmsEncoding, payload: Uint8Array, header: readonly number[]): number[] {
  // Plain loops: spreading a Uint8Array into an array literal goes through the iterator protocol.
  if (encoding !== 'gsm7') {
    const ud = [header.length + payload.length, ...header];
    for (let i = 0; i < payload.length; i++) ud.push(payload[i] as number);
    return ud;
  }
  const headerSeptets = Math.ceil((header.length * 8) / 7);
  const udl = headerSeptets + payload.length;
  const out = new Uint8Array(septetOctets(udl));
  out.set(header);
  packSeptets(payload, out, headerSeptets * 7);
  const ud = [udl];
  for (let i = 0; i < out.length; i++) ud.push(out[i] as number);
  return ud;
}
