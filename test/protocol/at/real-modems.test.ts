// Answers real modems and phones gave, as captured by other projects (each quoted with where it comes from), that
// the simulated modem of this repository never gives. Each one must read as the modem meant it.
import { describe, expect, it } from 'vitest';
import { AtEngine, ceregRead, cmgl, cgregRead, cregRead, parseCereg, parseCgreg, parseCmgl, parseCmgr, parseCmt, parseCreg, type AtResult, type Urc } from '../../../protocol/at/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { decodeDeliver } from '../../../protocol/sms/index.js';
import { FakeModem } from './fake-modem.js';

describe('stored and delivered SMS without the optional <alpha> field', () => {
  // 27.005 3.4.3/3.4.2/3.4.1 PDU mode: `+CMGR: <stat>,[<alpha>],<length>`, `+CMGL: <index>,<stat>,[<alpha>],<length>`,
  // `+CMT: [<alpha>],<length>`; some modems leave out the <alpha> field with its comma.

  // gammu tests/at-sms/07.dump (captured +CMGR answer; its TPDU is 23 octets after an 8-octet SMSC).
  const CMGR_07 = ['+CMGR: 0,23', '0791534850020200040C9153486507895500006090608164138004D4F29C0E'];
  // pmoerenhout/atcommander ListMessagesResponseTest "cmgl_pdu_rec_read_without_alpha".
  const CMGL_NO_ALPHA = ['+CMGL: 1,0,27', '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D'];

  it('+CMGR: <stat>,<length> (gammu at-sms/07): the length is the second field', () => {
    expect(parseCmgr(CMGR_07)).toEqual({
      ok: true,
      value: { stat: 0, status: 'received-unread', length: 23, pdu: CMGR_07[1], lengthMatches: true },
    });
  });

  it('+CMGR: <index>,<stat>,[<alpha>],<length> (gammu at-sms/26, the index in front): stat and length are read', () => {
    // gammu tests/at-sms/26.dump answers AT+CMGR=4 with `+CMGR: 4,1,,151` (stat 1, read).
    const pdu = '0791539111161616640C9153916161755000F5402031016445008483';
    expect(parseCmgr(['+CMGR: 4,1,,151', pdu])).toMatchObject({ ok: true, value: { stat: 1, status: 'received-read', length: 151, pdu } });
  });

  it('+CMGR without a <stat>: `<length>` alone (gammu at-sms/38) and `,,<length>` (gammu at-sms/39); the status from the TPDU', () => {
    // gammu tests/at-sms/38.dump and 39.dump (captured answers gammu must read). 38's TPDU is a STATUS-REPORT
    // (first octet 06), 39's a DELIVER (04): both received. Each PDU is exactly SMSC + the stated length.
    const g38 = '079124602009999006B4098106326906F2212041015554402120410155054000';
    const g39 =
      '07914336120011F10404A14949000021807001253040356C76B81D268741F0B29C9C268741E4B20EB49AD16CB19BAD368BD96EA0B71B04BBBD603810284C078162315D2CE70289EBFAE1AC0CB2BFF52C10FC2D0799C3F6B71CC46687DB6550980D8AC962';
    expect(parseCmgr(['+CMGR: 24', g38])).toEqual({ ok: true, value: { stat: 0, status: 'received-unread', length: 24, pdu: g38, lengthMatches: true } });
    expect(parseCmgr(['+CMGR: ,,92', g39])).toEqual({ ok: true, value: { stat: 0, status: 'received-unread', length: 92, pdu: g39, lengthMatches: true } });
    // A SUBMIT (first TPDU octet 11) stored by the modem is not a received message.
    const submit = '0011000C914477009709780000AA05E8329BFD06';
    expect(parseCmgr(['+CMGR: 19', submit])).toMatchObject({ ok: true, value: { stat: 2, status: 'stored-unsent' } });
    // An empty slot as Siemens MC35 answers it (gammu atgen.c, smstools): not a corrupt message.
    expect(parseCmgr(['+CMGR: 0,,0'])).toMatchObject({ ok: false, failure: 'not-mine' });
    // But a stated length of 0 followed by a PDU line is a message whose length was miscounted: handed on (as any
    // other length that does not fit, see sms.ts), not dropped as an empty slot until the next periodic listing.
    expect(parseCmgr(['+CMGR: 0,,0', g38])).toMatchObject({ ok: true, value: { stat: 0, length: 0, pdu: g38, lengthMatches: false } });
    // Still refused: no PDU line, or a PDU line that is not hex.
    expect(parseCmgr(['+CMGR: 24'])).toMatchObject({ ok: false, failure: 'corrupt' });
    expect(parseCmgr(['+CMGR: 24', 'RING'])).toMatchObject({ ok: false, failure: 'corrupt' });
  });

  it('a PDU line with a stray quote after the hex (gammu at-sms/04): read without it, and it decodes', () => {
    // gammu tests/at-sms/04.dump, `+CMGR: 1,,156` then the PDU line ending in `"` (an O2 UK message).
    const hex =
      '07914487200030230406D04F59040000601191806243009F4F990E947DD741EEF71D840EDBCBA0FCBB2E0751CB783A28E8CED3D3ED3268068381AA4B10BD8CA7CF412650AC2904BDCD2072981E06D1DFA0FABC0CA2A3D373509B8E7681A4E576B92D2ECB41F43788FE86B7EA7010280603BDE5A0F65B5E0689CBE6B7BC0C8ADD6232980D447F83CE653A28FFAECB416679B90C0AB3D9EF7BD83D2E83DC653C1DD4A6A301';
    const p = parseCmgr(['+CMGR: 1,,156', `${hex}"`]);
    expect(p).toEqual({ ok: true, value: { stat: 1, status: 'received-read', length: 156, pdu: hex, lengthMatches: true } });
    expect(p.ok && decodeDeliver(p.value.pdu).text).toMatch(/^O2: You now have your Text Anytime 300 UK texts/);
    expect(parseCmgl(['+CMGL: 4,1,,156', `"${hex}"`])).toMatchObject({ ok: true, value: [{ index: 4, pdu: hex, lengthMatches: true }] });
    expect(parseCmt('+CMT: ,156', `${hex}"`)).toMatchObject({ ok: true, value: { pdu: hex, lengthMatches: true } });
    // Only quotes are dropped: other junk around the hex is still corrupt.
    expect(parseCmgr(['+CMGR: 1,,156', `${hex}x`])).toMatchObject({ ok: false, failure: 'corrupt' });
    expect(parseCmgr(['+CMGR: 1,,156', `${hex}""`])).toMatchObject({ ok: false, failure: 'corrupt' });
  });

  it('+CMGL: <index>,<stat>,<length> (atcommander): an entry, not corrupt', () => {
    expect(parseCmgl(CMGL_NO_ALPHA)).toEqual({
      ok: true,
      value: [{ index: 1, stat: 0, status: 'received-unread', length: 27, pdu: CMGL_NO_ALPHA[1], lengthMatches: true }],
    });
    expect(parseCmgl(['+CMGL: 1,0,"",27', CMGL_NO_ALPHA[1] as string])).toMatchObject({ ok: true, value: [{ index: 1, length: 27, alpha: '' }] });
    // ModemManager src/tests/test-modem-helpers.c, test_cmgl_response_pantech: the header is understood; the PDU
    // line given there has an odd number of hex digits (89), which is corrupt whatever the header says.
    const pantech = '079100F40D1101000F001000B917118336058F300001954747A0E4ACF41F27298CDCE83C6EF371B0402814020';
    expect(parseCmgl(['+CMGL: 17,3,35', pantech])).toEqual({ ok: false, failure: 'corrupt', reason: 'SMS PDU line is not an even number of hex digits' });
    expect(parseCmgl(['+CMGL: 17,3,35', pantech.slice(0, -1)])).toMatchObject({ ok: true, value: [{ index: 17, stat: 3, status: 'stored-sent', length: 35 }] });
  });

  it('a +CMGL PDU line with the next entry glued to its end (gammu at-sms.c: "some phones ... do not put new line before +CMGL"): two entries', async () => {
    // gammu libgammu/phone/at/at-sms.c, ATGEN_ReplyGetMessageList, strips a +CMGL: found inside a PDU line and
    // reads it as the next entry. Taken whole, the first entry was corrupt and the second one's PDU line stray.
    const modem = new FakeModem();
    const engine = new AtEngine(modem, { clock: new ManualClock() });
    const pdu = CMGL_NO_ALPHA[1] as string;
    const p = engine.send(cmgl(4));
    modem.feed(`\r\n+CMGL: 1,0,,27\r\n${pdu}+CMGL: 2,1,,27\r\n${pdu}\r\nOK\r\n`);
    const r = await p;
    expect(r.status === 'final' && r.lines).toEqual(['+CMGL: 1,0,,27', pdu, '+CMGL: 2,1,,27', pdu]);
    expect(engine.stats.strayLines).toBe(0);
    // Only after a run of hex digits: a line that is not a PDU stays as it is (the parser judges it).
    const q = engine.send(cmgl(4));
    modem.feed(`\r\n+CMGL: 1,0,,27\r\nxyz+CMGL: 2,1,,27\r\nOK\r\n`);
    const r2 = await q;
    expect(r2.status === 'final' && r2.lines).toEqual(['+CMGL: 1,0,,27', 'xyz+CMGL: 2,1,,27']);
  });

  it('+CMT: <length> (Cinterion PHS8-P, noted in NetComm cdcs_apps simple_at_manager sms code): delivered', () => {
    const pdu = CMGL_NO_ALPHA[1] as string;
    expect(parseCmt('+CMT: 27', pdu)).toEqual({ ok: true, value: { length: 27, pdu, lengthMatches: true } });
  });

  it('the engine waits for the PDU after `+CMT: 27` even when a RING comes first', () => {
    const modem = new FakeModem();
    const engine = new AtEngine(modem, { clock: new ManualClock() });
    const urcs: Urc[] = [];
    engine.onUrc((u) => urcs.push(u));
    const pdu = CMGL_NO_ALPHA[1] as string;
    modem.feed(`\r\n+CMT: 27\r\nRING\r\n${pdu}\r\n`);
    expect(urcs.map((u) => [u.name, u.body])).toEqual([
      ['RING', undefined],
      ['+CMT', pdu],
    ]);
  });
});

