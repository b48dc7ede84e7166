// 3GPP TS 23.038 section 6.2.1: the GSM 7-bit default alphabet and its extension table.
//
// A character of the extension table is sent as two septets: ESC (0x1B) then its code, e.g. "€" = 1B 65.
// Receiving: an ESC followed by a code the extension table does not define shows the default-table
// character for that code (23.038 6.2.1.1); ESC ESC (reserved for a second extension table) and an ESC
// at the very end of the user data show as a space.

/** The escape septet to the extension table. */
export const ESC = 0x1b;

// Default alphabet, septet value = index. Index 0x1B is ESC (never a character of its own).
const DEFAULT =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table: septet after ESC -> character. 0x0A is the page break (form feed). */
const EXTENSION: ReadonlyArray<readonly [number, string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

/** septet -> character (default table). */
export const GSM7_DEFAULT: readonly string[] = Array.from(DEFAULT);

/** septet after ESC -> character, or undefined when the extension table has no entry. */
export const GSM7_EXTENSION: ReadonlyArray<string | undefined> = (() => {
  const t: (string | undefined)[] = new Array<string | undefined>(128).fill(undefined);
  for (const [code, ch] of EXTENSION) t[code] = ch;
  return t;
})();

/**
 * UTF-16 code unit -> encoding: 0..127 = one septet; 0x100 | code = ESC + code; -1 = not encodable.
 * Every GSM character is in the BMP, so a code unit lookup suffices (a surrogate is never encodable).
 */
const ENCODE: Int16Array = (() => {
  const t = new Int16Array(65536).fill(-1);
  GSM7_DEFAULT.forEach((ch, septet) => {
    if (septet !== ESC) t[ch.charCodeAt(0)] = septet;
  });
  for (const [code, ch] of EXTENSION) t[ch.charCodeAt(0)] = 0x100 | code;
  return t;
})();

/** Septets for one UTF-16 code unit: 1, 2 (extension table) or 0 when not in the GSM alphabet. */
export function gsm7Width(codeUnit: number): 0 | 1 | 2 {
  const e = ENCODE[codeUnit] as number;
  return e < 0 ? 0 : e > 0xff ? 2 : 1;
}

/** True when every character of `text` is in the default alphabet or the extension table. */
export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) if ((ENCODE[text.charCodeAt(i)] as number) < 0) return false;
  return true;
}

/** Number of septets `text` takes (escapes count two); -1 when a character is not encodable. */
export function gsm7Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const w = gsm7Width(text.charCodeAt(i));
    if (w === 0) return -1;
    n += w;
  }
  return n;
}

/**
 * Text to septet values (ESC pairs expanded). Returns the index of the first unencodable character as
 * `bad` (and no septets) when there is one.
 */
export function textToSeptets(text: string): { septets: Uint8Array; bad: number } {
  const out = new Uint8Array(text.length * 2);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const e = ENCODE[text.charCodeAt(i)] as number;
    if (e < 0) return { septets: new Uint8Array(0), bad: i };
    if (e > 0xff) {
      out[n++] = ESC;
      out[n++] = e & 0x7f;
    } else out[n++] = e;
  }
  return { septets: out.subarray(0, n), bad: -1 };
}

// Septet -> UTF-16 code unit tables for decoding (every GSM character is one BMP code unit).
const DEFAULT_CODES: Uint16Array = Uint16Array.from(GSM7_DEFAULT, (c) => c.charCodeAt(0));
const EXTENSION_CODES: Uint16Array = Uint16Array.from(GSM7_EXTENSION, (c, i) => (c ?? GSM7_DEFAULT[i]!).charCodeAt(0));
const SPACE = 0x20;

/**
 * Septet -> UTF-16 code unit tables for decoding one body: `main` for a septet on its own, `escaped` for the
 * septet after ESC (its extension or national single shift entry, else the main table's character).
 * national-language.ts builds the national ones.
 */
export interface SeptetTables {
  readonly main: Uint16Array;
  readonly escaped: Uint16Array;
}

/** The default alphabet and its extension table. */
export const DEFAULT_SEPTET_TABLES: SeptetTables = { main: DEFAULT_CODES, escaped: EXTENSION_CODES };

/** Septet values to text, applying the extension-table rules described at the top of this file. */
export function septetsToText(septets: Uint8Array): string {
  const codes = new Array<number>(septets.length);
  let n = 0;
  let esc = false;
  for (let i = 0; i < septets.length; i++) {
    const c = septets[i] as number;
    if (esc) {
      esc = false;
      codes[n++] = c === ESC ? SPACE : (EXTENSION_CODES[c] as number);
    } else if (c === ESC) esc = true;
    else codes[n++] = DEFAULT_CODES[c] as number;
  }
  if (esc) codes[n++] = SPACE;
  codes.length = n;
  return charsToString(codes);
}

/**
 * Reads `count` packed septets from `octets`, starting `bitOffset` bits in, straight to text (the
 * unpacking of septets.ts and {@link septetsToText} in one pass, without the intermediate septet array),
 * with the default tables or the national ones a header selected. The caller has checked that the octets
 * are there.
 */
export function packedSeptetsToText(octets: Uint8Array, bitOffset: number, count: number, tables: SeptetTables = DEFAULT_SEPTET_TABLES): string {
  const main = tables.main;
  const escaped = tables.escaped;
  const codes = new Array<number>(count);
  let n = 0;
  let esc = false;
  let bit = bitOffset;
  for (let k = 0; k < count; k++, bit += 7) {
    const i = bit >> 3;
    const shift = bit & 7;
    let c = (octets[i] as number) >> shift;
    if (shift > 1) c |= (octets[i + 1] as number) << (8 - shift);
    c &= 0x7f;
    if (esc) {
      esc = false;
      codes[n++] = c === ESC ? SPACE : (escaped[c] as number);
    } else if (c === ESC) esc = true;
    else codes[n++] = main[c] as number;
  }
  if (esc) codes[n++] = SPACE;
  codes.length = n;
  return charsToString(codes);
}

const APPLY_CHUNK = 4096;

/**
 * UTF-16 code units to a string. A plain array through `String.fromCharCode.apply` is V8's fast path
 * (a typed array there is about twice as slow); chunked so that a long input cannot overflow the stack.
 */
export function charsToString(codes: number[]): string {
  if (codes.length <= APPLY_CHUNK) return String.fromCharCode.apply(null, codes);
  let s = '';
  for (let i = 0; i < codes.length; i += APPLY_CHUNK) s += String.fromCharCode.apply(null, codes.slice(i, i + APPLY_CHUNK));
  return s;
}
