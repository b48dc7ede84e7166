// National language shift tables (3GPP TS 23.038 6.2.1.2.4 / Annex A; UDH elements 0x24 single shift and
// 0x25 locking shift, TS 23.040 9.2.3.24.15/16). No captured PDU with these elements was found in the public
// test suites searched (python-messaging, gammu, ModemManager, oFono, Android), so the PDUs here are built by
// hand: an SMS-DELIVER from +447700900789, SCTS 2026-07-23 12:14:05 +00:00, whose user data header holds the
// national elements (and a concatenation element where said), followed by the septets listed, packed after
// the header's fill bits exactly as the encoder packs them.
import { describe, expect, it } from 'vitest';
import {
  IEI_NATIONAL_LOCKING_SHIFT,
  IEI_NATIONAL_SINGLE_SHIFT,
  Reassembler,
  SmsDecodeError,
  decodeDeliver,
  tryDecodeDeliver,
  tryDecodeIncoming,
} from '../../../protocol/sms/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { GSM7_DEFAULT } from '../../../protocol/sms/gsm7-alphabet.js';
import { toHex } from '../../../protocol/sms/hex.js';
import { packSeptets } from '../../../protocol/sms/septets.js';

const ESC = 0x1b;
const SINGLE = IEI_NATIONAL_SINGLE_SHIFT; // 0x24
const LOCKING = IEI_NATIONAL_LOCKING_SHIFT; // 0x25

/** A DELIVER whose header holds `elements` ([iei, ...data]) and whose GSM 7-bit body is `septets`. */
function deliver(elements: readonly (readonly number[])[], septets: readonly number[], dcs = 0x00): string {
  const body = elements.flatMap((e) => [e[0]!, e.length - 1, ...e.slice(1)]);
  const header = [body.length, ...body];
  const headerSeptets = Math.ceil((header.length * 8) / 7);
  const udl = headerSeptets + septets.length;
  const ud = new Uint8Array(Math.ceil((udl * 7) / 8));
  ud.set(header);
  packSeptets(Uint8Array.from(septets), ud, headerSeptets * 7);
  const tpdu = [0x44, 0x0c, 0x91, 0x44, 0x77, 0x00, 0x09, 0x07, 0x98, 0x00, dcs, 0x62, 0x70, 0x32, 0x21, 0x41, 0x50, 0x00, udl, ...ud];
  return '00' + toHex(tpdu);
}

function text(elements: readonly (readonly number[])[], septets: readonly number[]): string {
  return decodeDeliver(deliver(elements, septets)).text;
}

/** Septets of a plain ASCII string (the same septet values in the default alphabet). */
function ascii(s: string): number[] {
  return Array.from(s, (c) => GSM7_DEFAULT.indexOf(c));
}

describe('national language single shift (IEI 0x24)', () => {
  it('reads a Turkish text as Turkish, not as the default alphabet ("ş ğ İ" was "s g I")', () => {
    expect(text([[SINGLE, 1]], [ESC, 0x73, 0x20, ESC, 0x67, 0x20, ESC, 0x49])).toBe('ş ğ İ');
  });

  // 23.038 A.2.1-A.2.3; the same entries in oFono's util.c and Android's GsmSmsTest.java.
  const tables: ReadonlyArray<readonly [string, number, string]> = [
    ['Turkish', 1, 'ĞİŞçğış'],
    ['Spanish', 2, 'çÁÍÓÚáíóú'],
    ['Portuguese', 3, 'êçÔôÁáΦΓΩΠΨΣΘÊÀÍÓÚÃÕÂíóúãõâ'],
  ];
  const codes: Record<string, number[]> = {
    Turkish: [0x47, 0x49, 0x53, 0x63, 0x67, 0x69, 0x73],
    Spanish: [0x09, 0x41, 0x49, 0x4f, 0x55, 0x61, 0x69, 0x6f, 0x75],
    Portuguese: [0x05, 0x09, 0x0b, 0x0c, 0x0e, 0x0f, 0x12, 0x13, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1f, 0x41, 0x49, 0x4f, 0x55, 0x5b, 0x5c, 0x61, 0x69, 0x6f, 0x75, 0x7b, 0x7c, 0x7f],
  };
  it.each(tables)('%s (%i): every national entry, and the default extension characters kept', (name, id, national) => {
    const septets = codes[name]!.flatMap((c) => [ESC, c]);
    expect(text([[SINGLE, id]], septets)).toBe(national);
    const defaults = [0x0a, 0x14, 0x28, 0x29, 0x2f, 0x3c, 0x3d, 0x3e, 0x40, 0x65].flatMap((c) => [ESC, c]);
    expect(text([[SINGLE, id]], defaults)).toBe('\f^{}\\[~]|€');
  });

  it('shows ESC + a code the table leaves empty as the default character, ESC ESC and a final ESC as spaces', () => {
    expect(text([[SINGLE, 1]], [ESC, 0x41, ESC, ESC, 0x61, ESC])).toBe('A a ');
  });

  it('leaves a text without escapes as it was (the single shift changes only what follows ESC)', () => {
    expect(text([[SINGLE, 3]], ascii('Ola, tudo bem?'))).toBe('Ola, tudo bem?');
  });
});

