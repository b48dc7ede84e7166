import { describe, expect, it } from 'vitest';
import {
  CME_ERROR_TABLE,
  CMS_ERROR_TABLE,
  CmeError,
  CmsError,
  FINAL_RESULT_TABLE,
  parseFinalResult,
} from '../../../protocol/at/index.js';

describe('final results', () => {
  it.each([
    ['OK', 'OK', true],
    ['ERROR', 'ERROR', false],
    ['NO CARRIER', 'NO_CARRIER', false],
    ['BUSY', 'BUSY', false],
    ['NO ANSWER', 'NO_ANSWER', false],
    ['NO DIALTONE', 'NO_DIALTONE', false],
    ['CONNECT', 'CONNECT', true],
    ['+CME ERROR: 3', 'CME_ERROR', false],
    ['+CMS ERROR: 500', 'CMS_ERROR', false],
    ['COMMAND NOT SUPPORT', 'ERROR', false],
    ['TOO MANY PARAMETERS', 'ERROR', false],
  ])('%s -> %s', (line, kind, success) => {
    expect(parseFinalResult(line)).toMatchObject({ kind, success, line });
  });

  it('keeps the text after CONNECT', () => {
    expect(parseFinalResult('CONNECT 9600')).toMatchObject({ kind: 'CONNECT', detail: '9600' });
  });

  it('does not take lines that merely look like finals', () => {
    for (const line of ['OK2', 'ERRORS', '+CMEE: 1', 'BUSY LINE', 'RING', '+CSQ: 20,99', 'NO CARRIERS', '']) {
      expect(parseFinalResult(line)).toBeUndefined();
    }
  });

  it('decodes numeric and verbose +CME ERROR to the same named code', () => {
    expect(parseFinalResult('+CME ERROR: 10')?.error).toEqual({
      family: 'CME',
      code: CmeError.SIM_NOT_INSERTED,
      name: 'SIM_NOT_INSERTED',
      text: 'SIM not inserted',
    });
    expect(parseFinalResult('+CME ERROR: SIM not inserted')?.error?.code).toBe(10);
    expect(parseFinalResult('+CME ERROR: sim PIN required')?.error?.name).toBe('SIM_PIN_REQUIRED');
    expect(parseFinalResult('+CME ERROR: 4')?.error?.name).toBe('OPERATION_NOT_SUPPORTED');
    expect(parseFinalResult('+CME ERROR: 32')?.error?.name).toBe('NETWORK_NOT_ALLOWED_EMERGENCY_CALLS_ONLY');
    expect(parseFinalResult('+CME ERROR: Network not allowed, emergency calls only')?.error?.code).toBe(32);
    expect(parseFinalResult('+CMS ERROR: SIM not inserted')?.error?.code).toBe(310);
    expect(parseFinalResult('+CME ERROR: 9999')?.error).toMatchObject({ code: 9999, name: 'UNLISTED' });
    expect(parseFinalResult('+CME ERROR: flux capacitor')?.error).toMatchObject({ code: undefined, name: 'UNRECOGNISED', text: 'flux capacitor' });
  });

  it('decodes +CMS ERROR codes, and names unlisted ones by range', () => {
    expect(parseFinalResult('+CMS ERROR: 330')?.error).toMatchObject({ code: CmsError.SMSC_ADDRESS_UNKNOWN, name: 'SMSC_ADDRESS_UNKNOWN' });
    expect(parseFinalResult('+CMS ERROR: 304')?.error?.name).toBe('INVALID_PDU_MODE_PARAMETER');
    expect(parseFinalResult('+CMS ERROR: 42')?.error?.name).toBe('CONGESTION');
    expect(parseFinalResult('+CMS ERROR: 200')?.error?.name).toBe('NETWORK_TP_FAILURE_CAUSE');
    expect(parseFinalResult('+CMS ERROR: 600')?.error?.name).toBe('MANUFACTURER_SPECIFIC');
    expect(parseFinalResult('+CMS ERROR: 400')?.error?.name).toBe('RESERVED');
    expect(parseFinalResult('+CMS ERROR: SMSC address unknown')?.error?.code).toBe(330);
  });

  it('tables have unique codes, unique names, and every named constant matches its row', () => {
    for (const table of [CME_ERROR_TABLE, CMS_ERROR_TABLE]) {
      expect(new Set(table.map((e) => e.code)).size).toBe(table.length);
      expect(new Set(table.map((e) => e.name)).size).toBe(table.length);
    }
    for (const [name, code] of Object.entries(CmeError)) expect(CME_ERROR_TABLE.find((e) => e.code === code)?.name).toBe(name);
    for (const [name, code] of Object.entries(CmsError)) expect(CMS_ERROR_TABLE.find((e) => e.code === code)?.name).toBe(name);
    expect(FINAL_RESULT_TABLE.filter((r) => r.callProgress).map((r) => r.token)).toEqual([
      'CONNECT',
      'CONNECT ',
      'NO CARRIER',
      'BUSY',
      'NO ANSWER',
      'NO DIALTONE',
      'NO DIAL TONE',
    ]);
  });
});
