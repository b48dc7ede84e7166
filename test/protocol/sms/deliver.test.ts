import { describe, expect, it } from 'vitest';
import {
  SmsDecodeCounters,
  SmsDecodeError,
  decodeDeliver,
  encodeDeliver,
  tryDecodeDeliver,
  tryDecodeIncoming,
  encodeSubmit,
  type SmsDeliver,
} from '../../../protocol/sms/index.js';
import { DELIVER_VECTORS } from '../../fixtures/sms/published-vectors.js';
import { corpusCmt } from './corpus.js';

const AT = new Date('2026-07-23T12:14:05Z');

describe('SMS-DELIVER decode: the +CMT gammu monitor was given', () => {
  const cmt = corpusCmt();

  it('is refused: its TPDU has 25 octets where +CMT announced 24 (a stray 00 before TP-UDL)', () => {
    expect(cmt.announced).toBe(24);
    // Without the announced length the strict UDL check still catches it: UDL reads 00, 6 octets trail.
    expect(tryDecodeDeliver(cmt.pdu)).toMatchObject({ ok: false, kind: 'corrupt', reason: 'trailing-bytes' });
    expect(tryDecodeDeliver(cmt.pdu, { tpduLength: cmt.announced })).toMatchObject({ ok: false, reason: 'bad-length' });
    expect(() => decodeDeliver(cmt.pdu)).toThrow(SmsDecodeError);
  });

  it('with the stray octet removed, every field decodes', () => {
    const fixed = cmt.pdu.replace('627032214150000005', '6270322141500005');
    const d = decodeDeliver(fixed, { tpduLength: cmt.announced });
    expect(d).toEqual<SmsDeliver>({
      type: 'deliver',
      smsc: '+447785016005',
      from: '+447700900789',
      fromAddress: { number: '+447700900789', type: 'international', ton: 1, npi: 1 },
      text: 'hello',
      sentAt: new Date('2026-07-23T12:14:05Z'),
      sentAtOffsetMinutes: 0,
      encoding: 'gsm7',
      pid: 0,
      dcs: 0,
      messageClass: undefined,
      udh: [],
      statusReportIndication: false,
      moreMessagesToSend: false, // first octet 04: TP-MMS set = no more messages
      replyPath: false,
      loopPrevention: false,
      tpduLength: 24,
    });
    expect('concat' in d).toBe(false);
  });
});

describe('SMS-DELIVER decode: published vectors', () => {
  it.each(DELIVER_VECTORS)('$source: $text', (v) => {
    const d = decodeDeliver(v.pdu);
    expect(d.smsc).toBe(v.smsc);
    expect(d.from).toBe(v.from);
    expect(d.text).toBe(v.text);
    expect(d.sentAt.toISOString()).toBe(v.sentAt);
    expect(d.sentAtOffsetMinutes).toBe(v.offsetMinutes);
    expect(d.concat).toEqual(v.concat);
  });

  it('reads TP-MMS the right way round (node-pdu README vector, first octet 00: more are waiting)', () => {
    expect(decodeDeliver(DELIVER_VECTORS.find((v) => v.source === 'node-pdu')!.pdu).moreMessagesToSend).toBe(true);
  });
});

