import { describe, expect, it } from 'vitest';
import {
  answer,
  cbc,
  cgsn,
  checkPdu,
  chup,
  cimi,
  clcc,
  clip,
  cmee,
  cmgd,
  cmgf,
  cmgl,
  cmgr,
  cmgs,
  cnmi,
  copsRead,
  cpms,
  cregForm,
  cregRead,
  cregSet,
  cscaSet,
  csq,
  dial,
  hangup,
  parseCbc,
  parseCpas,
  cpas,
  parseClcc,
  parseClip,
  parseCmee,
  parseCmgl,
  parseCmgr,
  parseCmgs,
  parseCmt,
  parseCmti,
  parseCops,
  parseCpms,
  parseCreg,
  parseCring,
  parseCsca,
  parseCsq,
  parseIdentity,
  parseImei,
  parseImsi,
  rssiToDbm,
  splitParams,
} from '../../../protocol/at/index.js';

describe('parameter splitting', () => {
  it('keeps commas inside quotes and empty parameters in place', () => {
    expect(splitParams(' "+447700900456",145,,,"Smith, Jane",0')?.map((p) => p.value)).toEqual([
      '+447700900456',
      '145',
      '',
      '',
      'Smith, Jane',
      '0',
    ]);
    expect(splitParams('"a\\22b",1')?.[0]?.value).toBe('a"b');
    expect(splitParams('"unclosed,1')).toBeUndefined();
  });
});

describe('identity', () => {
  it('reads bare and prefixed identity lines', () => {
    expect(parseIdentity(['Quectel'])).toEqual({ ok: true, value: 'Quectel' });
    expect(parseIdentity(['+CGMI: "SIMCOM_Ltd"'])).toEqual({ ok: true, value: 'SIMCOM_Ltd' });
    expect(parseIdentity([])).toMatchObject({ ok: false, failure: 'not-mine' });
  });

  it("skips a vendor's unsolicited lines that arrive among a bare answer (the engine does not know them)", () => {
    expect(parseIdentity(['+QIND: "csq",20,99', 'Quectel'])).toEqual({ ok: true, value: 'Quectel' });
    expect(parseIdentity(['+WIND: 4', 'WAVECOM MODEM'])).toEqual({ ok: true, value: 'WAVECOM MODEM' });
    expect(parseIdentity(['^SYSSTART', 'Cinterion'])).toEqual({ ok: true, value: 'Cinterion' });
    expect(parseImei(['^RSSI:15', '^BOOT:12345,0,0,0,6', '490154203237518'])).toMatchObject({ ok: true, value: { imei: '490154203237518' } });
    expect(parseImsi(['*PSUTTZ: 2026,11,23,20,17,22,"+0",0', '#QSS: 1', '234150123456789'])).toEqual({ ok: true, value: '234150123456789' });
    expect(parseIdentity(['+CGMI: "SIMCOM_Ltd"', '^RSSI:15'])).toEqual({ ok: true, value: 'SIMCOM_Ltd' });
    expect(parseIdentity(['^RSSI:15'])).toMatchObject({ ok: false, failure: 'not-mine' });
  });

  it('checks IMEI (Luhn) and IMSI digits', () => {
    expect(parseImei(['490154203237518'])).toEqual({ ok: true, value: { imei: '490154203237518', luhnValid: true } });
    expect(parseImei(['490154203237519'])).toMatchObject({ ok: true, value: { luhnValid: false } });
    expect(parseImei(['49015420323751X'])).toMatchObject({ ok: false, failure: 'corrupt' });
    expect(parseImsi(['234150123456789'])).toEqual({ ok: true, value: '234150123456789' });
    expect(parseImsi(['ERROR?'])).toMatchObject({ ok: false, failure: 'corrupt' });
    expect([cgsn().line, cimi().line]).toEqual(['AT+CGSN', 'AT+CIMI']);
  });
});

