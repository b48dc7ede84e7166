import { describe, expect, it } from 'vitest';
import {
  SmsEncodeError,
  decodeSubmit,
  encodeSubmit,
  tryDecodeSubmit,
  encodeDeliver,
  type SubmitOptions,
} from '../../../protocol/sms/index.js';
import { LOREM, SUBMIT_ENCODINGS, SUBMIT_VECTORS } from '../../fixtures/sms/published-vectors.js';
import { corpusSubmits } from './corpus.js';

describe('SMS-SUBMIT decode: what gammu and smsd sent after AT+CMGS', () => {
  const submits = corpusSubmits();
  const expected: Record<string, { smsc: string | undefined; text: string }> = {
    'gammu-sendsms.txt': { smsc: '+447785016005', text: 'Test from gammu' },
    'smsd-modem.txt': { smsc: undefined, text: 'Hello from smsd' },
  };

  it('finds both', () => {
    expect(submits.map((s) => s.file).sort()).toEqual(['gammu-sendsms.txt', 'smsd-modem.txt']);
  });

  it.each(submits)('$file: destination, text, and every header field', ({ file, pdu, announced }) => {
    const s = decodeSubmit(pdu, { tpduLength: announced });
    expect(s).toMatchObject({
      type: 'submit',
      to: '+447700900123',
      toAddress: { type: 'international', ton: 1, npi: 1 },
      text: expected[file]!.text,
      smsc: expected[file]!.smsc,
      messageReference: 0,
      requestStatusReport: false,
      rejectDuplicates: false,
      replyPath: false,
      validity: { format: 'relative', minutes: 63 * 7 * 1440 }, // first octet 11: TP-VPF relative, VP FF
      encoding: 'gsm7',
      pid: 0,
      dcs: 0,
      udh: [],
      tpduLength: 28,
    });
    expect(s.concat).toBeUndefined();
  });

  it('re-encoding the decoded message gives the same PDU (same options)', () => {
    for (const { pdu } of submits) {
      const s = decodeSubmit(pdu);
      const [again] = encodeSubmit(s.to, s.text, { validity: s.validity, ...(s.smsc ? { smsc: s.smsc } : {}) });
      expect(again!.pdu).toBe(pdu);
    }
  });

  it('AT+CMGS=<n> must match: one octet fewer announced is refused', () => {
    const { pdu } = submits[0]!;
    expect(tryDecodeSubmit(pdu, { tpduLength: 27 })).toMatchObject({ ok: false, reason: 'bad-length' });
  });
});

describe('SMS-SUBMIT decode: published vectors', () => {
  it.each(SUBMIT_VECTORS)('$source: $text', (v) => {
    const s = decodeSubmit(v.pdu);
    expect(s.smsc).toBe(v.smsc);
    expect(s.to).toBe(v.to);
    expect(s.text).toBe(v.text);
    expect(s.validity).toEqual(v.validity);
  });

  it('the national-number vector keeps its flags: first octet 31 (TP-SRR, relative VP), TP-MR 13, type A1', () => {
    const s = decodeSubmit(SUBMIT_VECTORS.find((v) => v.to === '0126541234')!.pdu);
    expect(s).toMatchObject({ messageReference: 13, requestStatusReport: true, rejectDuplicates: false, toAddress: { type: 'national' } });
  });
});