describe('SMS-DELIVER encode -> decode', () => {
  it('a short GSM message: fields, flags and the SMSC prefix', () => {
    const [p, ...rest] = encodeDeliver({
      from: '+447700900123',
      text: 'ALM ok €5 [x]',
      sentAt: AT,
      offsetMinutes: 60,
      smsc: '+447785016005',
      statusReportIndication: true,
      moreMessagesToSend: true,
      pid: 0,
    });
    expect(rest).toEqual([]);
    expect(p!.pdu.startsWith('0791447758100650')).toBe(true);
    expect(p!.tpduLength).toBe(p!.pdu.length / 2 - 8);
    const d = decodeDeliver(p!.pdu, { tpduLength: p!.tpduLength });
    expect(d).toMatchObject({
      from: '+447700900123',
      text: 'ALM ok €5 [x]',
      sentAtOffsetMinutes: 60,
      smsc: '+447785016005',
      statusReportIndication: true,
      moreMessagesToSend: true,
      encoding: 'gsm7',
    });
    expect(d.sentAt.getTime()).toBe(AT.getTime());
  });

  it('an alphanumeric sender, a national sender', () => {
    expect(decodeDeliver(encodeDeliver({ from: 'Vodafone', text: 'x', sentAt: AT })[0]!.pdu).fromAddress).toEqual({
      number: 'Vodafone',
      type: 'alphanumeric',
      ton: 5,
      npi: 0,
    });
    const nat = decodeDeliver(encodeDeliver({ from: '07700900123', text: 'x', sentAt: AT })[0]!.pdu);
    expect(nat.from).toBe('07700900123');
  });

  it('UCS2 with emoji, and a class-0 flash message', () => {
    const text = 'Помогите 😀 at 12:00';
    const [p] = encodeDeliver({ from: '+447700900123', text, sentAt: AT, messageClass: 0 });
    const d = decodeDeliver(p!.pdu);
    expect(d).toMatchObject({ text, encoding: 'ucs2', messageClass: 0, dcs: 0x18 });
  });

  it('8-bit data keeps its octets', () => {
    const data = Uint8Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff);
    const parts = encodeDeliver({ from: '+447700900123', text: data, sentAt: AT, concatRef: 9 });
    expect(parts).toHaveLength(2);
    const ds = parts.map((p) => decodeDeliver(p.pdu));
    expect(ds.map((d) => d.encoding)).toEqual(['8bit', '8bit']);
    expect(ds.map((d) => d.data!.length)).toEqual([134, 66]);
    expect(Uint8Array.from([...ds[0]!.data!, ...ds[1]!.data!])).toEqual(data);
    expect(ds[0]!.text).toBe(String.fromCharCode(...data.subarray(0, 134)));
  });

  it('a long message is split into parts that carry concat { ref, total, seq }', () => {
    const text = 'TSR1;h=H1;n=7;e=ALM;'.repeat(12);
    const parts = encodeDeliver({ from: '+447700900123', text, sentAt: AT, concatRef: 0x2a });
    expect(parts).toHaveLength(2);
    const ds = parts.map((p) => decodeDeliver(p.pdu));
    expect(ds.map((d) => d.concat)).toEqual([
      { ref: 0x2a, total: 2, seq: 1 },
      { ref: 0x2a, total: 2, seq: 2 },
    ]);
    expect(ds.map((d) => d.text).join('')).toBe(text);
    expect(ds[0]!.udh).toEqual([{ iei: 0, data: Uint8Array.of(0x2a, 2, 1) }]);
  });
});

describe('SMS-DELIVER decode: bad PDUs are typed rejections, never exceptions from the try form', () => {
  const good = encodeDeliver({ from: '+447700900123', text: 'hello', sentAt: AT, smsc: '+447785016005' })[0]!.pdu;
  const long = encodeDeliver({ from: '+447700900123', text: 'y'.repeat(200), sentAt: AT, concatRef: 1 })[0]!.pdu;
  const cases: ReadonlyArray<readonly [string, string, string]> = [
    ['empty', '', 'bad-hex'],
    ['odd length', good.slice(0, -1), 'bad-hex'],
    ['not hex', good.replace(/E8/, 'G8'), 'bad-hex'],
    ['last octet missing', good.slice(0, -2), 'truncated'],
    ['one octet extra', good + '00', 'trailing-bytes'],
    ['cut inside the address', good.slice(0, 26), 'truncated'],
    ['SMSC length beyond the PDU', '0F9144', 'bad-smsc'],
    ['only an SMSC', '0791447758100650', 'truncated'],
    ['a SUBMIT', encodeSubmit('+447700900123', 'hello')[0]!.pdu, 'wrong-type'],
    ['UDL over 160 septets', long.replace(/0000(\w{14})A0/, '0000$1A1'), 'bad-udl'],
    ['concatenation part 0', long.replace('050003010201', '050003010200'), 'bad-concat'],
    ['concatenation part 3 of 2', long.replace('050003010201', '050003010203'), 'bad-concat'],
    ['concatenation element of length 2', long.replace('050003010201', '050002010201'), 'bad-concat'],
    ['header element running past UDHL', long.replace('050003010201', '050004010201'), 'bad-udh'],
    ['header longer than the body', long.replace('050003010201', 'FF0003010201'), 'bad-udh'],
    ['compressed', good.replace(/0000(\w{14})05E8/, '0020$105E8'), 'unsupported'],
  ];
  it.each(cases)('%s -> %s', (_name, hex, reason) => {
    const r = tryDecodeDeliver(hex);
    expect(r).toMatchObject({ ok: false, reason });
    if (!r.ok) expect(r.kind).toBe(reason === 'wrong-type' ? 'not-mine' : 'corrupt');
    expect(() => decodeDeliver(hex)).toThrow(expect.objectContaining({ name: 'SmsDecodeError', reason }));
  });

  it('never throws, even on a non-string', () => {
    expect(tryDecodeDeliver(undefined as unknown as string)).toMatchObject({ ok: false, reason: 'bad-hex' });
  });

  it('accepts lower-case hex, a trailing CR, and a PDU without the SMSC field when told', () => {
    expect(decodeDeliver(good.toLowerCase() + '\r').text).toBe('hello');
    expect(decodeDeliver(good.slice(16), { smsc: false }).text).toBe('hello');
  });
});

