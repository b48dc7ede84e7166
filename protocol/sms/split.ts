// Splitting a body into parts (3GPP TS 23.040 9.2.3.24.1, 23.038 6.1.2.1).
//
// One part holds 160 septets / 140 octets. A concatenated part loses its header: 6 octets with an 8-bit
// reference (153 septets, 134 octets, 67 UCS2 units), 7 with a 16-bit one (152 septets, 133 octets, 66
// UCS2 units). A part never ends between ESC and its extension character, nor inside a UTF-16 surrogate
// pair: each part then decodes on its own (a phone that shows parts before reassembly shows no garbage).

import type { SmsEncoding } from './dcs.js';
import { textToSeptets, gsm7Width } from './gsm7-alphabet.js';
import { textToUcs2 } from './user-data.js';

/** Units (septets or octets) one part can carry. */
export function partCapacity(encoding: SmsEncoding, concatenated: boolean, refBits: 8 | 16): number {
  const header = concatenated ? (refBits === 16 ? 7 : 6) : 0;
  if (encoding === 'gsm7') return 160 - Math.ceil((header * 8) / 7);
  const octets = 140 - header;
  return encoding === 'ucs2' ? octets & ~1 : octets;
}

/** Cuts `units` into chunks of at most `cap`, only at positions where `boundary(i)` is true. */
function cut(units: Uint8Array, cap: number, boundary: (i: number) => boolean): Uint8Array[] {
  const parts: Uint8Array[] = [];
  let start = 0;
  while (units.length - start > cap) {
    let end = start + cap;
    while (end > start && !boundary(end)) end--;
    if (end === start) end = start + cap; // no boundary within a part (cannot happen with these units)
    parts.push(units.subarray(start, end));
    start = end;
  }
  parts.push(units.subarray(start));
  return parts;
}

/**
 * The payloads (septet values for gsm7, octets otherwise) of the parts of `body`. `text` must already be
 * known encodable when `encoding` is gsm7. One payload means "send without a concatenation header".
 */
export function splitBody(body: string | Uint8Array, encoding: SmsEncoding, refBits: 8 | 16): Uint8Array[] {
  let units: Uint8Array;
  let boundary: (i: number) => boolean;
  if (typeof body !== 'string') {
    units = body;
    boundary = () => true;
  } else if (encoding === 'gsm7') {
    units = textToSeptets(body).septets;
    if (units.length <= partCapacity(encoding, false, refBits)) return [units];
    // A cut at i is inside an escape pair when septet i-1 is an ESC that starts a pair.
    const startsPair = new Uint8Array(units.length + 1);
    let k = 0;
    for (let i = 0; i < body.length; i++) {
      const w = gsm7Width(body.charCodeAt(i));
      if (w === 2) startsPair[k] = 1;
      k += w;
    }
    boundary = (i) => i === 0 || startsPair[i - 1] === 0;
  } else {
    units = encoding === 'ucs2' ? textToUcs2(body) : new TextEncoder().encode(body);
    // UCS2: never between the halves of a surrogate pair; 8-bit (UTF-8 of a string): never inside a sequence.
    boundary =
      encoding === 'ucs2'
        ? (i) => i % 2 === 0 && !isHighSurrogate(units, i - 2)
        : (i) => i >= units.length || ((units[i] as number) & 0xc0) !== 0x80;
  }
  if (units.length <= partCapacity(encoding, false, refBits)) return [units];
  return cut(units, partCapacity(encoding, true, refBits), boundary);
}

function isHighSurrogate(b: Uint8Array, i: number): boolean {
  if (i < 0) return false;
  const c = ((b[i] as number) << 8) | (b[i + 1] as number);
  return c >= 0xd800 && c <= 0xdbff;
}
