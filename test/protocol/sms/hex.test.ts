import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromHex, hexToScratch, toHex } from '../../../protocol/sms/hex.js';

describe('hex', () => {
  it('round-trips any octets, upper or lower case, short PDUs and inputs longer than any PDU', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1200 }), fc.boolean(), (bytes, lower) => {
        const hex = lower ? toHex(bytes).toLowerCase() : toHex(bytes);
        if (bytes.length === 0) {
          expect(fromHex(hex)).toBeUndefined();
          return;
        }
        expect(fromHex(hex)).toEqual(bytes);
        expect(hexToScratch(hex)).toEqual(bytes);
      }),
    );
  });

  it('round-trips around the internal buffer sizes (256 octets, 1 024 digits) and far beyond', () => {
    for (const n of [1, 255, 256, 257, 511, 512, 513, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 131 + n) & 0xff);
      expect(fromHex(toHex(bytes))).toEqual(bytes);
      expect(hexToScratch(toHex(bytes).toLowerCase())).toEqual(bytes);
      expect(fromHex(toHex(bytes) + 'zz')).toBeUndefined();
    }
  });

  it('refuses a non-hex character at any position, non-ASCII look-alikes and odd lengths', () => {
    const hex = toHex(Uint8Array.from({ length: 40 }, (_, i) => i * 7));
    for (let i = 0; i < hex.length; i++) {
      for (const bad of ['G', 'g', ' ', ':', '\u0660', '\uff10', '\ud800', 'é']) {
        const s = hex.slice(0, i) + bad + hex.slice(i + 1);
        expect(fromHex(s)).toBeUndefined();
        expect(hexToScratch(s)).toBeUndefined();
      }
    }
    expect(fromHex(hex.slice(1))).toBeUndefined();
    expect(fromHex('')).toBeUndefined();
    expect(fromHex('0'.repeat(3001))).toBeUndefined();
    expect(fromHex('0'.repeat(3000) + 'x' + '0')).toBeUndefined();
  });

  it('fromHex returns a fresh array; hexToScratch a buffer the next call reuses', () => {
    const a = fromHex('0102')!;
    fromHex('0304');
    expect(Array.from(a)).toEqual([1, 2]);
    const b = hexToScratch('0102')!;
    hexToScratch('0304');
    expect(Array.from(b)).toEqual([3, 4]);
  });
});
