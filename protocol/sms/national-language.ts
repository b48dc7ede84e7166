// National language shift tables (3GPP TS 23.038 6.2.1.2.4 and Annex A; TS 23.040 9.2.3.24.15/16).
//
// A GSM 7-bit message may name, in its user data header, a national table that replaces part of the
// default alphabet. Without it, a Turkish "ş" (ESC 73 in the Turkish single shift table) reads as "s":
// a silently wrong text.
//   03 24 01 01              UDHL 3; IEI 24 (national language single shift) length 1: Turkish
//   03 25 01 03              UDHL 3; IEI 25 (national language locking shift) length 1: Portuguese
//   06 24 01 01 25 01 01     both: Turkish locking table, Turkish single shift table after ESC
// - Locking shift: the 128 septets mean the national table instead of the default one.
// - Single shift: the septet after ESC is looked up in the national table instead of the default
//   extension table (each national single shift table repeats the default extension characters).
// - ESC + a code the single shift table leaves empty shows the locking table's character for that code
//   (23.038 6.2.1.1); ESC ESC and a final ESC show a space, as with the default tables.
// - Only for GSM 7-bit bodies; each part of a concatenated message carries its own elements (23.040).
//
// National language identifiers (23.038 6.2.1.2.4): 1 Turkish, 2 Spanish, 3 Portuguese, 4 Bengali,
// 5 Gujarati, 6 Hindi, 7 Kannada, 8 Malayalam, 9 Oriya, 10 Punjabi, 11 Tamil, 12 Telugu, 13 Urdu; the rest
// reserved. Decoded here: Turkish, Spanish and Portuguese, and 0 as the default tables (see LOCKING below).
// Spanish has a single shift table only; its locking shift is the default alphabet (23.038 defines no
// Spanish locking shift table, and Android decodes it so). Every other identifier (the Indic and Urdu
// tables, the reserved 14..255) is refused as `unsupported`: the text would be wrong, and the raw PDU the
// gateway stores keeps it for later.
// A national element whose length is not 1 is `bad-udh`.
//
// The tables below are 23.038 Annex A (A.2.1-A.2.3 single shift, A.3.1 and A.3.3 locking shift), checked
// entry by entry against two independent implementations: oFono's src/util.c (tur_gsm, por_gsm,
// tur_ext_gsm, spa_ext_gsm, por_ext_gsm) and Android's GsmSmsTest.java (sBasicTables, sExtendedTables).

import { DEFAULT_SEPTET_TABLES, GSM7_DEFAULT, GSM7_EXTENSION, type SeptetTables } from './gsm7-alphabet.js';
import { SmsReason, ok, reject, type SmsResult } from './result.js';
import type { UdhElement } from './udh.js';

/** IEI of the National Language Single Shift element (23.040 9.2.3.24.15). */
export const IEI_NATIONAL_SINGLE_SHIFT = 0x24;
/** IEI of the National Language Locking Shift element (23.040 9.2.3.24.16). */
export const IEI_NATIONAL_LOCKING_SHIFT = 0x25;

/** National language identifiers with a name (23.038 6.2.1.2.4). */
const LANGUAGE_NAMES: readonly string[] = [
  'reserved',
  'Turkish',
  'Spanish',
  'Portuguese',
  'Bengali',
  'Gujarati',
  'Hindi',
  'Kannada',
  'Malayalam',
  'Oriya',
  'Punjabi',
  'Tamil',
  'Telugu',
  'Urdu',
];

// Locking shift tables, septet value = index; index 0x1B is ESC (never a character of its own).
const DEFAULT_LOCKING = GSM7_DEFAULT.join('');
/** A.3.1 Turkish: € ı Ğ ğ Ş ş İ ç in place of è ì Ø ø Æ æ ¡ ¿. */
const TURKISH_LOCKING =
  '@£$¥€éùıòÇ\nĞğ\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bŞşßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  'İABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§çabcdefghijklmnopqrstuvwxyzäöñüà';
/** A.3.3 Portuguese. */
const PORTUGUESE_LOCKING =
  '@£$¥êéúíóç\nÔô\rÁáΔ_ªÇÀ∞^\\€Ó|\u001bÂâÊÉ !"#º%&\'()*+,-./0123456789:;<=>?' +
  'ÍABCDEFGHIJKLMNOPQRSTUVWXYZÃÕÚÜ§~abcdefghijklmnopqrstuvwxyzãõ`üà';

type ShiftEntries = ReadonlyArray<readonly [number, string]>;

