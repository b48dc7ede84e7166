// encodeDeliver / encodeSubmit with `concat` or `udh`: exactly one part with the header given, as an SC
// copies a SUBMIT part's header into the DELIVER it makes.
import { describe, expect, it } from 'vitest';
import {
  Reassembler,
  SmsEncodeError,
  decodeDeliver,
  decodeSubmit,
  encodeDeliver,
  encodeSubmit,
  type SmsDeliver,
} from '../../../protocol/sms/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';

const AT = new Date('2026-07-23T12:14:05Z');
const FROM = '+447700900123';
const LONG_GSM = 'TSR1;h=TS-0042;n=1077;e=ALM;b=80;q=20;$GPRMC,120000,A,5130.0000,N,00007.0000,W,0.0,0.0,230726,,,A*6B;{€} '.repeat(4);
const LONG_UCS2 = 'Помогите, я дома 🚨 адрес: улица Ленина 5 '.repeat(5);

const hexOf = (pdus: { pdu: string }[]): string[] => pdus.map((p) => p.pdu);

describe('one given part (concat)', () => {
  it.each([
    ['GSM 7-bit, 8-bit reference', LONG_GSM, 8],
    ['GSM 7-bit, 16-bit reference', LONG_GSM, 16],
    ['UCS2 with emoji, 8-bit reference', LONG_UCS2, 8],
  ] as const)('%s: each part made on its own is byte-identical to the same part of the split message', (_n, text, refBits) => {
    const whole = encodeDeliver({ from: FROM, text, sentAt: AT, smsc: '+447785016005', concatRef: 0x2a, concatRefBits: refBits });
    expect(whole.length).toBeGreaterThan(2);
    whole.forEach((p, i) => {
      const part = decodeDeliver(p.pdu);
      const one = encodeDeliver({
        from: FROM,
        text: part.text,
        sentAt: AT,
        smsc: '+447785016005',
        encoding: part.encoding,
        concat: { ref: 0x2a, total: whole.length, seq: i + 1, refBits },
      });
      expect(hexOf(one)).toEqual([p.pdu]);
      expect(one[0]!.tpduLength).toBe(p.tpduLength);
    });
  });

  it('parts made one at a time, delivered out of order, reassemble into the text', () => {
    const chunks = [LONG_GSM.slice(0, 150), LONG_GSM.slice(150, 300), LONG_GSM.slice(300, 420)];
    const pdus = chunks.map((t, i) => encodeDeliver({ from: FROM, text: t, sentAt: AT, concat: { ref: 200, total: 3, seq: i + 1 } }));
    expect(pdus.map((p) => p.length)).toEqual([1, 1, 1]);
    const r = new Reassembler<SmsDeliver>({ clock: new ManualClock(AT.getTime()) });
    const decoded = pdus.map((p) => decodeDeliver(p[0]!.pdu));
    expect(decoded[1]).toMatchObject({ from: FROM, concat: { ref: 200, total: 3, seq: 2 }, text: chunks[1] });
    expect(r.add(decoded[2]!)).toMatchObject({ status: 'pending' });
    expect(r.add(decoded[0]!)).toMatchObject({ status: 'pending' });
    expect(r.add(decoded[1]!)).toMatchObject({ status: 'complete', message: { text: chunks.join(''), concat: { ref: 200, total: 3, refBits: 8 } } });
  });

  it('a part must fit beside its header: 153 septets (8-bit ref), 152 (16-bit), 67 UCS2 units, 134 octets', () => {
    const one = (text: string | Uint8Array, refBits: 8 | 16 = 8) => encodeDeliver({ from: FROM, text, sentAt: AT, concat: { ref: 1, total: 2, seq: 1, refBits } });
    expect(decodeDeliver(one('a'.repeat(153))[0]!.pdu).text).toBe('a'.repeat(153));
    expect(() => one('a'.repeat(154))).toThrow(expect.objectContaining({ name: 'SmsEncodeError', reason: 'too-long' }));
    expect(() => one('a'.repeat(152) + '€')).toThrow(/too-long/); // the escape takes two septets
    expect(decodeDeliver(one('a'.repeat(152), 16)[0]!.pdu).text).toBe('a'.repeat(152));
    expect(() => one('a'.repeat(153), 16)).toThrow(/too-long/);
    expect(decodeDeliver(one('ж'.repeat(67))[0]!.pdu).text).toBe('ж'.repeat(67));
    expect(() => one('ж'.repeat(68))).toThrow(/too-long/);
    expect(decodeDeliver(one(new Uint8Array(134).fill(7))[0]!.pdu).data).toEqual(new Uint8Array(134).fill(7));
    expect(() => one(new Uint8Array(135))).toThrow(/too-long/);
  });

  it('refuses positions and references out of range, and mixing with the splitting options', () => {
    const bad = (concat: { ref: number; total: number; seq: number; refBits?: 8 | 16 }, extra: object = {}) => () =>
      encodeDeliver({ from: FROM, text: 'x', sentAt: AT, concat, ...extra });
    for (const c of [
      { ref: 1, total: 2, seq: 0 },
      { ref: 1, total: 2, seq: 3 },
      { ref: 1, total: 0, seq: 0 },
      { ref: 1, total: 256, seq: 1 },
      { ref: 256, total: 2, seq: 1 },
      { ref: -1, total: 2, seq: 1 },
      { ref: 65536, total: 2, seq: 1, refBits: 16 as const },
      { ref: 1, total: 2, seq: 1, refBits: 12 as unknown as 8 },
      { ref: 1.5, total: 2, seq: 1 },
    ]) {
      expect(bad(c)).toThrow(expect.objectContaining({ name: 'SmsEncodeError', reason: 'bad-option' }));
    }
    expect(bad({ ref: 1, total: 2, seq: 1 }, { concatRef: 5 })).toThrow(SmsEncodeError);
    expect(bad({ ref: 1, total: 2, seq: 1 }, { concatRefBits: 16 })).toThrow(/bad-option/);
    expect(bad({ ref: 1, total: 2, seq: 1 }, { udh: [{ iei: 0x00, data: Uint8Array.of(9, 2, 1) }] })).toThrow(/already has a concatenation/);
    expect(decodeDeliver(encodeDeliver({ from: FROM, text: 'x', sentAt: AT, concat: { ref: 65535, total: 1, seq: 1, refBits: 16 } })[0]!.pdu).concat).toEqual({
      ref: 65535,
      total: 1,
      seq: 1,
    });
  });
});