describe('national language locking shift (IEI 0x25)', () => {
  // 23.038 A.3.1 and A.3.3: where the table differs from the default alphabet (every other septet is the
  // default character). The same entries in oFono's util.c (tur_gsm, por_gsm) and Android's GsmSmsTest.java.
  const differences: ReadonlyArray<readonly [string, number, Record<number, string>]> = [
    ['Turkish', 1, { 0x04: '€', 0x07: 'ı', 0x0b: 'Ğ', 0x0c: 'ğ', 0x1c: 'Ş', 0x1d: 'ş', 0x40: 'İ', 0x60: 'ç' }],
    [
      'Portuguese',
      3,
      {
        0x04: 'ê', 0x06: 'ú', 0x07: 'í', 0x08: 'ó', 0x09: 'ç', 0x0b: 'Ô', 0x0c: 'ô', 0x0e: 'Á', 0x0f: 'á',
        0x12: 'ª', 0x13: 'Ç', 0x14: 'À', 0x15: '∞', 0x16: '^', 0x17: '\\', 0x18: '€', 0x19: 'Ó', 0x1a: '|',
        0x1c: 'Â', 0x1d: 'â', 0x1e: 'Ê', 0x24: 'º', 0x40: 'Í', 0x5b: 'Ã', 0x5c: 'Õ', 0x5d: 'Ú', 0x60: '~',
        0x7b: 'ã', 0x7c: 'õ', 0x7d: '`',
      },
    ],
  ];
  it.each(differences)('%s (%i): all 127 characters', (_name, id, diff) => {
    const septets = Array.from({ length: 128 }, (_, s) => s).filter((s) => s !== ESC);
    const expected = septets.map((s) => diff[s] ?? GSM7_DEFAULT[s]!).join('');
    expect(text([[LOCKING, id]], septets)).toBe(expected);
  });

  it('Turkish locking without a single shift: ESC reads the default extension table, else the Turkish character', () => {
    expect(text([[LOCKING, 1]], [ESC, 0x65, ESC, 0x07, 0x1c])).toBe('€ıŞ');
  });

  it('Turkish locking and single shift together', () => {
    expect(text([[LOCKING, 1], [SINGLE, 1]], [0x1c, ESC, 0x73, 0x04, ESC, 0x49, 0x07])).toBe('Şş€İı');
  });

  it('Portuguese locking with the Spanish single shift: the single shift decides after ESC, the locking table elsewhere', () => {
    expect(text([[LOCKING, 3], [SINGLE, 2]], [0x09, ESC, 0x09, ESC, 0x04, 0x7b])).toBe('ççêã');
  });

  it('Spanish (2) has no locking shift table: the default alphabet applies', () => {
    const septets = Array.from({ length: 128 }, (_, s) => s).filter((s) => s !== ESC);
    expect(text([[LOCKING, 2]], septets)).toBe(septets.map((s) => GSM7_DEFAULT[s]!).join(''));
  });
});

