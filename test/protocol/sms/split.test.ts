import { describe, expect, it } from 'vitest';
import { decodeSubmit, encodeSubmit, partCapacity } from '../../../protocol/sms/index.js';

const TO = '+447700900123';

function texts(text: string, opts = {}): string[] {
  return encodeSubmit(TO, text, { concatRef: 1, ...opts }).map((p) => decodeSubmit(p.pdu).text);
}

describe('splitting into parts', () => {
  it('capacities: 160/153/152 septets, 140/134/133 octets, 70/67/66 UCS2 characters', () => {
    expect([partCapacity('gsm7', false, 8), partCapacity('gsm7', true, 8), partCapacity('gsm7', true, 16)]).toEqual([160, 153, 152]);
    expect([partCapacity('8bit', false, 8), partCapacity('8bit', true, 8), partCapacity('8bit', true, 16)]).toEqual([140, 134, 133]);
    expect([partCapacity('ucs2', false, 8), partCapacity('ucs2', true, 8), partCapacity('ucs2', true, 16)]).toEqual([140, 134, 132]);
  });

  it('160 GSM characters fit one part without a header; 161 make 153 + 8', () => {
    const one = encodeSubmit(TO, 'a'.repeat(160));
    expect(one).toHaveLength(1);
    expect(decodeSubmit(one[0]!.pdu).udh).toEqual([]);
    expect(texts('a'.repeat(161)).map((t) => t.length)).toEqual([153, 8]);
  });

  it('extension characters count two septets: 80 "€" fit one part, 81 do not', () => {
    expect(encodeSubmit(TO, '€'.repeat(80))).toHaveLength(1);
    expect(texts('€'.repeat(81)).map((t) => t.length)).toEqual([76, 5]);
  });

  it('never splits ESC from its character: a "€" at septet 153 moves to the next part', () => {
    const text = 'a'.repeat(152) + '€' + 'b'.repeat(10);
    const parts = texts(text);
    expect(parts).toEqual(['a'.repeat(152), '€' + 'b'.repeat(10)]);
  });

  it('70 UCS2 characters fit one part; 71 make 67 + 4', () => {
    expect(encodeSubmit(TO, 'ж'.repeat(70))).toHaveLength(1);
    expect(texts('ж'.repeat(71)).map((t) => t.length)).toEqual([67, 4]);
  });

  it('never splits a surrogate pair: an emoji at UTF-16 unit 67 moves to the next part', () => {
    const text = 'ж'.repeat(66) + '😀' + 'ж'.repeat(10);
    const parts = texts(text);
    expect(parts).toEqual(['ж'.repeat(66), '😀' + 'ж'.repeat(10)]);
    for (const p of parts) expect(p).toBe(p.normalize()); // each part is well-formed UTF-16 on its own
    expect(parts.join('')).toBe(text);
  });

  it('all emoji: every part is whole pairs (66 units = 33 emoji with 8-bit refs)', () => {
    const parts = texts('😀'.repeat(40));
    expect(parts.map((t) => t.length)).toEqual([66, 14]);
  });

  it('8-bit data: 140 octets in one part, 141 make 134 + 7', () => {
    expect(encodeSubmit(TO, new Uint8Array(140))).toHaveLength(1);
    const parts = encodeSubmit(TO, new Uint8Array(141), { concatRef: 3 }).map((p) => decodeSubmit(p.pdu).data!.length);
    expect(parts).toEqual([134, 7]);
  });

  it('an empty text is one empty part', () => {
    const [p] = encodeSubmit(TO, '');
    expect(decodeSubmit(p!.pdu).text).toBe('');
  });
});
