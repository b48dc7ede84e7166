import { describe, expect, it } from 'vitest';
import { decodeAddress, decodeSmsc, encodeAddress, encodeSmsc } from '../../../protocol/sms/address.js';
import { fromHex, toHex } from '../../../protocol/sms/hex.js';
import { SmsEncodeError } from '../../../protocol/sms/result.js';

function dec(hex: string) {
  const r = decodeAddress(fromHex(hex)!, 0, 'TP-OA');
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

// Address fields published in python-gsmmodem's tests (see test/fixtures/sms/published-vectors.ts).
const ADDRESSES: ReadonlyArray<readonly [string, string, string]> = [
  ['+9876543210', '0A918967452301', 'international'],
  ['+987654321', '099189674523F1', 'international'],
  ['+27829135934', '0B917228195339F4', 'international'],
  ['abc', '06D061F118', 'alphanumeric'],
  ['FRANCOIS', '0ED04669D0397C26A7', 'alphanumeric'],
  ['a[]{}€', '14D0E10D6FE3DBA036A94D19', 'alphanumeric'],
];

describe('addresses', () => {
  it.each(ADDRESSES)('%j <-> %s (%s)', (text, hex, type) => {
    const a = dec(hex);
    expect(a.value.number).toBe(text);
    expect(a.value.type).toBe(type);
    expect(a.next).toBe(hex.length / 2);
    expect(toHex(Uint8Array.from(encodeAddress(text, true)))).toBe(hex);
  });

  it('decodes a national number (type A1) without a plus, and reads only its own octets', () => {
    const a = dec('0AA11092997856' + '0000');
    expect(a.value).toEqual({ number: '0129998765', type: 'national', ton: 2, npi: 1 });
    expect(a.next).toBe(7);
  });

  it('encodes digits without "+" as type 81 (unknown, ISDN), and the *# digits as A and B', () => {
    expect(toHex(Uint8Array.from(encodeAddress('07700900123', false)))).toBe('0B817007900021F3');
    expect(toHex(Uint8Array.from(encodeAddress('*100#', false)))).toBe('05811A00FB');
    expect(dec('05811A00FB').value.number).toBe('*100#');
  });

  it('refuses a filler inside the digits, a length over 20, and a field cut short', () => {
    expect(decodeAddress(fromHex('0C9144770009F098')!, 0, 'x')).toMatchObject({ ok: false, reason: 'bad-address' });
    expect(decodeAddress(fromHex('15914477000970980000000000000000')!, 0, 'x')).toMatchObject({ ok: false, reason: 'bad-address' });
    expect(decodeAddress(fromHex('0C91447700')!, 0, 'x')).toMatchObject({ ok: false, reason: 'truncated' });
  });

  it('refuses to encode what is not a number, and alphanumeric where only numbers go', () => {
    expect(() => encodeAddress('+44 7700', false)).toThrow(SmsEncodeError);
    expect(() => encodeAddress('Vodafone', false)).toThrow(/not a number/);
    expect(() => encodeAddress('TwelveChars!', true)).toThrow(SmsEncodeError);
    expect(() => encodeAddress('', true)).toThrow(SmsEncodeError);
  });

  it('SMSC field: octet-counted length, 00 = none', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['+9876543210', '06918967452301'],
      ['+987654321', '069189674523F1'],
      ['+447785016005', '0791447758100650'],
    ];
    for (const [num, hex] of cases) {
      const r = decodeSmsc(fromHex(hex + '04')!);
      expect(r.ok && r.value.value?.number).toBe(num);
      expect(r.ok && r.value.next).toBe(hex.length / 2);
      expect(toHex(Uint8Array.from(encodeSmsc(num)))).toBe(hex);
    }
    expect(decodeSmsc(fromHex('0004')!)).toMatchObject({ ok: true, value: { value: undefined, next: 1 } });
    expect(decodeSmsc(fromHex('0C91447758100650')!)).toMatchObject({ ok: false, reason: 'bad-smsc' });
    expect(toHex(Uint8Array.from(encodeSmsc(undefined)))).toBe('00');
  });
});