describe('registration and signal', () => {
  it('parses +CREG read form and unsolicited form', () => {
    expect(parseCreg('+CREG: 2,1,"1A2B","00C3",7')).toEqual({
      ok: true,
      value: { form: 'read', n: 2, stat: 1, status: 'registered-home', registered: true, lac: '1A2B', ci: '00C3', act: 7 },
    });
    expect(parseCreg('+CREG: 0,2')).toMatchObject({ ok: true, value: { form: 'read', n: 0, status: 'searching', registered: false } });
    expect(parseCreg('+CREG: 5')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 5, registered: true } });
    expect(parseCreg('+CREG: 1,"1A2B","00C3"')).toMatchObject({ ok: true, value: { form: 'unsolicited', lac: '1A2B', ci: '00C3' } });
    expect(parseCreg('+CREG: 0,12')).toMatchObject({ ok: false, failure: 'corrupt' });
    expect(parseCreg('+CGREG: 0,1')).toMatchObject({ ok: false, failure: 'not-mine' });
    expect(cregForm('+CREG: 1,"1A2B","00C3"')).toBe('unsolicited');
    expect(cregSet(2).line).toBe('AT+CREG=2');
    expect(cregRead().options.isAnswer?.('+CREG: 2,1')).toBe(true);
  });

  it('an unsolicited +CREG with an unquoted, all-digit LAC (Huawei) is not taken for the read form', () => {
    expect(parseCreg('+CREG: 1, E006B, ABE0016')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 1, lac: 'E006B', ci: 'ABE0016' } });
    expect(parseCreg('+CREG: 2, 1234, ABE0016')).toMatchObject({ ok: true, value: { form: 'unsolicited', status: 'searching', lac: '1234' } });
    expect(parseCreg('+CREG: 5, 0012, 00C3, 2')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 5, lac: '0012', ci: '00C3', act: 2 } });
    expect(cregRead().options.isAnswer?.('+CREG: 1, 1234, ABE0016')).toBe(false);
    expect(parseCreg('+CREG: 2,1, E006B, ABE0016')).toMatchObject({ ok: true, value: { form: 'read', n: 2, stat: 1, lac: 'E006B' } });
    expect(parseCreg('+CREG: 2,5,"1234","5678",7')).toMatchObject({ ok: true, value: { form: 'read', n: 2, stat: 5 } });
  });

  it('maps CSQ rssi to dBm, 99 unknown', () => {
    expect([0, 1, 2, 20, 30, 31, 99].map(rssiToDbm)).toEqual([-113, -111, -109, -73, -53, -51, null]);
    expect(parseCsq('+CSQ: 99,99')).toEqual({ ok: true, value: { rssi: 99, dbm: null, ber: null } });
    expect(parseCsq('+CSQ: 31,0')).toEqual({ ok: true, value: { rssi: 31, dbm: -51, ber: 0 } });
    expect(parseCsq('+CSQ: 40,0')).toMatchObject({ ok: false, failure: 'corrupt' });
    expect(csq().options.prefixes).toEqual(['+CSQ:']);
  });

  it('parses +COPS', () => {
    expect(parseCops('+COPS: 0,0,"Vodafone UK",7')).toEqual({ ok: true, value: { mode: 0, format: 0, operator: 'Vodafone UK', act: 7 } });
    expect(parseCops('+COPS: 0')).toEqual({ ok: true, value: { mode: 0 } });
    expect(copsRead().line).toBe('AT+COPS?');
  });
});