describe('SMS-SUBMIT encode', () => {
  it.each(SUBMIT_ENCODINGS)('python-gsmmodem: $text', (v) => {
    const parts = encodeSubmit(v.to, v.text, v.options as SubmitOptions);
    expect(parts).toEqual([{ pdu: v.pdu, tpduLength: (v.pdu.length - 2 * (1 + parseInt(v.pdu.slice(0, 2), 16))) / 2 }]);
  });

  it('python-gsmmodem 3-part Lorem ipsum: same parts except TP-MR, which is numbered per part here', () => {
    const parts = encodeSubmit(LOREM.to, LOREM.text, { validity: { format: 'none' }, rejectDuplicates: true, concatRef: 0 });
    expect(parts).toHaveLength(3);
    parts.forEach((p, i) => {
      expect(p.pdu.slice(6)).toBe(LOREM.pdus[i]!.slice(6));
      expect(p.pdu.slice(0, 4)).toBe('0045');
      expect(p.pdu.slice(4, 6)).toBe(i.toString(16).padStart(2, '0').toUpperCase());
      expect(p.tpduLength).toBe(p.pdu.length / 2 - 1);
    });
  });

  it('defaults: SMSC 00, first octet 11 (relative validity), TP-MR 00, TP-VP A7 (24 h)', () => {
    expect(encodeSubmit('+447700900123', 'hello')).toEqual([{ pdu: '0011000C914477000910320000A705E8329BFD06', tpduLength: 19 }]);
  });

  it('options reach the header: status report, message reference, validity, reply path, class', () => {
    const [p] = encodeSubmit('+447700900123', 'x', {
      requestStatusReport: true,
      messageReference: 0x42,
      validity: 30,
      replyPath: true,
      messageClass: 1,
      smsc: '+447785016005',
    });
    const s = decodeSubmit(p!.pdu);
    expect(s).toMatchObject({
      requestStatusReport: true,
      messageReference: 0x42,
      validity: { format: 'relative', minutes: 30 },
      replyPath: true,
      messageClass: 1,
      dcs: 0x11,
      smsc: '+447785016005',
    });
    expect(p!.pdu.slice(16, 20)).toBe('B142'); // RP | SRR | VPF relative | SUBMIT, TP-MR 42
  });

  it('auto picks GSM 7-bit when every character is GSM (extension table included), else UCS2', () => {
    expect(decodeSubmit(encodeSubmit('+447700900123', '€ [ ] { } \\ ~ ^ |')[0]!.pdu).encoding).toBe('gsm7');
    expect(decodeSubmit(encodeSubmit('+447700900123', 'ç')[0]!.pdu).encoding).toBe('ucs2');
  });

  it('forced encodings: gsm7 refuses other characters; ucs2 and 8bit send anything', () => {
    expect(() => encodeSubmit('+447700900123', 'naïve', { encoding: 'gsm7' })).toThrow(
      expect.objectContaining({ name: 'SmsEncodeError', reason: 'unencodable' }),
    );
    expect(decodeSubmit(encodeSubmit('+447700900123', 'hello', { encoding: 'ucs2' })[0]!.pdu)).toMatchObject({ encoding: 'ucs2', text: 'hello' });
    const bin = decodeSubmit(encodeSubmit('+447700900123', Uint8Array.of(0, 1, 0xff))[0]!.pdu);
    expect(bin).toMatchObject({ encoding: '8bit', dcs: 4 });
    expect(bin.data).toEqual(Uint8Array.of(0, 1, 0xff));
    expect(decodeSubmit(encodeSubmit('+447700900123', 'é', { encoding: '8bit' })[0]!.pdu).data).toEqual(Uint8Array.of(0xc3, 0xa9));
    const viaOption = encodeSubmit('+447700900123', '', { encoding: '8bit', data: Uint8Array.of(7, 8) });
    expect(decodeSubmit(viaOption[0]!.pdu)).toMatchObject({ encoding: '8bit', data: Uint8Array.of(7, 8) });
    expect(() => encodeSubmit('+447700900123', 'x', { data: Uint8Array.of(7) })).toThrow(/both/);
  });

  it('16-bit concatenation references (IEI 08)', () => {
    const parts = encodeSubmit('+447700900123', 'z'.repeat(305), { concatRef: 0xbeef, concatRefBits: 16 });
    expect(parts.map((p) => decodeSubmit(p.pdu).concat)).toEqual([
      { ref: 0xbeef, total: 3, seq: 1 },
      { ref: 0xbeef, total: 3, seq: 2 },
      { ref: 0xbeef, total: 3, seq: 3 },
    ]);
    expect(decodeSubmit(parts[0]!.pdu).udh).toEqual([{ iei: 0x08, data: Uint8Array.of(0xbe, 0xef, 3, 1) }]);
    expect(parts.map((p) => decodeSubmit(p.pdu).text.length)).toEqual([152, 152, 1]);
  });

  it('without concatRef, consecutive long messages get different references', () => {
    const a = decodeSubmit(encodeSubmit('+447700900123', 'a'.repeat(200))[0]!.pdu).concat!.ref;
    const b = decodeSubmit(encodeSubmit('+447700900123', 'a'.repeat(200))[0]!.pdu).concat!.ref;
    expect(a).not.toBe(b);
  });

  it('refuses bad input with a named reason', () => {
    const bad: ReadonlyArray<readonly [() => unknown, string]> = [
      [() => encodeSubmit('Vodafone', 'x'), 'bad-address'],
      [() => encodeSubmit('+44 7700 900123', 'x'), 'bad-address'],
      [() => encodeSubmit('+447700900123', 'x', { messageReference: 256 }), 'bad-option'],
      [() => encodeSubmit('+447700900123', 'x'.repeat(200), { concatRef: 256 }), 'bad-option'],
      [() => encodeSubmit('+447700900123', 'x', { validity: 0 }), 'bad-option'],
      [() => encodeSubmit('+447700900123', 'x'.repeat(153 * 255 + 1)), 'too-long'],
      [() => encodeSubmit('+447700900123', Uint8Array.of(1), { encoding: 'ucs2' }), 'bad-option'],
    ];
    for (const [f, reason] of bad) {
      expect(f).toThrow(SmsEncodeError);
      expect(f).toThrow(expect.objectContaining({ reason }));
    }
    expect(encodeSubmit('+447700900123', 'x'.repeat(153 * 255))).toHaveLength(255);
  });
});

describe('SMS-SUBMIT decode: rejections', () => {
  it('a DELIVER is not mine; a truncated validity period is truncated', () => {
    const deliver = encodeDeliver({ from: '+447700900123', text: 'x', sentAt: Date.UTC(2026, 0, 1) })[0]!.pdu;
    expect(tryDecodeSubmit(deliver)).toMatchObject({ ok: false, kind: 'not-mine', reason: 'wrong-type' });
    expect(tryDecodeSubmit('0019000B917228001011F1000031700131')).toMatchObject({ ok: false, reason: 'truncated' });
    expect(tryDecodeSubmit('0019000B917228001011F100003131013193008017')).toMatchObject({ ok: false, reason: 'bad-validity' });
  });
});
