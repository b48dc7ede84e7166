import { describe, expect, it } from 'vitest';
import { isGsm7Basic, smsPartsFor } from '../../../protocol/report/index.js';
import { isGsm7 as smsIsGsm7, partCapacity } from '../../../protocol/sms/index.js';

describe('GSM 7-bit default alphabet', () => {
  it('accepts the characters TSR1 uses and the default table\'s non-ASCII ones', () => {
    for (const s of ['$GPRMC,*7F', 'base64url-_', '@£¥èéùìòÇØøÅåΔΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà', '!"#%&\'()*+,-./:;<=>?']) {
      expect(isGsm7Basic(s), s).toBe(true);
    }
  });
  it('refuses extension-table, non-GSM and control characters', () => {
    for (const c of ['[', ']', '{', '}', '\\', '^', '~', '|', '€', '`', '\u001b', '\t', '\u0000', 'ç', '😀']) {
      expect(isGsm7Basic(`abc${c}`), JSON.stringify(c)).toBe(false);
    }
  });
  it('agrees with protocol/sms on every BMP character that needs no escape', () => {
    for (let c = 0; c < 0x2500; c++) {
      const ch = String.fromCharCode(c);
      if (isGsm7Basic(ch)) expect(smsIsGsm7(ch), `U+${c.toString(16)}`).toBe(true);
    }
  });
  it('parts: 160 in one SMS, then 152 per part (16-bit reference, the worse case)', () => {
    expect([0, 160, 161, 304, 305].map(smsPartsFor)).toEqual([1, 1, 2, 2, 3]);
  });
  it('the budget matches protocol/sms part capacities', () => {
    expect(partCapacity('gsm7', false, 8)).toBe(160);
    expect(partCapacity('gsm7', true, 8)).toBe(153);
    expect(partCapacity('gsm7', true, 16)).toBe(152);
  });
});
