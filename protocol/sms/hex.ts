// Hex <-> octets for PDU strings. Strict: an odd digit count or a non-hex character is a rejection, so
// that a line with a stray character never decodes into something shorter.
//
// Speed: digit pairs go through one table lookup per octet (no parseInt/substr), and the decoders parse into
// one reused buffer (`hexToScratch`): a fresh Uint8Array of more than 64 octets is an off-heap allocation in
// V8 that costs more than decoding the whole PDU.

const OCTET_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

/** Octets (0..255) to uppercase hex (the form AT+CMGS and the simulator emit). */
export function toHex(bytes: Uint8Array | readonly number[]): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += OCTET_HEX[(bytes[i] as number) & 0xff]!;
  return s;
}

/** ASCII code -> nibble value, -1 for anything that is not a hex digit. */
const NIBBLE: Int8Array = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let c = 0; c < 10; c++) t[48 + c] = c;
  for (let c = 0; c < 6; c++) t[65 + c] = t[97 + c] = 10 + c;
  return t;
})();

function isHexDigit(c: number): boolean {
  return c < 128 && (NIBBLE[c] as number) >= 0;
}

/** The hex digits of `hex` without surrounding whitespace; trim() only when an end is not a digit. */
function digitsOf(hex: string): string {
  const n = hex.length;
  return n > 0 && isHexDigit(hex.charCodeAt(0)) && isHexDigit(hex.charCodeAt(n - 1)) ? hex : hex.trim();
}

/** Two ASCII codes (first << 7 | second) -> octet, -1 unless both are hex digits. */
const PAIR: Int16Array = (() => {
  const t = new Int16Array(128 * 128).fill(-1);
  for (let a = 0; a < 128; a++) {
    for (let b = 0; b < 128; b++) {
      const hi = NIBBLE[a] as number;
      const lo = NIBBLE[b] as number;
      if (hi >= 0 && lo >= 0) t[(a << 7) | b] = (hi << 4) | lo;
    }
  }
  return t;
})();

// The hex string as ASCII bytes: TextEncoder.encodeInto copies a string out in native code, and a loop
// over a Uint8Array is much cheaper than charCodeAt per character (460 ns against 1 170 ns per
// 160-octet PDU, measured). Any non-ASCII character makes the byte count differ from the length.
const ENCODER = new TextEncoder();
const ASCII = new Uint8Array(1024);

/** Parses `s` (already trimmed, even length) into `out`; false on a non-hex character. */
function parseInto(s: string, out: Uint8Array): boolean {
  if (s.length > ASCII.length) return parseSlow(s, out);
  const r = ENCODER.encodeInto(s, ASCII);
  if (r.read !== s.length || r.written !== s.length) return false;
  for (let i = 0, j = 0; i < out.length; i++, j += 2) {
    const v = PAIR[((ASCII[j] as number) << 7) | (ASCII[j + 1] as number)] as number;
    if (v < 0) return false;
    out[i] = v;
  }
  return true;
}

/** {@link parseInto} for strings longer than the ASCII buffer (never a valid PDU, but still answered). */
function parseSlow(s: string, out: Uint8Array): boolean {
  for (let i = 0, j = 0; i < out.length; i++, j += 2) {
    const a = s.charCodeAt(j);
    const b = s.charCodeAt(j + 1);
    if ((a | b) > 127) return false;
    const v = PAIR[(a << 7) | b] as number;
    if (v < 0) return false;
    out[i] = v;
  }
  return true;
}

/**
 * Hex to octets; surrounding whitespace (a modem line's CR) is ignored. Returns undefined for an empty
 * string, an odd number of digits or any other character.
 */
export function fromHex(hex: string): Uint8Array | undefined {
  const s = digitsOf(hex);
  if (s.length === 0 || (s.length & 1) !== 0) return undefined;
  const out = new Uint8Array(s.length >> 1);
  return parseInto(s, out) ? out : undefined;
}

// Longer than any valid PDU (12 SMSC octets + at most 164 TPDU octets); longer input gets a fresh buffer.
const SCRATCH = new Uint8Array(256);

/**
 * Like {@link fromHex}, but the octets live in a buffer shared by all decoders and are overwritten by the
 * next call: for decoders that copy out everything they return (they are synchronous, so one buffer is
 * enough).
 */
export function hexToScratch(hex: string): Uint8Array | undefined {
  const s = digitsOf(hex);
  if (s.length === 0 || (s.length & 1) !== 0) return undefined;
  const n = s.length >> 1;
  const out = n <= SCRATCH.length ? SCRATCH.subarray(0, n) : new Uint8Array(n);
  return parseInto(s, out) ? out : undefined;
}
