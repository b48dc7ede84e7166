import { describe, expect, it } from 'vitest';
import { decodeDcs, decodeDeliver, decodeSubmit, encodeSubmit, tryDecodeSubmit } from '../../../protocol/sms/index.js';
import { parseUdh } from '../../../protocol/sms/udh.js';

describe('TP-DCS (23.038 section 4)', () => {
  const table: ReadonlyArray<readonly [number, string, number | undefined, Partial<ReturnType<typeof decodeDcs>>]> = [
    [0x00, 'gsm7', undefined, {}],
    [0x04, '8bit', undefined, {}],
    [0x08, 'ucs2', undefined, {}],
    [0x0c, 'gsm7', undefined, {}], // reserved alphabet: default
    [0x10, 'gsm7', 0, {}],
    [0x18, 'ucs2', 0, {}],
    [0x16, '8bit', 2, {}],
    [0x20, 'gsm7', undefined, { compressed: true }],
    [0x40, 'gsm7', undefined, { autoDelete: true }],
    [0x80, 'gsm7', undefined, {}], // reserved group: default
    [0xc0, 'gsm7', undefined, { messageWaiting: true }],
    [0xd8, 'gsm7', undefined, { messageWaiting: true }],
    [0xe0, 'ucs2', undefined, { messageWaiting: true }],
    [0xf0, 'gsm7', 0, {}],
    [0xf4, '8bit', 0, {}],
    [0xf6, '8bit', 2, {}],
  ];
  it.each(table)('DCS %i: %s, class %s', (dcs, encoding, messageClass, extra) => {
    expect(decodeDcs(dcs)).toMatchObject({ encoding, messageClass, ...extra });
  });
});

describe('user data header', () => {
  it('keeps every element: application ports (IEI 05) next to a concatenation element', () => {
    // UDHL 0B: 05 04 1581 1581 (ports 5505 -> 5505), 00 03 2A 02 01 (ref 42, part 1 of 2)
    const h = parseUdh(Uint8Array.of(0x0b, 0x05, 0x04, 0x15, 0x81, 0x15, 0x81, 0x00, 0x03, 0x2a, 0x02, 0x01, 0xff));
    expect(h).toEqual({
      ok: true,
      value: {
        elements: [
          { iei: 0x05, data: Uint8Array.of(0x15, 0x81, 0x15, 0x81) },
          { iei: 0x00, data: Uint8Array.of(0x2a, 0x02, 0x01) },
        ],
        concat: { ref: 42, total: 2, seq: 1 },
        octets: 12,
      },
    });
  });

  it('a DELIVER of 8-bit data with that header: body after the header, concat from it', () => {
    const pdu = '00440C9144770009103200046270322141500010' + '0B0504158115810003' + '2A0201' + '01020304';
    const d = decodeDeliver(pdu);
    expect(d).toMatchObject({ encoding: '8bit', concat: { ref: 42, total: 2, seq: 1 } });
    expect(d.data).toEqual(Uint8Array.of(1, 2, 3, 4));
    expect(d.udh.map((e) => e.iei)).toEqual([0x05, 0x00]);
  });

  it('an empty header (UDHL 00) is allowed; 7-bit text then starts after 1 fill bit', () => {
    const h = parseUdh(Uint8Array.of(0x00));
    expect(h).toMatchObject({ ok: true, value: { elements: [], concat: undefined, octets: 1 } });
  });
});

describe('SMSC prefix or not', () => {
  it('decodeSubmit reads a bare TPDU with smsc: false, and the same PDU with the 00 prefix', () => {
    const [p] = encodeSubmit('+447700900123', 'hello');
    expect(decodeSubmit(p!.pdu.slice(2), { smsc: false })).toMatchObject({ to: '+447700900123', text: 'hello', smsc: undefined });
    expect(decodeSubmit(p!.pdu)).toMatchObject({ to: '+447700900123', text: 'hello' });
  });

  it('a bare TPDU is not guessed from the announced length (a deletion from "00" + TPDU would look the same)', () => {
    const [p] = encodeSubmit('+447700900123', 'hello');
    expect(tryDecodeSubmit(p!.pdu.slice(2), { tpduLength: p!.tpduLength })).toMatchObject({ ok: false });
    expect(decodeSubmit(p!.pdu.slice(2), { tpduLength: p!.tpduLength, smsc: false }).text).toBe('hello');
  });
});
