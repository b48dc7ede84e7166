// Modem behaviours the simulator does not have, on a scripted modem behind a Port: ATH refused (AT+CHUP is
// the fallback), optional init steps refused (noted in the health detail, the line still comes up), a required
// step refused (down, retried).
import { describe, expect, it } from 'vitest';
import { SteppingClock } from '../../support/stepping-clock.js';
import { encodeSubmit } from '../../../protocol/sms/index.js';
import { lineWith, standard, type Script } from './scripted-port.js';

describe('a line on a scripted modem', () => {
  it('ATH refused: AT+CHUP ends the call, reported ended by handler', async () => {
    const x = await lineWith((c) => (c === 'ATH' ? ['ERROR'] : standard(c)));
    await x.bank.start();
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', csq: 17, registration: 1 });
    await x.urc('RING', '+CLIP: "+447700900123",145,,,,0');
    const r = await x.bank.hangUp('L1');
    expect(r).toEqual({ ok: true, detail: 'AT+CHUP: OK' });
    expect(x.log.slice(-2)).toEqual(['ATH', 'AT+CHUP']);
    expect(x.rec.calls.map((c) => (c.kind === 'ended' ? `ended ${c.endedBy}` : c.kind))).toEqual(['ringing', 'ended handler']);
    await x.bank.close();
  });

  it('a modem left in UCS2 (another program set AT+CSCS="UCS2") is set to GSM: a caller\'s number is read as digits, not hex', async () => {
    // In UCS2, +CLIP writes each character of the number as four hex digits (27.007 5.5): 07700900123 becomes
    // 00300037003700300030003900300030003100320033, all digits, which no handset's number matches.
    let charset = 'UCS2';
    const ucs2 = (s: string) => [...s].map((ch) => ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')).join('');
    const x = await lineWith((c) => {
      if (c.startsWith('AT+CSCS=')) {
        charset = c.slice('AT+CSCS="'.length, -1);
        return ['OK'];
      }
      return standard(c);
    });
    await x.bank.start();
    expect(x.log).toContain('AT+CSCS="GSM"');
    const number = charset === 'UCS2' ? ucs2('07700900123') : '07700900123';
    await x.urc('RING', `+CLIP: "${number}",129,,,,0`);
    expect(x.rec.calls[0]).toMatchObject({ kind: 'ringing', number: '07700900123', toa: 129 });
    await x.bank.close();
  });

  it('optional init steps refused are noted in the detail; the line still comes up', async () => {
    const x = await lineWith((c) => (c === 'AT+CLIP=1' || c.startsWith('AT+CPMS') || c === 'AT+CREG=2' ? ['+CME ERROR: 4'] : standard(c)));
    await x.bank.start();
    const h = x.bank.health()[0]!;
    expect(h.state).toBe('up');
    expect(x.rec.health.some((r) => /AT\+CLIP=1 refused: caller id/.test(r.detail) && /AT\+CPMS="SM","SM","SM" refused/.test(r.detail))).toBe(true);
    expect(x.log).toContain('AT+CREG=1'); // the fallback
    await x.bank.close();
  });

  it('one restart printed over seconds (RDY, +CFUN, +CPIN, Call Ready, SMS Ready) is one restart: a call ringing before SMS Ready is answered', async () => {
    const inCall = ['+CLCC: 1,1,0,0,0,"+447700900123",145', 'OK'];
    const x = await lineWith((c) => (c === 'ATA' ? [] : c === 'AT+CLCC' ? inCall : standard(c)));
    await x.bank.start();
    x.clock.advance(20_000);
    await x.urc('RDY', '+CFUN: 1', '+CPIN: READY');
    x.clock.advance(3000);
    await x.urc('Call Ready');
    await x.urc('RING', '+CLIP: "+447700900123",145,,,,0');
    const answering = x.bank.answer('L1');
    await x.settle();
    x.clock.advance(2000);
    await x.urc('SMS Ready');
    await x.urc('OK'); // the modem's answer to ATA
    expect(await answering).toEqual({ ok: true, detail: 'OK' });
    expect(x.rec.calls.map((c) => c.kind)).toEqual(['ringing', 'answered']);
    expect(x.bank.metrics()[0]!.reconnects).toBe(1);
    // The settings are sent again once the modem says it is ready (a modem refuses some until then).
    expect(x.log.filter((c) => c === 'AT+CNMI=2,1,0,0,0').length).toBeGreaterThanOrEqual(3);
    expect(x.bank.health()[0]!.state).toBe('up');
    await x.bank.close();
  });

  it('a Cinterion/Siemens restart (^SYSSTART, its only boot line) re-initialises the line: its new-SMS indications are set again', async () => {
    const x = await lineWith(standard);
    await x.bank.start();
    const cnmiBefore = x.log.filter((c) => c === 'AT+CNMI=2,1,0,0,0').length;
    x.clock.advance(20_000);
    await x.urc('^SYSSTART');
    await x.settle();
    expect(x.bank.metrics()[0]!.reconnects).toBe(1);
    expect(x.log.filter((c) => c === 'AT+CNMI=2,1,0,0,0').length).toBe(cnmiBefore + 1);
    expect(x.bank.health()[0]!.state).toBe('up');
    await x.bank.close();
  });

  it('+CMTI read back unreadable (noise in the PDU line): the storage is listed again at once, not a minute later', async () => {
    const pdu = '0791447758100650040C914477000970980000627032214150000005E8329BFD06';
    let stored = false;
    const x = await lineWith((c) => {
      if (c === 'AT+CMGR=3') return ['+CMGR: 0,,24', `${pdu.slice(0, 20)}G${pdu.slice(21)}`, 'OK'];
      if (c === 'AT+CMGL=4' && stored) return ['+CMGL: 3,0,,24', pdu, 'OK'];
      return standard(c);
    });
    await x.bank.start();
    stored = true;
    await x.urc('+CMTI: "SM",3');
    expect(x.rec.sms.map((s) => [s.index, s.pdu])).toEqual([[3, pdu]]);
    expect(x.bank.metrics()[0]!.smsCorrupt).toBe(1);
    await x.bank.close();
  });

  it('an ATA queued behind a slow command for a caller who hangs up is not sent: it would answer the next caller', async () => {
    const x = await lineWith((c) => (c === 'AT+CMGR=5' ? [] : standard(c)));
    await x.bank.start();
    await x.urc('+CMTI: "SM",5');
    expect(x.log.at(-1)).toBe('AT+CMGR=5'); // the modem takes its time
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    const answering = x.bank.answer('L1');
    await x.urc('NO CARRIER');
    await x.urc('RING', '+CLIP: "+447700900222",145,,,,0');
    await x.urc('OK'); // AT+CMGR=5 ends (an empty slot)
    expect(await answering).toMatchObject({ ok: false, detail: expect.stringMatching(/^the call ended before ATA was sent/) });
    expect(x.log).not.toContain('ATA');
    expect(x.rec.calls.map((c) => c.kind)).toEqual(['ringing', 'ended', 'ringing']);
    expect(await x.bank.answer('L1')).toEqual({ ok: true, detail: 'OK' }); // the second caller, when asked for
    expect(x.rec.calls.at(-1)?.kind).toBe('answered');
    await x.bank.close();
  });

  it('an ATH queued behind a slow command for a caller who hangs up is not sent: it would reject the next caller', async () => {
    const x = await lineWith((c) => (c === 'AT+CMGR=5' ? [] : standard(c)));
    await x.bank.start();
    await x.urc('+CMTI: "SM",5');
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    const hanging = x.bank.hangUp('L1');
    await x.urc('NO CARRIER');
    await x.urc('RING', '+CLIP: "+447700900222",145,,,,0');
    await x.urc('OK'); // AT+CMGR=5 ends (an empty slot)
    expect(await hanging).toEqual({ ok: true, detail: 'the call ended before ATH was sent' });
    expect(x.log).not.toContain('ATH');
    // The caller hung up before our ATH went out: ended by the caller, not by the handler.
    expect(x.rec.calls.map((c) => (c.kind === 'ended' ? `ended by ${c.endedBy}` : c.kind))).toEqual(['ringing', 'ended by caller', 'ringing']);
    await x.bank.close();
  });

  it('a storage entry listed with an empty PDU line is counted corrupt; the entry after it is still read', async () => {
    const pdu = '0791447758100650040C914477000970980000627032214150000005E8329BFD06';
    const x = await lineWith((c) => (c === 'AT+CMGL=4' ? ['+CMGL: 1,0,,0', '', '+CMGL: 2,0,,24', pdu, 'OK'] : standard(c)));
    await x.bank.start();
    expect(x.rec.sms.map((s) => [s.index, s.pdu])).toEqual([[2, pdu]]);
    expect(x.bank.metrics()[0]!.smsCorrupt).toBe(1);
    await x.bank.close();
  });

  it('a nearly full SMS storage is in the line health until it is emptied: a full SIM refuses reports while the line looks up', async () => {
    let used = 28;
    const x = await lineWith((c) => (c === 'AT+CPMS?' ? [`+CPMS: "SM",${used},30,"SM",${used},30,"SM",${used},30`, 'OK'] : standard(c)));
    await x.bank.start();
    await x.settle();
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', storage: { used: 28, total: 30 } });
    expect(x.bank.health()[0]!.detail).toMatch(/SMS storage 28\/30 nearly full/);
    // The storage is read again after each scan (every minute): full, then cleared by hand.
    const nextScan = async () => {
      for (let i = 0; i < 2; i++) {
        x.clock.advance(30_000);
        await x.settle();
      }
    };
    used = 30;
    await nextScan();
    expect(x.bank.health()[0]!.detail).toMatch(/SMS storage 30\/30 FULL: new SMS are refused/);
    used = 1;
    await nextScan();
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', storage: { used: 1, total: 30 } });
    expect(x.bank.health()[0]!.detail).not.toMatch(/SMS storage/);
    expect(x.rec.health.filter((r) => /SMS storage/.test(r.detail)).length).toBeGreaterThan(0);
    await x.bank.close();
  });

  it('a modem that does not answer AT+CPMS? leaves the storage unknown, and the line up', async () => {
    const x = await lineWith((c) => (c === 'AT+CPMS?' ? ['ERROR'] : standard(c)));
    await x.bank.start();
    await x.settle();
    expect(x.log).toContain('AT+CPMS?');
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', storage: null });
    await x.bank.close();
  });

  it('a stored SMS whose delete the SIM refuses is not handed out again at every scan: only the delete is retried', async () => {
    const pdu = '0791447758100650040C914477000970980000627032214150000005E8329BFD06';
    let onSim = true;
    let refuse = true;
    const x = await lineWith((c) => {
      if (c === 'AT+CMGL=4') return onSim ? ['+CMGL: 3,1,,24', pdu, 'OK'] : ['OK'];
      if (c === 'AT+CMGR=3') return onSim ? ['+CMGR: 1,,24', pdu, 'OK'] : ['OK'];
      if (c === 'AT+CMGD=3') {
        if (refuse) return ['+CMS ERROR: 320'];
        onSim = false;
        return ['OK'];
      }
      return standard(c);
    });
    // The core stores each SMS, then releases it.
    const released: string[] = [];
    const store = x.rec.onSms.bind(x.rec);
    x.rec.onSms = (sms) => {
      store(sms);
      sms.release().then(() => released.push('deleted'), (e: unknown) => released.push(String(e)));
    };
    await x.bank.start();
    await x.settle();
    expect(x.rec.sms.length).toBe(1);
    expect(released[0]).toMatch(/SMS 3 not deleted \(\+CMS ERROR: 320/);
    for (let i = 0; i < 20; i++) {
      x.clock.advance(30_000); // ten minutes of polls; a storage scan every minute
      await x.settle();
    }
    expect(x.rec.sms.length).toBe(1); // was 11: stored again at every scan
    expect(x.log.filter((c) => c === 'AT+CMGD=3').length).toBeGreaterThanOrEqual(10);
    refuse = false;
    for (let i = 0; i < 2; i++) {
      x.clock.advance(30_000);
      await x.settle();
    }
    expect(onSim).toBe(false);
    expect(x.bank.metrics()[0]!.smsDeleted).toBe(1);
    expect(x.rec.sms.length).toBe(1);
    await x.bank.close();
  });

  it('a +CMTI the modem repeats while that slot is being read queues no second AT+CMGR (one per repeat grew the queue without bound)', async () => {
    const x = await lineWith((c) => (c === 'AT+CMGR=5' ? [] : standard(c)));
    await x.bank.start();
    for (let i = 0; i < 50; i++) await x.urc('+CMTI: "SM",5');
    expect(x.log.filter((c) => c === 'AT+CMGR=5')).toHaveLength(1);
    // The read ends (an empty slot): nothing was queued behind it (before: 49 more reads, one per answer).
    for (let i = 0; i < 3; i++) await x.urc('OK');
    expect(x.log.filter((c) => c === 'AT+CMGR=5')).toHaveLength(1);
    // A later +CMTI for the slot is read again.
    await x.urc('+CMTI: "SM",5');
    expect(x.log.filter((c) => c === 'AT+CMGR=5')).toHaveLength(2);
    await x.bank.close();
  });

  /**
   * A modem holding one SMS in slot 1, listed with `cmgl` and read back with `cmgr` (each followed by the PDU):
   * the line hands it out once, and the release deletes it. Returns the line after the release.
   */
  async function listedAndReleased(cmgl: string, cmgr: string, pduLine = (pdu: string) => pdu) {
    const pdu = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D';
    let onSim = true;
    const x = await lineWith((c) => {
      if (c === 'AT+CMGL=4') return onSim ? [cmgl, pduLine(pdu), 'OK'] : ['OK'];
      if (c === 'AT+CMGR=1') return onSim ? [cmgr, pduLine(pdu), 'OK'] : ['OK'];
      if (c === 'AT+CMGD=1') {
        onSim = false;
        return ['OK'];
      }
      return standard(c);
    });
    await x.bank.start();
    expect(x.rec.sms.map((s) => [s.index, s.pdu])).toEqual([[1, pdu]]);
    await x.rec.sms[0]!.release();
    expect(onSim).toBe(false);
    return x;
  }

  it('a modem that leaves out the <alpha> field (+CMGL: 1,0,27, +CMGR: 1,27) has its SMS handed out and deleted', async () => {
    // pmoerenhout/atcommander ListMessagesResponseTest "cmgl_pdu_rec_read_without_alpha" (gammu tests/at-sms/07..11
    // show the same form for +CMGR). Refused as corrupt, such a message stayed on the SIM: never handed out.
    const x = await listedAndReleased('+CMGL: 1,0,27', '+CMGR: 1,27');
    expect(x.bank.metrics()[0]).toMatchObject({ smsCorrupt: 0, smsDeleted: 1 });
    await x.bank.close();
  });

  it('a read-back in a form the parser does not know (+CMGR: 27, the length alone) but with the same PDU is deleted', async () => {
    // gammu tests/at-sms/38 (+CMGR: <length> only). Not deleted, the message was listed and stored again at
    // every scan (1,440 times a day) and its slot never freed.
    const x = await listedAndReleased('+CMGL: 1,0,,27', '+CMGR: 27');
    expect(x.bank.metrics()[0]).toMatchObject({ smsDeleted: 1 });
    await x.bank.close();
  });

  it('a modem answering AT+CREG? with an empty LAC (+CREG: 2,1,"","605F") is up, not unregistered', async () => {
    // gammu tests/at-creg-corner/empty-lac.dump.
    const x = await lineWith((c) => (c === 'AT+CREG?' ? ['+CREG: 2,1,"","605F"', 'OK'] : standard(c)));
    await x.bank.start();
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', registration: 1 });
    await x.bank.close();
  });

  it('an SMS stored with a stray quote after its PDU (gammu tests/at-sms/04) is handed out and deleted, not left on the SIM', async () => {
    // gammu tests/at-sms/04.dump, a captured AT+CMGR answer (the at-sms cases are ones gammu must read): the PDU line
    // ends with `"`. Refused as "not hex", the entry was counted corrupt and left on the SIM for good: a report
    // from a handset never reached the control room, and the slot was never freed.
    const x = await listedAndReleased('+CMGL: 1,0,,27', '+CMGR: 0,,27', (pdu) => `${pdu}"`);
    expect(x.bank.metrics()[0]).toMatchObject({ smsCorrupt: 0, smsDeleted: 1 });
    await x.bank.close();
  });

  it('a listing whose PDU line has the next entry glued to it (gammu at-sms.c) hands out both messages', async () => {
    // gammu libgammu/phone/at/at-sms.c, ATGEN_ReplyGetMessageList: "Some phones corrupt output and do not put new
    // line before +CMGL occasionally". Both messages were held back until a clean listing: the first counted
    // corrupt, the second never seen (its PDU line stray).
    const a = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D';
    const b = '0791447758100650040C914477000970980000627032214150000005E8329BFD06';
    const x = await lineWith((c) => (c === 'AT+CMGL=4' ? ['+CMGL: 1,0,,27', `${a}+CMGL: 2,0,,24`, b, 'OK'] : standard(c)));
    await x.bank.start();
    expect(x.rec.sms.map((s) => [s.index, s.pdu])).toEqual([
      [1, a],
      [2, b],
    ]);
    expect(x.bank.metrics()[0]).toMatchObject({ smsCorrupt: 0 });
    await x.bank.close();
  });

  it.each([
    // gammu tests/at-sms/38.dump: `+CMGR: 24`, the length alone (no <stat>).
    ['+CMGR: 27', 'the length alone (gammu at-sms/38)'],
    // gammu tests/at-sms/39.dump: `+CMGR: ,,92`, an empty <stat>.
    ['+CMGR: ,,27', 'an empty <stat> (gammu at-sms/39)'],
  ])('+CMTI read back as %s (%s): handed out from that read, not counted corrupt', async (header) => {
    // Refused as "SMS status invalid", each such message was counted corrupt and needed a second read, a listing
    // of the whole storage (on a modem whose listing is no better, it was never read).
    const pdu = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D';
    let onSim = false;
    const x = await lineWith((c) => {
      if (c === 'AT+CMGR=3') return onSim ? [header, pdu, 'OK'] : ['OK'];
      if (c === 'AT+CMGL=4') return onSim ? ['+CMGL: 3,0,,27', pdu, 'OK'] : ['OK'];
      if (c === 'AT+CMGD=3') {
        onSim = false;
        return ['OK'];
      }
      return standard(c);
    });
    await x.bank.start();
    onSim = true;
    await x.urc('+CMTI: "SM",3');
    expect(x.rec.sms.map((s) => [s.index, s.pdu])).toEqual([[3, pdu]]);
    expect(x.log.filter((c) => c === 'AT+CMGL=4')).toHaveLength(1); // the one at start-up: no rescan was needed
    await x.rec.sms[0]!.release();
    expect(onSim).toBe(false);
    expect(x.bank.metrics()[0]).toMatchObject({ smsCorrupt: 0, smsDeleted: 1 });
    await x.bank.close();
  });

  it.each([
    // ModemManager src/tests/test-modem-helpers.c, test_creg2_iridium_solicited: every integer zero-padded to 3 digits.
    ['+CREG:002,001,"18d8","ffff"', 'Iridium'],
    // ModemManager test_creg2_leading_zeros_solicited.
    ['+CREG:002,001,"0001","0010"', 'leading zeros'],
    // ModemManager test_creg2_gobi_weird_solicited (Qualcomm Gobi 1000): a LAC with spaces inside.
    ['+CREG: 2,1,  0 5, 2715', 'Qualcomm Gobi 1000'],
  ])('a modem answering AT+CREG? with %s (%s) is up, not unregistered', async (answer) => {
    // The Iridium form was taken for a URC saying stat 2 (searching) and the Gobi one refused as corrupt: either
    // way a registered line was counted down (skipped for every TSC1 SMS, not counted by /healthz).
    const x = await lineWith((c) => (c === 'AT+CREG?' ? [answer, 'OK'] : standard(c)));
    await x.bank.start();
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', registration: 1, registeredIn: 'cs' });
    await x.bank.close();
  });

  it('a burst of +CREG URCs saying not registered queues one registration check, not one per URC: an ATA is not held up', async () => {
    // Each such URC asked AT+CGREG? and AT+CEREG? on its own: 100 of them (a modem flapping at the edge of coverage,
    // a garbled line) queued ~150 commands, and the ATA for a 999 call that rang then was written 150th.
    const x = await lineWith((c) => (c === 'AT+CGREG?' || c === 'AT+CEREG?' ? ['ERROR'] : standard(c)));
    await x.bank.start();
    const before = x.log.length;
    await x.urc(...Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? '+CREG: 2' : '+CREG: 0')), 'RING', '+CLIP: "+447700900123",145,,,,0');
    expect(await x.bank.answer('L1')).toEqual({ ok: true, detail: 'OK' });
    await x.settle();
    const after = x.log.slice(before);
    expect(after.indexOf('ATA')).toBeLessThanOrEqual(4);
    expect(after.filter((c) => c === 'AT+CGREG?' || c === 'AT+CEREG?').length).toBeLessThanOrEqual(4);
    // The latest URC is what the line says: +CREG: 0, no other domain registered.
    expect(x.bank.health()[0]).toMatchObject({ state: 'unregistered', registration: 0 });
    await x.bank.close();
  });

  it('a burst of +CMTI whose reads fail queues one storage listing, not one per message', async () => {
    // Each failed read asks for a listing (AT+CMGL=4, up to 30 s, the whole storage printed). A backlog of 30
    // +CMTI (a line back from an outage) whose reads the modem refused (+CMS ERROR: 321: the indication names a
    // memory the line does not read, docs/lines.md "Not done") queued 30 listings, every command after them waiting.
    const x = await lineWith((c) => (c.startsWith('AT+CMGR=') ? ['+CMS ERROR: 321'] : standard(c)));
    await x.bank.start();
    const before = x.log.length;
    await x.urc(...Array.from({ length: 30 }, (_, i) => `+CMTI: "ME",${i + 1}`));
    await x.settle();
    const after = x.log.slice(before);
    expect(after.filter((c) => c.startsWith('AT+CMGR=')).length).toBe(30);
    expect(after.filter((c) => c === 'AT+CMGL=4').length).toBeLessThanOrEqual(2);
    await x.bank.close();
  });

  it('a flood of +CMTI for distinct slots queues a bounded number of reads; the rest are served by one listing', async () => {
    // A read was queued per indication: 2,000 in a burst (a broken or garbled modem) queued 2,000 AT+CMGR, and an
    // ATA for a 999 call ringing then was written 2,001st. Each message is still read: by its AT+CMGR or the listing.
    const pdu = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D';
    const x = await lineWith((c) => {
      if (c === 'AT+CMGR=1999') return ['+CMGR: 0,,27', pdu, 'OK'];
      if (c.startsWith('AT+CMGR=')) return ['OK'];
      return c === 'AT+CMGL=4' ? ['+CMGL: 1999,0,,27', pdu, 'OK'] : standard(c);
    });
    await x.bank.start();
    const before = x.log.length;
    await x.urc(...Array.from({ length: 2000 }, (_, i) => `+CMTI: "SM",${i}`), 'RING', '+CLIP: "+447700900123",145,,,,0');
    expect(await x.bank.answer('L1')).toEqual({ ok: true, detail: 'OK' });
    const after = x.log.slice(before);
    expect(after.indexOf('ATA')).toBeLessThanOrEqual(40);
    expect(after.filter((c) => c === 'AT+CMGL=4').length).toBeLessThanOrEqual(2);
    expect(x.rec.sms.map((s) => [s.index, s.pdu])).toEqual([[1999, pdu]]);
    await x.bank.close();
  });

  it('answering and hanging up go ahead of the SMS reads already queued: the call handler does not wait for them', async () => {
    // A line back from an outage, or a handset tracking while its SIM filled, gets a +CMTI per stored message:
    // up to 32 reads queued, each 0.05-0.2 s on a real modem. ATA and ATH were written after all of them.
    const pdu = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D';
    const read = ['+CMGR: 0,,27', pdu, 'OK'];
    let slow = true; // a read's answer comes when the test gives it, so the other reads wait in the queue
    const x = await lineWith((c) => (c.startsWith('AT+CMGR=') ? (slow ? [] : read) : standard(c)));
    await x.bank.start();
    const before = x.log.length;
    await x.urc(...Array.from({ length: 30 }, (_, i) => `+CMTI: "SM",${i + 1}`), 'RING', '+CLIP: "+447700900123",145,,,,0');
    const answered = x.bank.answer('L1');
    await x.settle();
    await x.urc(...read);
    expect(await answered).toEqual({ ok: true, detail: 'OK' });
    const hungUp = x.bank.hangUp('L1');
    await x.settle();
    await x.urc(...read);
    expect(await hungUp).toMatchObject({ ok: true });
    // Only the read in flight when the handler asked went first.
    expect(x.log.slice(before, before + 4)).toEqual(['AT+CMGR=1', 'ATA', 'AT+CMGR=2', 'ATH']);
    // Every message is still read.
    slow = false;
    await x.urc(...read);
    for (let i = 0; i < 20 && x.rec.sms.length < 30; i++) await x.settle();
    expect(x.rec.sms.map((s) => s.index ?? -1).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    await x.bank.close();
  });

  it('a RING without +CLIP behind queued SMS reads: its AT+CLCC goes ahead of them, and she rings with her number at once', async () => {
    // Her handset sends its ALM report (SMS) and dials; the network gives no +CLIP. The caller id's AT+CLCC was
    // queued behind every SMS read waiting (up to 32 after an outage, 0.05-0.2 s each): the call was shown
    // seconds late (and on a modem without AT+CLCC its AT+CPAS queued behind the reads that came meanwhile).
    const pdu = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D';
    const read = ['+CMGR: 0,,27', pdu, 'OK'];
    let slow = true;
    const x = await lineWith((c) =>
      c.startsWith('AT+CMGR=') ? (slow ? [] : read) : c === 'AT+CLCC' ? ['+CLCC: 1,1,4,0,0,"+447700900123",145', 'OK'] : standard(c),
    );
    await x.bank.start();
    const before = x.log.length;
    await x.urc(...Array.from({ length: 30 }, (_, i) => `+CMTI: "SM",${i + 1}`), 'RING');
    x.clock.advance(300);
    await x.settle();
    await x.urc(...read); // the read in flight ends
    expect(x.log.slice(before, before + 2)).toEqual(['AT+CMGR=1', 'AT+CLCC']);
    expect(x.rec.calls).toMatchObject([{ kind: 'ringing', number: '+447700900123' }]);
    expect(x.rec.sms).toHaveLength(1);
    slow = false;
    await x.urc(...read);
    for (let i = 0; i < 20 && x.rec.sms.length < 30; i++) await x.settle();
    expect(x.rec.sms).toHaveLength(30);
    await x.bank.close();
  });

  it('a wall clock stepped back does not stop the periodic storage scan (the net under a lost +CMTI)', async () => {
    // The scan ran when the wall clock had moved storageScanMs past the last one: stepped back 4 h (NTP,
    // `date -s`), it ran again only 4 h later, and an SMS whose +CMTI was lost waited on the SIM until then.
    const pdu = '07911346101919F9040B911316240486F900007160621123918009C8309BFD0641D36D';
    let stored = false;
    const clock = new SteppingClock(Date.UTC(2026, 10, 24, 3, 0, 0));
    const x = await lineWith((c) => (c === 'AT+CMGL=4' && stored ? ['+CMGL: 3,0,,27', pdu, 'OK'] : standard(c)), ['mock:scripted'], clock);
    await x.bank.start();
    clock.stepWall(-4 * 3_600_000);
    stored = true; // arrived with no +CMTI (lost in line noise, or during a re-init)
    for (let s = 0; s < 3 * 60 && x.rec.sms.length === 0; s += 10) {
      await clock.advanceAsync(10_000, 100);
      await x.settle();
    }
    expect(x.rec.sms.map((m) => [m.index, m.pdu])).toEqual([[3, pdu]]);
    await x.bank.close();
  });

  // Modems whose only report of the caller hanging up is a vendor line, with no NO CARRIER:
  // - Huawei (python-gsmmodem test/fakemodems.py, HuaweiK3715 and HuaweiE1752): `^CEND:1,5,29,16`
  //   (^CEND:<id>,<duration>,<end status>,<cc cause>);
  // - ZTE (python-gsmmodem test/fakemodems.py, ZteK3565Z and QualcommM6280, a ZTE modem): `HANGUP: 1`
  //   (python-gsmmodem's modem.py ends the call on `^HANGUP:\s*(\d+)$` for ZTE modems).
  it.each([
    ['Huawei', '^CEND:1,5,29,16'],
    ['ZTE', 'HANGUP: 1'],
  ])('a %s modem ends a call with %s and no NO CARRIER: the call ends at once, not at the next 30 s poll', async (_vendor, hangUp) => {
    let connected = true;
    const x = await lineWith((c) => (c === 'AT+CLCC' ? (connected ? ['+CLCC: 1,1,0,0,0,"+447700900123",145', 'OK'] : ['OK']) : standard(c)));
    await x.bank.start();
    await x.urc('+CRING: VOICE', '+CLIP: "+447700900123",145,,,,0');
    expect(await x.bank.answer('L1')).toEqual({ ok: true, detail: 'OK' });
    connected = false;
    await x.urc(hangUp);
    expect(x.rec.calls.map((c) => (c.kind === 'ended' ? `ended by ${c.endedBy}` : c.kind))).toEqual(['ringing', 'answered', 'ended by caller']);
    await x.bank.close();
  });

  it('a SIMCom 3G/4G restart (START, +CPIN: READY, SMS DONE, PB DONE): the SMS settings are sent again once SMS DONE says they can be', async () => {
    // SIMCom SIM5320/SIM5360/SIM7x00 print `START`, `+CPIN: READY`, `SMS DONE`, `PB DONE` at power-up and answer
    // `+CME ERROR: SIM busy` before PB DONE (the FONA 3G (SIM5320) driver of Inca Roads' Safecast Solarcast firmware
    // takes `START` for a spontaneous reset and waits for PB DONE for that reason; a SIM5360 TCP driver lists START,
    // SMS DONE and PB DONE as its power-up URCs). Quectel prints
    // `+QIND: SMS DONE` likewise. Sent before, AT+CNMI was refused and no +CMTI came until the port was reopened.
    let smsReady = true;
    const x = await lineWith((c) => (/^AT\+(CNMI|CPMS)/.test(c) && !smsReady ? ['+CME ERROR: 14'] : standard(c)));
    await x.bank.start();
    x.clock.advance(20_000);
    smsReady = false;
    await x.urc('START');
    await x.urc('+CPIN: READY');
    x.clock.advance(3000);
    smsReady = true;
    await x.urc('SMS DONE');
    x.clock.advance(3000);
    await x.urc('PB DONE');
    await x.settle();
    expect(x.log.at(-1)).toBe('AT+CPMS?'); // the last re-initialisation ran to its end
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', detail: 'initialised' });
    expect(x.bank.metrics()[0]!.reconnects).toBe(1);
    await x.bank.close();
  });

  it('a modem that answers AT+CPIN? with `+CPIN: READY` and no OK has its SIM reported ready, not "no answer"', async () => {
    // python-gsmmodem test/fakemodems.py, WavecomMultiband900E1800: "+CPIN replies are not ended with OK".
    const x = await lineWith((c) => (c === 'AT+CPIN?' ? ['+CPIN: READY'] : standard(c)));
    const started = x.bank.start();
    for (let i = 0; i < 20; i++) {
      x.clock.advance(500);
      await x.settle();
    }
    await started;
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', detail: 'initialised' });
    await x.bank.close();
  });

  it('PDU mode refused: the line is down with the reason and retried after the backoff', async () => {
    const x = await lineWith((c) => (c === 'AT+CMGF=0' ? ['+CMS ERROR: 303'] : standard(c)));
    await x.bank.start();
    expect(x.bank.health()[0]!.state).toBe('down');
    expect(x.bank.health()[0]!.detail).toMatch(/^init failed at AT\+CMGF=0 \(PDU mode\): \+CMS ERROR: 303; retry in \d+ ms$/);
    const opens = x.log.filter((c) => c === 'ATQ0V1').length;
    x.clock.advance(500);
    await x.settle();
    expect(x.log.filter((c) => c === 'ATQ0V1').length).toBe(opens + 1);
    await x.bank.close();
  });
});

// A modem registered on LTE (EPS) only: 27.007 7.2 +CREG reports the circuit-switched domain alone, so such a
// modem answers AT+CREG? "not registered" (0), "searching" (2) or "unknown" (4) while AT+CEREG? (10.1.22) says
// registered. LTE-only and LTE-first modems do this (Quectel EC25/EG25, SIMCom SIM7600, u-blox SARA-R4/R5) on a
// network without CS fallback for them, such as UK networks since 3G was switched off. ModemManager takes a modem
// as registered when any of CS, PS (+CGREG) or EPS (+CEREG) says home or roaming (mm-iface-modem-3gpp.c,
// get_consolidated_reg_state); the line does the same, and says which domain in its detail.
describe('a line on a modem registered for LTE (EPS) or packet data (PS) only', () => {
  // The +CEREG forms are ModemManager's (src/tests/test-modem-helpers.c, test_cereg2_solicited: `+CEREG: 2,1, 1F00,
  // 79D903 ,7`, unquoted and spaced) and 27.007's quoted one (`+CEREG: 2,1,"1F00","0079D903",7`).
  const lteOnly = (creg: string, cereg: string): Script => (c) => {
    if (c === 'AT+CREG?') return [creg, 'OK'];
    if (c === 'AT+CGREG?') return ['+CGREG: 0,0', 'OK'];
    if (c === 'AT+CEREG?') return [cereg, 'OK'];
    if (c.startsWith('AT+CMGS=')) return ['> '];
    if (/^[0-9A-F]+$/.test(c)) return ['+CMGS: 7', 'OK'];
    return standard(c);
  };
  const tsc1 = encodeSubmit('+447700900123', 'TSC1;h=H1;n=1;c=STOP;m=AAAAAAAAAAA').map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));

  it('+CREG: 2,0 with +CEREG: 2,1: the line is up (registered on LTE), and a TSC1 command goes out from it', async () => {
    const x = await lineWith(lteOnly('+CREG: 2,0', '+CEREG: 2,1, 1F00, 79D903 ,7'));
    await x.bank.start();
    const h = x.bank.health()[0]!;
    expect(h).toMatchObject({ state: 'up', registration: 1, registeredIn: 'eps' });
    expect(h.detail).toMatch(/registered-home on LTE only/);
    expect(h.detail).toMatch(/VoLTE/); // honest: no circuit-switched registration, calls only by VoLTE
    const sent = await x.bank.sendSms(tsc1);
    expect(sent).toEqual({ ok: true, detail: '+CMGS: 7', lineId: 'L1' });
    await x.bank.close();
  });

  it('+CREG: 0,4 ("unknown", as some LTE modems answer) with +CEREG roaming: up, roaming', async () => {
    const x = await lineWith(lteOnly('+CREG: 0,4', '+CEREG: 0,5'));
    await x.bank.start();
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', registration: 5 });
    expect(x.bank.health()[0]!.detail).toMatch(/registered-roaming on LTE only/);
    await x.bank.close();
  });

  it('+CGREG registered (packet only) with +CREG searching: up, the detail says packet-switched only', async () => {
    // ModemManager test_cgreg2_thuraya_solicited: `+CGREG: 2, 1, "0426", "F00F"`.
    const x = await lineWith((c) => (c === 'AT+CREG?' ? ['+CREG: 2,2', 'OK'] : c === 'AT+CGREG?' ? ['+CGREG: 2, 1, "0426", "F00F"', 'OK'] : c === 'AT+CEREG?' ? ['+CEREG: 2,4', 'OK'] : standard(c)));
    await x.bank.start();
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', registration: 1, registeredIn: 'ps' });
    expect(x.bank.health()[0]!.detail).toMatch(/registered-home for packet data only/);
    await x.bank.close();
  });

  it('registered in no domain: unregistered, with the circuit-switched status', async () => {
    const x = await lineWith(lteOnly('+CREG: 2,2', '+CEREG: 2,2'));
    await x.bank.start();
    expect(x.bank.health()[0]).toMatchObject({ state: 'unregistered', registration: 2, detail: 'initialised' });
    expect((await x.bank.sendSms(tsc1)).ok).toBe(false);
    await x.bank.close();
  });

  it('a modem registered for circuit-switched calls is not asked AT+CGREG? or AT+CEREG?', async () => {
    const x = await lineWith(lteOnly('+CREG: 2,1,"1A2B","00C3"', '+CEREG: 2,1,"1F00","0079D903",7'));
    await x.bank.start();
    x.clock.advance(30_000);
    await x.settle();
    expect(x.log.filter((c) => c === 'AT+CREG?').length).toBe(2);
    expect(x.log.filter((c) => c === 'AT+CGREG?' || c === 'AT+CEREG?')).toEqual([]);
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', registration: 1, detail: 'registration registered-home' });
    await x.bank.close();
  });

  it('an old GSM modem that answers ERROR to AT+CEREG? (and AT+CGREG?): unregistered as before, with its +CREG status, not down', async () => {
    // python-gsmmodem's fake modems and the firmware-sim modem answer ERROR to a command they do not know.
    const x = await lineWith((c) => (c === 'AT+CREG?' ? ['+CREG: 2,2', 'OK'] : c === 'AT+CGREG?' || c === 'AT+CEREG?' ? ['ERROR'] : standard(c)));
    await x.bank.start();
    expect(x.bank.health()[0]).toMatchObject({ state: 'unregistered', registration: 2, detail: 'initialised' });
    x.clock.advance(30_000);
    await x.settle();
    expect(x.bank.health()[0]).toMatchObject({ state: 'unregistered', registration: 2, detail: 'registration searching' });
    expect(x.log.filter((c) => c === 'AT+CEREG?').length).toBe(2); // an ERROR costs nothing: asked at each poll
    expect(x.bank.metrics()[0]).toMatchObject({ timeouts: 0, reconnects: 0 });
    await x.bank.close();
  });

  it('a modem that does not answer AT+CEREG? at all is not asked again on that connection (each would cost a timeout)', async () => {
    const x = await lineWith((c) => (c === 'AT+CREG?' ? ['+CREG: 2,2', 'OK'] : c === 'AT+CEREG?' ? [] : standard(c)));
    const started = x.bank.start();
    for (let i = 0; i < 20; i++) {
      x.clock.advance(500);
      await x.settle();
    }
    await started;
    expect(x.bank.health()[0]).toMatchObject({ state: 'unregistered', registration: 2 });
    for (let i = 0; i < 35; i++) {
      x.clock.advance(2000);
      await x.settle();
    }
    expect(x.log.filter((c) => c === 'AT+CREG?').length).toBeGreaterThanOrEqual(3);
    expect(x.log.filter((c) => c === 'AT+CEREG?').length).toBe(1);
    expect(x.bank.health()[0]).toMatchObject({ state: 'unregistered', registration: 2, detail: 'registration searching' });
    await x.bank.close();
  });

  it('a +CREG: 0 URC on a line registered on LTE does not make it unregistered (the other domains are asked first)', async () => {
    const x = await lineWith(lteOnly('+CREG: 2,0', '+CEREG: 2,1,"1F00","0079D903",7'));
    await x.bank.start();
    await x.urc('+CREG: 0');
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', registration: 1 });
    expect(x.rec.health.filter((r) => r.state === 'unregistered')).toEqual([]);
    await x.bank.close();
  });

  it('a +CREG: 1 URC on a line registered on LTE only: registered for circuit-switched calls again', async () => {
    const x = await lineWith(lteOnly('+CREG: 2,0', '+CEREG: 2,1,"1F00","0079D903",7'));
    await x.bank.start();
    await x.urc('+CREG: 1,"1A2B","00C3"');
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', registration: 1, registeredIn: 'cs', detail: 'registration registered-home' });
    await x.bank.close();
  });

  it('+CREG: 2 then +CREG: 1 at once (a cell change): the line ends up, not unregistered by the check the first one began', async () => {
    const x = await lineWith(lteOnly('+CREG: 2,1', '+CEREG: 2,2'));
    await x.bank.start();
    await x.urc('+CREG: 2', '+CREG: 1');
    expect(x.bank.health()[0]).toMatchObject({ state: 'up', registration: 1, detail: 'registration registered-home' });
    await x.bank.close();
  });

  it('an SMS goes out from a line registered for circuit-switched service before one registered on LTE only', async () => {
    // SMS over CS (or SGs) works on every modem; a modem registered on LTE alone sends only with SMS over IMS.
    const x = await lineWith((c, spec) => lteOnly(spec === 'mock:cs' ? '+CREG: 2,1' : '+CREG: 2,0', '+CEREG: 2,1')(c, spec), ['mock:cs', 'mock:lte']);
    await x.bank.start();
    expect(x.bank.health().map((h) => h.state)).toEqual(['up', 'up']);
    expect(await x.bank.sendSms(tsc1)).toMatchObject({ ok: true, lineId: 'L1' });
    await x.bank.close();
  });
});