describe('calls', () => {
  it('builds dial, answer and hang-up commands', () => {
    expect(dial('999')).toMatchObject({ ok: true, command: { line: 'ATD999;', options: { callProgress: true } } });
    expect(dial('+447700900456', { voice: false })).toMatchObject({ ok: true, command: { line: 'ATD+447700900456' } });
    expect(dial('999;ATH')).toMatchObject({ ok: false });
    expect([answer().line, hangup().line, chup().line, clcc().line, clip(true).line]).toEqual(['ATA', 'ATH', 'AT+CHUP', 'AT+CLCC', 'AT+CLIP=1']);
  });

  it('parses +CLCC with number, type and alpha (comma inside)', () => {
    expect(parseClcc('+CLCC: 1,1,4,0,0,"+447700900456",145,"Smith, Jane"')).toEqual({
      ok: true,
      value: { index: 1, direction: 'incoming', state: 'incoming', mode: 'voice', multiparty: false, number: '+447700900456', type: 145, alpha: 'Smith, Jane' },
    });
    expect(parseClcc('+CLCC: 2,0,2,0,0,"999",129')).toMatchObject({ ok: true, value: { direction: 'outgoing', state: 'dialing', number: '999' } });
    expect(parseClcc('+CLCC: 1,1,9,0,0')).toMatchObject({ ok: false, failure: 'corrupt' });
  });

  it('parses +CLIP, including withheld and unavailable numbers', () => {
    expect(parseClip('+CLIP: "+447700900456",145,,,,0')).toEqual({ ok: true, value: { number: '+447700900456', type: 145, validity: 'valid' } });
    expect(parseClip('+CLIP: "",128,,,,1')).toEqual({ ok: true, value: { type: 128, validity: 'withheld' } });
    expect(parseClip('+CLIP: "",128')).toEqual({ ok: true, value: { type: 128, validity: 'unavailable' } });
    // Withheld, number given all the same (27.007 7.6: the override category of an emergency service's line).
    expect(parseClip('+CLIP: "+447700900456",145,,,,1')).toEqual({ ok: true, value: { number: '+447700900456', type: 145, validity: 'withheld' } });
    expect(parseClip('+CLIP: "+447700900456",145,,,,2')).toEqual({ ok: true, value: { type: 145, validity: 'unavailable' } });
    expect(parseClip('+CLIP: "07700900456",129,"",,"Mum, mobile"')).toMatchObject({ ok: true, value: { number: '07700900456', alpha: 'Mum, mobile', validity: 'valid' } });
    expect(parseClip('+CLIP: "+447700900456",145,,,,7')).toMatchObject({ ok: false, failure: 'corrupt' });
    expect(parseCring('+CRING: VOICE')).toEqual({ ok: true, value: 'VOICE' });
  });
});

describe('SMS', () => {
  const PDU = '0791447758100650040C914477000970980000627032214150000005E8329BFD06';
  // SMS-DELIVER from +447700900456, 2026-01-01 10:00:00, "hello" (checked with node-pdu): TPDU 24 octets.
  const GOOD = '0791447758100650040C9144770009406500006210100100000005E8329BFD06';

  it('builds the SMS commands', () => {
    expect([cmgf(0).line, cnmi().line, cmgr(3).line, cmgl().line, cmgd(3).line]).toEqual([
      'AT+CMGF=0',
      'AT+CNMI=2,1,0,0,0',
      'AT+CMGR=3',
      'AT+CMGL=4',
      'AT+CMGD=3',
    ]);
    expect(cpms('SM', 'SM')).toMatchObject({ ok: true, command: { line: 'AT+CPMS="SM","SM"' } });
    expect(cpms('S"M')).toMatchObject({ ok: false });
    expect(cscaSet('+447785016005', 145)).toMatchObject({ ok: true, command: { line: 'AT+CSCA="+447785016005",145' } });
    expect(cscaSet('"; ATD999')).toMatchObject({ ok: false });
  });

  it('refuses an AT+CMGS whose PDU does not fit the TPDU length', () => {
    expect(cmgs(27, '0011000C914477000910320000FF0FC8329BFD0699E5EF3668DE9E9301')).toMatchObject({ ok: false });
    expect(cmgs(28, '0011000C914477000910320000FF0FC8329BFD0699E5EF3668DE9E930')).toMatchObject({ ok: false });
    expect(checkPdu(GOOD, 24)).toBeUndefined();
  });

  it('parses +CMGR (PDU mode) with its PDU line, and an empty slot as not-mine', () => {
    expect(parseCmgr(['+CMGR: 0,,24', GOOD])).toEqual({
      ok: true,
      value: { stat: 0, status: 'received-unread', length: 24, pdu: GOOD, lengthMatches: true },
    });
    expect(parseCmgr(['+CMGR: 1,"Jane, home",24', GOOD])).toMatchObject({ ok: true, value: { alpha: 'Jane, home' } });
    expect(parseCmgr([])).toMatchObject({ ok: false, failure: 'not-mine' });
    expect(parseCmgr(['+CMGR: 0,,24'])).toMatchObject({ ok: false, failure: 'corrupt' });
    expect(parseCmgr(['+CMGR: 0,,24', 'ZZ'])).toMatchObject({ ok: false, failure: 'corrupt' });
    // A +CMGL entry without its PDU line (it was empty) is corrupt, and the next entry is not taken for its PDU.
    expect(parseCmgl(['+CMGL: 2,0,,24', GOOD])).toMatchObject({ ok: true, value: [{ index: 2, pdu: GOOD }] });
    expect(parseCmgl(['+CMGL: 1,0,,0', '+CMGL: 2,0,,24', GOOD])).toMatchObject({ ok: false, reason: 'SMS PDU line missing' });
  });

  it('hands on a PDU whose length does not match, flagged', () => {
    // The corpus's injected +CMT (gammu-monitor.txt) states 24 octets but its TPDU has 25.
    expect(parseCmt('+CMT: ,24', PDU)).toMatchObject({ ok: true, value: { length: 24, lengthMatches: false } });
    expect(parseCmt('+CMT: "Jane",24', GOOD)).toEqual({ ok: true, value: { alpha: 'Jane', length: 24, pdu: GOOD, lengthMatches: true } });
    expect(parseCmt('+CMT: ,23', undefined)).toMatchObject({ ok: false, failure: 'corrupt' });
  });

  it('parses +CMGS, +CMTI, +CPMS (both forms), +CSCA', () => {
    expect(parseCmgs('+CMGS: 12')).toEqual({ ok: true, value: { mr: 12 } });
    expect(parseCmti('+CMTI: "SM",3')).toEqual({ ok: true, value: { memory: 'SM', index: 3 } });
    expect(parseCpms('+CPMS: "SM",3,30,"SM",3,30,"SM",3,30')).toEqual({
      ok: true,
      value: [
        { memory: 'SM', used: 3, total: 30 },
        { memory: 'SM', used: 3, total: 30 },
        { memory: 'SM', used: 3, total: 30 },
      ],
    });
    expect(parseCpms('+CPMS: 3,30,0,255')).toEqual({ ok: true, value: [{ used: 3, total: 30 }, { used: 0, total: 255 }] });
    expect(parseCpms('+CPMS: 31,30')).toMatchObject({ ok: false, failure: 'corrupt' });
    expect(parseCsca('+CSCA: "+447785016005",145')).toEqual({ ok: true, value: { number: '+447785016005', type: 145 } });
  });
});

