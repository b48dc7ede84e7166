// Septet packing (3GPP TS 23.038 6.1.2.1.1): septets are written LSB first into consecutive octets, so
// "hello" (68 65 6C 6C 6F) packs to E8 32 9B FD 06. With a user data header the text starts on the next
// septet boundary after the header: `fillBits` zero bits (0..6) separate the header from the first septet.
//
// The spare bits after the last septet are zero. When 7 bits are spare (8n-1 septets) a decoder that
// counted octets instead of TP-UDL would read an extra "@" (0x00); 23.038 6.1.2.3.1 has USSD/CBS senders
// pad with CR instead. SMS decoding here always counts TP-UDL septets, so neither pad is ever read.

/** Octets needed for `septets` septets after `fillBits` fill bits. */
export function septetOctets(septets: number, fillBits = 0): number {
  return Math.ceil((septets * 7 + fillBits) / 8);
}

/** Packs septets into `out` starting `bitOffset` bits in (out must be zeroed and long enough). */
export function packSeptets(septets: Uint8Array, out: Uint8Array, bitOffset: number): void {
  let bit = bitOffset;
  for (let k = 0; k < septets.length; k++, bit += 7) {
    const s = (septets[k] as number) & 0x7f;
    const i = bit >> 3;
    const shift = bit & 7;
    out[i] = (out[i] as number) | ((s << shift) & 0xff);
    if (shift > 1) out[i + 1] = (out[i + 1] as number) | (s >> (8 - shift));
  }
}

/** Reads `count` septets from `octets` starting `bitOffset` bits in. The caller checks the length. */
export function unpackSeptets(octets: Uint8Array, bitOffset: number, count: number): Uint8Array {
  const out = new Uint8Array(count);
  let bit = bitOffset;
  for (let k = 0; k < count; k++, bit += 7) {
    const i = bit >> 3;
    const shift = bit & 7;
    let v = (octets[i] as number) >> shift;
    if (shift > 1) v |= (octets[i + 1] as number) << (8 - shift);
    out[k] = v & 0x7f;
  }
  return out;
}