describe('one given part (udh)', () => {
  const PORTS = { iei: 0x05, data: Uint8Array.of(0x23, 0xf4, 0x00, 0x00) }; // application port 9204
  const CONCAT = { iei: 0x00, data: Uint8Array.of(0x2a, 0x02, 0x01) };

  it('writes the elements verbatim and in order; the decoder gives them back', () => {
    const [p, ...more] = encodeDeliver({ from: FROM, text: 'hello', sentAt: AT, udh: [PORTS, CONCAT] });
    expect(more).toHaveLength(0);
    const d = decodeDeliver(p!.pdu);
    expect(d.udh.map((e) => [e.iei, Array.from(e.data)])).toEqual([
      [0x05, [0x23, 0xf4, 0, 0]],
      [0x00, [0x2a, 2, 1]],
    ]);
    expect(d).toMatchObject({ text: 'hello', concat: { ref: 0x2a, total: 2, seq: 1 } });
    // The header with concat: the element is added after the given ones.
    const withConcat = decodeDeliver(encodeDeliver({ from: FROM, text: 'hi', sentAt: AT, udh: [PORTS], concat: { ref: 9, total: 2, seq: 2 } })[0]!.pdu);
    expect(withConcat.udh.map((e) => e.iei)).toEqual([0x05, 0x00]);
    expect(withConcat.concat).toEqual({ ref: 9, total: 2, seq: 2 });
  });

  it('an empty list is one part without a header, never split: too long is refused', () => {
    const [p] = encodeDeliver({ from: FROM, text: 'a'.repeat(160), sentAt: AT, udh: [] });
    expect(decodeDeliver(p!.pdu)).toMatchObject({ text: 'a'.repeat(160), udh: [] });
    expect(() => encodeDeliver({ from: FROM, text: 'a'.repeat(161), sentAt: AT, udh: [] })).toThrow(/too-long/);
  });

  it('refuses an element that cannot be written', () => {
    for (const e of [{ iei: 256, data: new Uint8Array(1) }, { iei: -1, data: new Uint8Array(1) }, { iei: 5, data: new Uint8Array(256) }]) {
      expect(() => encodeDeliver({ from: FROM, text: 'x', sentAt: AT, udh: [e] })).toThrow(/bad-option/);
    }
    expect(() => encodeDeliver({ from: FROM, text: 'x', sentAt: AT, udh: [{ iei: 5, data: new Uint8Array(140) }] })).toThrow(/too-long/);
  });

  it('encodeSubmit takes the same options (a handset sending one part of its own)', () => {
    const [p, ...more] = encodeSubmit('+447700900789', 'part two', { concat: { ref: 3, total: 2, seq: 2 }, messageReference: 9 });
    expect(more).toHaveLength(0);
    expect(decodeSubmit(p!.pdu)).toMatchObject({ to: '+447700900789', text: 'part two', concat: { ref: 3, total: 2, seq: 2 }, messageReference: 9 });
  });
});