/** The default extension table (23.038 6.2.1.1). */
const DEFAULT_SINGLE: ShiftEntries = GSM7_EXTENSION.flatMap((ch, code) => (ch === undefined ? [] : [[code, ch] as const]));
/** A.2.1 Turkish single shift: the default extension table plus Ğ İ Ş ç ğ ı ş. */
const TURKISH_SINGLE: ShiftEntries = [
  ...DEFAULT_SINGLE,
  [0x47, 'Ğ'], [0x49, 'İ'], [0x53, 'Ş'], [0x63, 'ç'], [0x67, 'ğ'], [0x69, 'ı'], [0x73, 'ş'],
];
/** A.2.2 Spanish single shift. */
const SPANISH_SINGLE: ShiftEntries = [
  ...DEFAULT_SINGLE,
  [0x09, 'ç'], [0x41, 'Á'], [0x49, 'Í'], [0x4f, 'Ó'], [0x55, 'Ú'], [0x61, 'á'], [0x69, 'í'], [0x6f, 'ó'], [0x75, 'ú'],
];
/** A.2.3 Portuguese single shift. */
const PORTUGUESE_SINGLE: ShiftEntries = [
  ...DEFAULT_SINGLE,
  [0x05, 'ê'], [0x09, 'ç'], [0x0b, 'Ô'], [0x0c, 'ô'], [0x0e, 'Á'], [0x0f, 'á'],
  [0x12, 'Φ'], [0x13, 'Γ'], [0x15, 'Ω'], [0x16, 'Π'], [0x17, 'Ψ'], [0x18, 'Σ'], [0x19, 'Θ'], [0x1f, 'Ê'],
  [0x41, 'À'], [0x49, 'Í'], [0x4f, 'Ó'], [0x55, 'Ú'], [0x5b, 'Ã'], [0x5c, 'Õ'], [0x61, 'Â'],
  [0x69, 'í'], [0x6f, 'ó'], [0x75, 'ú'], [0x7b, 'ã'], [0x7c, 'õ'], [0x7f, 'â'],
];

/**
 * Tables by identifier. 0 is "reserved" in 23.038 but is the default alphabet's number wherever the tables
 * are numbered (Android's GsmAlphabet): an element naming 0 is read as the default tables. Spanish (2) has
 * no locking shift table and uses the default alphabet.
 */
const LOCKING: readonly string[] = [DEFAULT_LOCKING, TURKISH_LOCKING, DEFAULT_LOCKING, PORTUGUESE_LOCKING];
const SINGLE: readonly ShiftEntries[] = [DEFAULT_SINGLE, TURKISH_SINGLE, SPANISH_SINGLE, PORTUGUESE_SINGLE];

function buildTables(locking: string, single: ShiftEntries): SeptetTables {
  const main = Uint16Array.from(Array.from(locking), (c) => c.charCodeAt(0));
  const escaped = main.slice();
  for (const [code, ch] of single) escaped[code] = ch.charCodeAt(0);
  return { main, escaped };
}

/** Every combination, index locking * 4 + single (identifiers 0..3, 0 = default). */
const COMBINED: readonly SeptetTables[] = Array.from({ length: 16 }, (_, k) =>
  k === 0 ? DEFAULT_SEPTET_TABLES : buildTables(LOCKING[k >> 2]!, SINGLE[k & 3]!),
);

function languageName(id: number): string {
  return `${id} (${id < LANGUAGE_NAMES.length ? LANGUAGE_NAMES[id]! : 'reserved'})`;
}

/** The identifier one element names (0..3; 0 without an element), or the reason it cannot be used. */
function identifier(e: UdhElement | undefined, which: 'single' | 'locking'): SmsResult<number> {
  if (e === undefined) return ok(0);
  if (e.data.length !== 1) return reject(SmsReason.BadUdh, `national language ${which} shift element has length ${e.data.length}, not 1`);
  const id = e.data[0] as number;
  if (id >= LOCKING.length) {
    return reject(SmsReason.Unsupported, `national language ${which} shift table ${languageName(id)} is not supported`);
  }
  return ok(id);
}

/**
 * The decoding tables a GSM 7-bit body's header elements select: the default ones when it names no national
 * table. When an element repeats, the last one counts (23.040 9.2.3.24).
 */
export function nationalTables(udh: readonly UdhElement[]): SmsResult<SeptetTables> {
  let singleElement: UdhElement | undefined;
  let lockingElement: UdhElement | undefined;
  for (const e of udh) {
    if (e.iei === IEI_NATIONAL_SINGLE_SHIFT) singleElement = e;
    else if (e.iei === IEI_NATIONAL_LOCKING_SHIFT) lockingElement = e;
  }
  if (singleElement === undefined && lockingElement === undefined) return ok(DEFAULT_SEPTET_TABLES);
  const locking = identifier(lockingElement, 'locking');
  if (!locking.ok) return locking;
  const single = identifier(singleElement, 'single');
  if (!single.ok) return single;
  return ok(COMBINED[locking.value * 4 + single.value]!);
}