describe('national tables this decoder does not have are refused, never decoded wrong', () => {
  it.each([
    [LOCKING, 6, 'Hindi'],
    [SINGLE, 4, 'Bengali'],
    [SINGLE, 13, 'Urdu'],
    [SINGLE, 14, 'reserved'],
    [LOCKING, 255, 'reserved'],
  ])('IEI %i, language %i (%s): unsupported', (iei, id, name) => {
    const pdu = deliver([[iei, id]], ascii('abc'));
    const r = tryDecodeDeliver(pdu);
    expect(r).toMatchObject({ ok: false, kind: 'corrupt', reason: 'unsupported' });
    expect(r.ok ? '' : r.detail).toContain(name);
    expect(() => decodeDeliver(pdu)).toThrow(SmsDecodeError);
    expect(tryDecodeIncoming(pdu)).toMatchObject({ ok: false, reason: 'unsupported' });
  });

  it('identifier 0 (reserved, but the default table\'s number where tables are numbered) reads as the default tables', () => {
    expect(text([[LOCKING, 0], [SINGLE, 0]], [0x04, ESC, 0x65, ESC, 0x73])).toBe('è€s');
  });

  it('a national element whose length is not 1 is a bad header', () => {
    expect(tryDecodeDeliver(deliver([[SINGLE]], ascii('abc')))).toMatchObject({ ok: false, reason: 'bad-udh' });
    expect(tryDecodeDeliver(deliver([[LOCKING, 1, 1]], ascii('abc')))).toMatchObject({ ok: false, reason: 'bad-udh' });
  });

  it('when an element repeats, the last one counts (an earlier unknown one does not refuse the message)', () => {
    expect(text([[SINGLE, 6], [SINGLE, 1]], [ESC, 0x73])).toBe('ş');
    expect(tryDecodeDeliver(deliver([[SINGLE, 1], [SINGLE, 6]], [ESC, 0x73]))).toMatchObject({ ok: false, reason: 'unsupported' });
  });

  it('never throws from the try form, whatever the identifier', () => {
    for (const iei of [SINGLE, LOCKING]) {
      for (let id = 0; id < 256; id++) expect(() => tryDecodeIncoming(deliver([[iei, id]], [ESC, id & 0x7f, id & 0x7f]))).not.toThrow();
    }
  });
});

describe('national elements and the rest of the message', () => {
  it('are ignored for a UCS2 body (they apply to GSM 7-bit only)', () => {
    // UCS2 DELIVER: header 03 24 01 06 (Hindi!) then "ş" as UTF-16.
    const ud = [0x03, SINGLE, 0x01, 0x06, 0x01, 0x5f];
    const pdu = '00' + toHex([0x44, 0x0c, 0x91, 0x44, 0x77, 0x00, 0x09, 0x07, 0x98, 0x00, 0x08, 0x62, 0x70, 0x32, 0x21, 0x41, 0x50, 0x00, ud.length, ...ud]);
    expect(decodeDeliver(pdu).text).toBe('ş');
  });

  it('keep the elements in `udh` and the concatenation element beside them; parts are joined with their own tables', () => {
    const p1 = deliver([[0x00, 0x2a, 2, 1], [SINGLE, 1]], [...ascii('Merhaba '), ESC, 0x53]);
    const p2 = deliver([[SINGLE, 1], [0x00, 0x2a, 2, 2]], [ESC, 0x69, ...ascii('k')]);
    const d1 = decodeDeliver(p1);
    expect(d1.concat).toEqual({ ref: 0x2a, total: 2, seq: 1 });
    expect(d1.udh.map((e) => e.iei)).toEqual([0x00, SINGLE]);
    const r = new Reassembler({ clock: new ManualClock(Date.UTC(2026, 6, 23)) });
    expect(r.add(d1)).toMatchObject({ status: 'pending' });
    const done = r.add(decodeDeliver(p2));
    expect(done.status === 'complete' ? done.message.text : done.status).toBe('Merhaba Şık');
    r.close();
  });
});