describe('decoded values stay intact (the decoders parse into one shared buffer)', () => {
  it('a decoded 8-bit body, header and text are not overwritten by the next decode', () => {
    const bin = Uint8Array.from({ length: 200 }, (_, i) => (i * 37) & 0xff);
    const parts = encodeDeliver({ from: '+447700900123', text: bin, sentAt: AT, concatRef: 0x2a, smsc: '+447785016005' });
    const first = decodeDeliver(parts[0]!.pdu);
    const keep = { data: Array.from(first.data!), udh: first.udh.map((e) => Array.from(e.data)), text: first.text };
    // Decode other PDUs of every kind in between: a second part, a long GSM text, a status report, garbage.
    decodeDeliver(parts[1]!.pdu);
    decodeDeliver(encodeDeliver({ from: 'Vodafone', text: 'x'.repeat(160), sentAt: AT })[0]!.pdu);
    tryDecodeIncoming('0006D60B911326880736F4111011719551401110117195714000');
    tryDecodeDeliver('FF'.repeat(300));
    expect(Array.from(first.data!)).toEqual(keep.data);
    expect(first.udh.map((e) => Array.from(e.data))).toEqual(keep.udh);
    expect(first.text).toBe(keep.text);
    expect(Array.from(first.data!)).toEqual(Array.from(bin.subarray(0, 134)));
  });

  it('surrounding whitespace is trimmed, inner whitespace or a non-ASCII digit is bad hex', () => {
    const pdu = encodeDeliver({ from: '+447700900123', text: 'hello', sentAt: AT })[0]!.pdu;
    expect(decodeDeliver(` \t${pdu}\r\n`).text).toBe('hello');
    expect(decodeDeliver(`\u00a0${pdu}\ufeff`).text).toBe('hello');
    expect(tryDecodeDeliver(`${pdu.slice(0, 10)} ${pdu.slice(11)}`)).toMatchObject({ ok: false, reason: 'bad-hex' });
    expect(tryDecodeDeliver(pdu.slice(0, -1) + '\uff10')).toMatchObject({ ok: false, reason: 'bad-hex' });
    expect(tryDecodeDeliver(pdu.slice(0, -1) + 'G')).toMatchObject({ ok: false, reason: 'bad-hex' });
  });
});

describe('SmsDecodeCounters', () => {
  it('counts decoded, not mine and corrupt apart, corrupt by reason, and passes the result through', () => {
    const c = new SmsDecodeCounters();
    const good = encodeDeliver({ from: '+447700900123', text: 'hi', sentAt: AT })[0]!.pdu;
    expect(c.count(tryDecodeDeliver(good))).toMatchObject({ ok: true, value: { text: 'hi' } });
    c.count(tryDecodeDeliver(encodeSubmit('+447700900123', 'x')[0]!.pdu));
    c.count(tryDecodeDeliver(good + '00'));
    c.count(tryDecodeDeliver(good + '0000'));
    c.count(tryDecodeDeliver('xyz'));
    expect([c.decoded, c.notMine, c.corrupt]).toEqual([1, 1, 3]);
    expect(Object.fromEntries(c.byReason)).toEqual({ 'wrong-type': 1, 'trailing-bytes': 2, 'bad-hex': 1 });
  });
});

describe('tryDecodeIncoming', () => {
  it('tells DELIVER from STATUS-REPORT by TP-MTI, and calls a SUBMIT not mine', () => {
    const d = tryDecodeIncoming(encodeDeliver({ from: '+447700900123', text: 'hi', sentAt: AT })[0]!.pdu);
    expect(d.ok && d.value.type).toBe('deliver');
    const s = tryDecodeIncoming('0006D60B911326880736F4111011719551401110117195714000');
    expect(s.ok && s.value.type).toBe('status-report');
    expect(tryDecodeIncoming(encodeSubmit('+447700900123', 'x')[0]!.pdu)).toMatchObject({ ok: false, kind: 'not-mine' });
    expect(tryDecodeIncoming('zz')).toMatchObject({ ok: false, reason: 'bad-hex' });
  });
});