describe('+CREG with an empty location field', () => {
  // gammu tests/at-creg-corner/empty-lac.dump: AT+CREG? -> `+CREG: 2,1,"","605F"` (registered, LAC not given).
  it('is the read form, registered, with no LAC', () => {
    expect(parseCreg('+CREG: 2,1,"","605F"')).toEqual({
      ok: true,
      value: { form: 'read', n: 2, stat: 1, status: 'registered-home', registered: true, ci: '605F' },
    });
    expect(cregRead().options.isAnswer?.('+CREG: 2,1,"","605F"')).toBe(true);
    expect(parseCreg('+CREG: 1,"",""')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 1 } });
  });
});

describe('+CREG with zero-padded integers or a garbled location (ModemManager src/tests/test-modem-helpers.c)', () => {
  it('Iridium (test_creg2_iridium_solicited) and test_creg2_leading_zeros_solicited: the read form, registered', () => {
    // Taken for the unsolicited form (stat 2, searching), the answer was not AT+CREG?'s: the line counted down.
    expect(parseCreg('+CREG:002,001,"18d8","ffff"')).toEqual({
      ok: true,
      value: { form: 'read', n: 2, stat: 1, status: 'registered-home', registered: true, lac: '18d8', ci: 'ffff' },
    });
    expect(cregRead().options.isAnswer?.('+CREG:002,001,"18d8","ffff"')).toBe(true);
    expect(parseCreg('+CREG:002,001,"0001","0010"')).toMatchObject({ ok: true, value: { form: 'read', n: 2, stat: 1, lac: '0001' } });
    // test_creg2_leading_zeros_unsolicited and test_creg2_no_leading_zeros_unsolicited stay unsolicited.
    expect(parseCreg('+CREG: 001,"0001","0010",000')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 1, lac: '0001' } });
    expect(parseCreg('+CREG: 1,0001,0010,0')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 1, lac: '0001', act: 0 } });
  });

  it('Qualcomm Gobi 1000 (test_creg2_gobi_weird_solicited): a LAC that is not hex is left out, the registration is read', () => {
    expect(parseCreg('+CREG: 2,1,  0 5, 2715')).toEqual({
      ok: true,
      value: { form: 'read', n: 2, stat: 1, status: 'registered-home', registered: true, ci: '2715' },
    });
    // A stat out of range is still refused, whatever the location.
    expect(parseCreg('+CREG: 2,11,  0 5, 2715')).toMatchObject({ ok: false, failure: 'corrupt' });
  });
});

