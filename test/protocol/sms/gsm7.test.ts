import { describe, expect, it } from 'vitest';
import { GSM7_DEFAULT, gsm7Length, isGsm7, septetsToText, textToSeptets } from '../../../protocol/sms/gsm7-alphabet.js';
import { packSeptets, septetOctets, unpackSeptets } from '../../../protocol/sms/septets.js';
import { toHex, fromHex } from '../../../protocol/sms/hex.js';

function pack(text: string, fillBits = 0): string {
  const { septets } = textToSeptets(text);
  const out = new Uint8Array(septetOctets(septets.length, fillBits));
  packSeptets(septets, out, fillBits);
  return toHex(out);
}

function unpack(hex: string, count: number, fillBits = 0): string {
  return septetsToText(unpackSeptets(fromHex(hex)!, fillBits, count));
}

// Packed forms published with python-gsmmodem's tests and the dreamfabric walk-through (fixture provenance
// in test/fixtures/sms/published-vectors.ts).
const PACKED: ReadonlyArray<readonly [string, string]> = [
  ['hellohello', 'E8329BFD4697D9EC37'],
  ['123', '31D90C'],
  ['12345678', '31D98C56B3DD70'],
  ['123456789', '31D98C56B3DD7039'],
  ['Hello World!', 'C8329BFD065DDF72363904'],
  ['[{abc}]~', '1BDE0615168F37A98D6FD303'],
  ['{åΦΓΛΩΠΨΣΘ€}', '1BD44332A1542C174C6653DEA400'],
  ['a[]{}€', 'E10D6FE3DBA036A94D19'],
];

describe('GSM 7-bit alphabet and septet packing', () => {
  it.each(PACKED)('packs %j to %s and back', (text, hex) => {
    expect(pack(text)).toBe(hex);
    expect(unpack(hex, gsm7Length(text))).toBe(text);
  });

  it('maps every default-table character to its own septet and back', () => {
    for (let s = 0; s < 128; s++) {
      if (s === 0x1b) continue;
      const ch = GSM7_DEFAULT[s]!;
      expect(textToSeptets(ch).septets).toEqual(Uint8Array.of(s));
      expect(septetsToText(Uint8Array.of(s))).toBe(ch);
    }
  });

  it('sends the extension table as ESC + code, two septets each', () => {
    const ext: Record<string, number> = { '\f': 0x0a, '^': 0x14, '{': 0x28, '}': 0x29, '\\': 0x2f, '[': 0x3c, '~': 0x3d, ']': 0x3e, '|': 0x40, '€': 0x65 };
    for (const [ch, code] of Object.entries(ext)) {
      expect(textToSeptets(ch).septets).toEqual(Uint8Array.of(0x1b, code));
      expect(septetsToText(Uint8Array.of(0x1b, code))).toBe(ch);
    }
    expect(gsm7Length('€uro[1]')).toBe(10);
  });

  it('shows an undefined escape as the default character, ESC ESC and a final ESC as a space (23.038 6.2.1.1)', () => {
    expect(septetsToText(Uint8Array.of(0x1b, 0x41))).toBe('A');
    expect(septetsToText(Uint8Array.of(0x61, 0x1b, 0x1b, 0x62))).toBe('a b');
    expect(septetsToText(Uint8Array.of(0x61, 0x1b))).toBe('a ');
  });

  it('knows what is not GSM: lower-case c cedilla, backtick, emoji, Cyrillic', () => {
    for (const s of ['ç', '`', '😀', 'Привет']) {
      expect(isGsm7(s)).toBe(false);
      expect(gsm7Length(s)).toBe(-1);
    }
    expect(textToSeptets('ab`c').bad).toBe(2);
    expect(isGsm7('Ça coûte 5€? {ok} ΔΦΓ ß')).toBe(false); // û is not in the alphabet
    expect(isGsm7('Ça coute 5€? {ok} ΔΦΓ ß @£$¥')).toBe(true);
  });

  it('with fill bits after a header, the first septet starts on the next septet boundary', () => {
    // A 6-octet concatenation header is followed by 1 fill bit: "hello" then packs from bit 49.
    const out = new Uint8Array(6 + septetOctets(5, 1));
    packSeptets(textToSeptets('hello').septets, out, 49);
    expect(toHex(out.subarray(6))).toBe('D06536FB0D');
    expect(septetsToText(unpackSeptets(out, 49, 5))).toBe('hello');
  });

  describe('the @ / CR padding pitfall at the end of a 7-bit body', () => {
    it('7 septets leave 7 zero bits in the last octet: counting septets never reads them as "@"', () => {
      expect(pack('1234567')).toBe('31D98C56B3DD00');
      expect(unpack('31D98C56B3DD00', 7)).toBe('1234567');
      // Reading by octet count (8 septets from 7 octets) is the decoder bug this avoids.
      expect(unpack('31D98C56B3DD00', 8)).toBe('1234567@');
    });

    it('a sender that pads those 7 bits with CR (23.038 6.1.2.3.1, the USSD/CBS rule) decodes the same', () => {
      // CR = 0x0D in the top 7 bits of the last octet: 0x0D << 1 = 0x1A.
      expect(unpack('31D98C56B3DD1A', 7)).toBe('1234567');
    });

    it('a real trailing "@" or CR that is counted is kept', () => {
      expect(unpack(pack('1234567@'), 8)).toBe('1234567@');
      expect(unpack(pack('1234567\r'), 8)).toBe('1234567\r');
    });
  });
});
