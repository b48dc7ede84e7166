// Interned strings for talkers, sentence types and one-character fields. The decoder never builds a string per
// sentence: it indexes these tables, which are filled once when the module loads.

/** Value of a one-character field (status, mode, ...) when the field is empty. */
export const ABSENT_CHAR = '';

/** `talker` of a sentence whose talker bytes are not two upper-case letters; the raw bytes are in `talkerCode`. */
export const UNKNOWN_TALKER = 'unknown';

const A = 65;

/** Every two-letter talker 'AA'..'ZZ' (GP, GN, GL, GA, GB, BD, GQ, GI, QZ, PQ, II, ...), indexed by (a-'A')*26+(b-'A'). */
const TALKERS: readonly string[] = (() => {
  const t: string[] = [];
  for (let a = 0; a < 26; a++) for (let b = 0; b < 26; b++) t.push(String.fromCharCode(A + a, A + b));
  return t;
})();

/** One-character strings for the printable ASCII range; index 0 is {@link ABSENT_CHAR}. */
const CHARS: readonly string[] = (() => {
  const t: string[] = [ABSENT_CHAR];
  for (let c = 1; c < 128; c++) t.push(c >= 32 && c < 127 ? String.fromCharCode(c) : ABSENT_CHAR);
  return t;
})();

/** The interned talker string for two talker bytes, or {@link UNKNOWN_TALKER}. */
export function talkerOf(a: number, b: number): string {
  const x = a - A;
  const y = b - A;
  if (x < 0 || x > 25 || y < 0 || y > 25) return UNKNOWN_TALKER;
  return TALKERS[x * 26 + y] as string;
}

/** The interned one-character string for a byte (0 = absent). */
export function charOf(code: number): string {
  return code > 0 && code < 128 ? (CHARS[code] as string) : ABSENT_CHAR;
}

/** Packs three ASCII letters into one integer, the key of the sentence table. */
export function typeCode(s: string): number {
  return (s.charCodeAt(0) << 16) | (s.charCodeAt(1) << 8) | s.charCodeAt(2);
}