describe('+CEREG (EPS, LTE) and +CGREG (packet) registration, 27.007 10.1.22 and 10.1.20', () => {
  // read: +CEREG: <n>,<stat>[,[<tac>],[<ci>],[<AcT>][,<cause_type>,<reject_cause>]]; URC: the same without <n>.
  it('ModemManager src/tests/test-modem-helpers.c: unquoted, spaced TAC and cell id', () => {
    // test_cereg2_solicited / test_cereg2_unsolicited
    expect(parseCereg('+CEREG: 2,1, 1F00, 79D903 ,7')).toEqual({
      ok: true,
      value: { form: 'read', n: 2, stat: 1, status: 'registered-home', registered: true, lac: '1F00', ci: '79D903', act: 7 },
    });
    expect(parseCereg('+CEREG: 1, 1F00, 79D903 ,7')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 1, lac: '1F00', act: 7 } });
    // test_cereg2_altair_lte_solicited / _unsolicited (Altair LTE): searching
    expect(parseCereg('+CEREG: 1, 2, 0001, 00000100, 7')).toMatchObject({ ok: true, value: { form: 'read', n: 1, stat: 2, registered: false } });
    expect(parseCereg('+CEREG: 2, 0001, 00000100, 7')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 2, lac: '0001' } });
    // test_cereg2_novatel_lte_solicited (Novatel E362: an extra field between TAC and cell id): the stat is what counts
    expect(parseCereg('+CEREG: 2,1, 1F00, 20 ,79D903 ,7')).toMatchObject({ ok: true, value: { form: 'read', stat: 1, registered: true } });
    expect(parseCereg('+CEREG: 1, 1F00, 20 ,79D903 ,7')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 1 } });
    // test_cereg1_solicited / test_cgreg2_unsolicited_with_rac / test_cgreg2_thuraya_solicited
    expect(parseCereg('+CEREG: 1,3')).toMatchObject({ ok: true, value: { form: 'read', n: 1, stat: 3, status: 'denied' } });
    expect(parseCgreg('+CGREG: 1,"1422","00000142",3,"00"')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 1, lac: '1422', act: 3 } });
    expect(parseCgreg('+CGREG: 2, 1, "0426", "F00F"')).toMatchObject({ ok: true, value: { form: 'read', n: 2, stat: 1, registered: true } });
  });

  it('Nordic nRF91 AT commands (cereg read/set pages): quoted forms, and <n> 4 and 5 (PSM timers)', () => {
    expect(parseCereg('+CEREG: 1,"002F","0012BEEF",7')).toMatchObject({ ok: true, value: { form: 'unsolicited', stat: 1, lac: '002F', ci: '0012BEEF' } });
    expect(parseCereg('+CEREG: 5,1,"002F","0012BEEF",7,,,"11100000","11100000"')).toMatchObject({ ok: true, value: { form: 'read', n: 5, stat: 1 } });
    expect(parseCreg('+CREG: 5,1,"002F","0012BEEF",7')).toMatchObject({ ok: false, failure: 'corrupt' }); // +CREG has no n=5
  });

  it('Quectel EC25EUX (forums.quectel.com/t/lte-b28-causes-ec25eux-to-remain-in-search-state-and-unable-to-connect/53540): `+CEREG: 0,2` searching; a +CREG line is not a +CEREG answer', () => {
    expect(parseCereg('+CEREG: 0,2')).toMatchObject({ ok: true, value: { form: 'read', n: 0, stat: 2, registered: false } });
    expect(parseCereg('+CREG: 0,1')).toMatchObject({ ok: false, failure: 'not-mine' });
    expect(ceregRead().line).toBe('AT+CEREG?');
    expect(cgregRead().line).toBe('AT+CGREG?');
  });

  it('the engine takes the read form as AT+CEREG?\'s answer; a +CEREG URC arriving meanwhile goes to subscribers', async () => {
    const modem = new FakeModem();
    const engine = new AtEngine(modem, { clock: new ManualClock() });
    const urcs: Urc[] = [];
    engine.onUrc((u) => urcs.push(u));
    const p = engine.send(ceregRead());
    modem.feed('\r\n+CEREG: 1,"002F","0012BEEF",7\r\n\r\n+CEREG: 2,1,"002F","0012BEEF",7\r\n\r\nOK\r\n');
    const r: AtResult = await p;
    expect(r.status === 'final' && r.lines).toEqual(['+CEREG: 2,1,"002F","0012BEEF",7']);
    expect(urcs.map((u) => u.line)).toEqual(['+CEREG: 1,"002F","0012BEEF",7']);
  });
});
