import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../firmware-sim/modem/command-line.js';

const brief = (body: string): unknown => {
  const r = parseCommandLine(body);
  return 'error' in r ? r : r.map((c) => [c.name, c.form, ...c.args]);
};

describe('parseCommandLine', () => {
  it('splits the command lines the logged programs sent', () => {
    expect(brief('+CMEE=1;+CREG=2')).toEqual([
      ['+CMEE', 'set', '1'],
      ['+CREG', 'set', '2'],
    ]);
    expect(brief('+CPMS="SM","SM"')).toEqual([['+CPMS', 'set', 'SM', 'SM']]);
    expect(brief('$TSSPCSW=?')).toEqual([['$TSSPCSW', 'test']]);
    expect(brief('+CNMI=2,1,0,2,0')).toEqual([['+CNMI', 'set', '2', '1', '0', '2', '0']]);
    expect(brief('+CREG?')).toEqual([['+CREG', 'read']]);
    expect(brief('+CGMI')).toEqual([['+CGMI', 'exec']]);
    expect(brief('E1')).toEqual([['E', 'exec', '1']]);
  });

  it('splits basic commands run together, S-registers, & commands, and D with the rest of the line', () => {
    expect(brief('E0V1&FS0=2')).toEqual([
      ['E', 'exec', '0'],
      ['V', 'exec', '1'],
      ['&F', 'exec', ''],
      ['S0', 'set', '2'],
    ]);
    expect(brief('D+447700900456;')).toEqual([['D', 'exec', '+447700900456;']]);
    expect(brief('S7?')).toEqual([['S7', 'read']]);
  });

  it('keeps commas and semicolons inside quotes, and tells an empty quoted string from an omitted one', () => {
    const r = parseCommandLine('+CSCA="+44,7;7",145;+CMGL=,4');
    expect('error' in r).toBe(false);
    if ('error' in r) return;
    expect(r.map((c) => c.args)).toEqual([['+44,7;7', '145'], ['', '4']]);
    const q = parseCommandLine('+X="",');
    if ('error' in q) throw new Error(q.error);
    expect(q[0]?.quoted).toEqual([true, false]);
  });

  it('rejects an unterminated string and stray characters', () => {
    expect(brief('+CPMS="SM')).toEqual({ error: 'unterminated string' });
    expect(brief('+CGMI@')).toHaveProperty('error');
    expect(brief('=1')).toHaveProperty('error');
  });
});
