// Hex <-> octets for PDU strings. Strict: an odd digit count or a non-hex character is a rejection, so
// that a line with a stray character never decodes into something shorter.

const OCTET_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

/** Octets to uppercase hex (the form AT+CMGS and the simulator emit). */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += OCTET_HEX[bytes[i] as number]!;
  return s;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  if (c >= 65 && c <= 70) return c - 55; // A-F
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

/**
 * Hex to octets; surrounding whitespace (a modem line's CR) is ignored. Returns undefined for an empty
 * string, an odd number of digits or any other character.
 */
export function fromHex(hex: string): Uint8Array | undefined {
  const s = hex.trim();
  if (s.length === 0 || (s.length & 1) !== 0) return undefined;
  const out = new Uint8Array(s.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(s.charCodeAt(2 * i));
    const lo = nibble(s.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) return undefined;
    out[i] = (hi << 4) | lo;
  }
  return out;
}
