import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import {
  computeMac,
  computeMacSync,
  constantTimeEqual,
  encodeCommandSync,
  fromBase64Url,
  toBase64Url,
  verifyMac,
  verifyMacSync,
  webCryptoHmacSha256,
} from '../../../protocol/report/index.js';
import { KEY, independentMac, nodeHmac } from './helpers.js';

describe('HMAC and MAC', () => {
  it('Web Crypto HMAC-SHA256 matches RFC 4231 test case 2', async () => {
    const digest = await webCryptoHmacSha256(new TextEncoder().encode('Jefe'), new TextEncoder().encode('what do ya want for nothing?'));
    expect(Buffer.from(digest).toString('hex')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('the wire MAC is the first 8 bytes of HMAC-SHA256, base64url, 11 characters', async () => {
    const signed = 'TSC1;h=TS-0001;n=17;c=STOP';
    const mac = await computeMac(signed, KEY);
    expect(mac).toHaveLength(11);
    expect(mac).toBe(independentMac(signed, KEY));
    expect(await computeMac(signed, KEY, nodeHmac)).toBe(mac);
  });

  it('refuses to sign with a key that is not 32 bytes, and never verifies with one', async () => {
    await expect(computeMac('x', new Uint8Array(16))).rejects.toThrow(RangeError);
    expect(await verifyMac('x', 'AAAAAAAAAAA', new Uint8Array(16))).toBe(false);
  });

  it('never verifies with a key that is not 32 bytes, even the MAC that very key gives, and never throws', async () => {
    const signed = 'TSC1;h=TS-0001;n=17;c=STOP';
    for (const key of [new Uint8Array(16).fill(7), new Uint8Array(33).fill(7), new Uint8Array(0)]) {
      const mac = independentMac(signed, key); // node:crypto signs with any key length: the length check is ours
      expect(await verifyMac(signed, mac, key), `${key.length} bytes`).toBe(false);
      expect(verifyMacSync(signed, mac, key, nodeHmac), `${key.length} bytes`).toBe(false);
    }
  });

  it('refuses to sign with a key that is not 32 bytes on the synchronous path too', () => {
    expect(() => computeMacSync('x', new Uint8Array(16), nodeHmac)).toThrow(RangeError);
    expect(() => encodeCommandSync({ handsetId: 'TS-0001', counter: 1, command: { kind: 'STOP' } }, new Uint8Array(31), nodeHmac)).toThrow(RangeError);
  });

  it('a MAC wrong in any one character does not verify, the first as much as the last', async () => {
    const signed = 'TSR1;h=TS-0001;n=1;e=ALM';
    const good = independentMac(signed, KEY);
    expect(await verifyMac(signed, good, KEY)).toBe(true);
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice(0, i) + (good[i] === 'A' ? 'B' : 'A') + good.slice(i + 1);
      expect(await verifyMac(signed, bad, KEY), `character ${i}`).toBe(false);
      expect(verifyMacSync(signed, bad, KEY, nodeHmac), `character ${i}`).toBe(false);
    }
    expect(constantTimeEqual('xbc', 'abc')).toBe(false);
  });

  it('constant-time compare still answers correctly', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abd')).toBe(false);
    expect(constantTimeEqual('abc', 'ab')).toBe(false);
  });

  it('base64url agrees with Node for every length 0..40', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 73 + n * 11) & 255);
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(Array.from(fromBase64Url(text) ?? [])).toEqual(Array.from(bytes));
    }
    expect(fromBase64Url('ab+c')).toBeNull();
    expect(fromBase64Url('abcde')).toBeNull();
  });

  it('node:crypto with a Buffer key and a Uint8Array key agree (the injected form the gateway uses)', () => {
    const a = createHmac('sha256', Buffer.from(KEY)).update('x').digest('hex');
    expect(Buffer.from(nodeHmac(KEY, new TextEncoder().encode('x'))).toString('hex')).toBe(a);
  });
});

describe('Web Crypto key cache', () => {
  it('a key array changed in place is used with its new bytes', async () => {
    const key = new Uint8Array(32).fill(1);
    const before = await computeMac('TSC1;h=A;n=1;c=STOP', key);
    key.fill(2);
    const after = await computeMac('TSC1;h=A;n=1;c=STOP', key);
    expect(after).not.toBe(before);
    expect(after).toBe(independentMac('TSC1;h=A;n=1;c=STOP', new Uint8Array(32).fill(2)));
  });
});

describe('test vectors are real NMEA', () => {
  it('the sample sentences pass nmea-simple (checksums right) and sit where the ETSI AML example does', async () => {
    const { parseNmeaSentence } = await import('nmea-simple');
    const { RMC_FIX, GGA_FIX, RMC_NOFIX, GGA_NOFIX } = await import('./helpers.js');
    const rmc = parseNmeaSentence(RMC_FIX) as unknown as { latitude: number; longitude: number; status: string };
    const gga = parseNmeaSentence(GGA_FIX) as unknown as { latitude: number; longitude: number; fixType: string };
    expect(rmc.status).toBe('valid');
    expect(rmc.latitude).toBeCloseTo(55.74317, 4);
    expect(rmc.longitude).toBeCloseTo(-4.26881, 4);
    expect(gga.latitude).toBeCloseTo(55.74317, 4);
    expect(() => parseNmeaSentence(RMC_NOFIX)).not.toThrow();
    expect(() => parseNmeaSentence(GGA_NOFIX)).not.toThrow();
  });
});