describe('phone activity (AT+CPAS, the fall-back of a modem without AT+CLCC)', () => {
  it('parses the six states of 27.007 8.1 and refuses what is not one', () => {
    expect(cpas().line).toBe('AT+CPAS');
    expect(['+CPAS: 0', '+CPAS: 1', '+CPAS: 2', '+CPAS: 3', '+CPAS: 4', '+CPAS: 5'].map((l) => parseCpas(l))).toEqual(
      ['ready', 'unavailable', 'unknown', 'ringing', 'call', 'asleep'].map((value) => ({ ok: true, value })),
    );
    expect(parseCpas('+CPAS:4')).toEqual({ ok: true, value: 'call' });
    for (const bad of ['+CPAS: 6', '+CPAS: 131', '+CPAS: ', '+CPAS: x', '+CPAS: 4,1', '+CPAS: -1']) {
      expect(parseCpas(bad), bad).toMatchObject({ ok: false, failure: 'corrupt' });
    }
    expect(parseCpas('+CPAS: (0,3,4)')).toMatchObject({ ok: false });
    expect(parseCpas('+CLCC: 1,1,0,0,0')).toMatchObject({ ok: false, failure: 'not-mine' });
  });
});

describe('battery and errors', () => {
  it('parses +CBC with and without voltage', () => {
    expect(parseCbc('+CBC: 0,85')).toEqual({ ok: true, value: { bcs: 0, source: 'battery', percent: 85 } });
    expect(parseCbc('+CBC: 1,100,4190')).toEqual({ ok: true, value: { bcs: 1, source: 'external', percent: 100, voltageMv: 4190 } });
    expect(parseCbc('+CBC: 0,101')).toMatchObject({ ok: false, failure: 'corrupt' });
    expect(cbc().line).toBe('AT+CBC');
  });

  it('builds and parses CMEE', () => {
    expect(cmee().line).toBe('AT+CMEE=1');
    expect(parseCmee('+CMEE: 2')).toEqual({ ok: true, value: 2 });
    expect(parseCmee('+CMEE: 5')).toMatchObject({ ok: false });
  });
});
