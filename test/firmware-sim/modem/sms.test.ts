import { describe, expect, it } from 'vitest';
import { decodeDeliver, decodeStatusReport, encodeSubmit } from '../../../protocol/sms/index.js';
import { VirtualPhone, type NetworkEvent } from '../../../firmware-sim/network/index.js';
import { makeModem, makeNetwork, type Dte } from './harness.js';

// What smstools 3.1.21 sent for "Hello from smsd" to +447700900123 (../shared/corpus/at/smsd-modem.txt).
const SMSD_PDU = '0011000C914477000910320000FF0FC8329BFD0699E5EF3668DE9E9301';
// What gammu 1.42 sent, with an explicit SMSC (../shared/corpus/at/gammu-sendsms.txt).
const GAMMU_PDU = '079144775810065011000C914477000910320000FF0FD4F29C0E32CBDF6DD039DC6ED701';

function send(d: Dte, pdu: string, length: number): string {
  expect(d.at(`AT+CMGS=${length}`)).toBe('\r\n> ');
  d.send(`${pdu}\x1a`);
  return d.take();
}

/** The PDU lines of a +CMT / +CMGR / +CMGL answer. */
function pduLines(text: string): string[] {
  return text.split('\r\n').filter((l) => /^[0-9A-F]{20,}$/.test(l));
}

describe('SMS in PDU mode', () => {
  it('sends the PDUs smsd and gammu sent (length without the SMSC) and the network gets the text', () => {
    const { clock, network } = makeNetwork();
    const events: NetworkEvent[] = [];
    network.onEvent((e) => events.push(e));
    const phone = new VirtualPhone(network, '+447700900123');
    const d = makeModem(clock, network, '+447700900001');
    expect(send(d, SMSD_PDU, 28)).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    expect(send(d, GAMMU_PDU, 28)).toBe('\r\n+CMGS: 2\r\n\r\nOK\r\n');
    clock.advance(0);
    expect(phone.received.map((s) => [s.from, s.content.text])).toEqual([
      ['+447700900001', 'Hello from smsd'],
      ['+447700900001', 'Test from gammu'],
    ]);
    expect(events.filter((e) => e.type === 'sms-delivered')).toHaveLength(2);
  });

  it('refuses a length that counts the SMSC, a PDU that is not a SUBMIT, and cancels on ESC', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    expect(send(d, GAMMU_PDU, 36)).toBe('\r\n+CMS ERROR: 304\r\n');
    expect(send(d, '0791447758100650040C914477000970980000627032214150000005E8329BFD06', 24)).toBe('\r\n+CMS ERROR: 304\r\n');
    expect(d.at('AT+CMGS=28')).toBe('\r\n> ');
    d.send(`${SMSD_PDU.slice(0, 10)}\x1b`);
    expect(d.take()).toBe('\r\nOK\r\n');
    expect(network.smsPending).toBe(0);
  });

  it('echoes the PDU when echo is on, and holds URCs until the prompt is over', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001', { echo: true });
    const phone = new VirtualPhone(network, '+447700900123');
    d.at('AT+CNMI=2,1,0,0,0');
    expect(d.at('AT+CMGS=28')).toBe('AT+CMGS=28\r\r\n> ');
    d.send(SMSD_PDU.slice(0, 6));
    expect(d.take()).toBe(SMSD_PDU.slice(0, 6));
    phone.sendSms('+447700900001', 'meanwhile');
    clock.advance(0);
    expect(d.take()).toBe('');
    d.send(`${SMSD_PDU.slice(6)}\x1a`);
    const out = d.take();
    expect(out).toBe(`${SMSD_PDU.slice(6)}\r\n+CMGS: 1\r\n\r\nOK\r\n\r\n+CMTI: "SM",1\r\n`);
  });

  it('+CMS ERROR: 331 without network service', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    network.setRadio('+447700900001', { registration: 'searching', rssi: 99 });
    expect(send(d, SMSD_PDU, 28)).toBe('\r\n+CMS ERROR: 331\r\n');
    network.setRadio('+447700900001', { registration: 'roaming', rssi: 10 });
    expect(send(d, SMSD_PDU, 28)).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
  });

  it('CNMI mt=2 delivers +CMT: ,<len> with a DELIVER PDU from the sender', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    b.at('AT+CNMI=2,2,0,0,0');
    const [part] = encodeSubmit('+447700900001', 'TSR1;h=H1;n=5;e=ALM');
    send(a, part!.pdu, part!.tpduLength);
    clock.advance(0);
    const out = b.take();
    const [pdu] = pduLines(out);
    const deliver = decodeDeliver(pdu!);
    expect(out).toBe(`\r\n+CMT: ,${deliver.tpduLength}\r\n${pdu}\r\n`);
    expect(deliver.from).toBe('+447700900456');
    expect(deliver.text).toBe('TSR1;h=H1;n=5;e=ALM');
    expect(deliver.smsc).toBe('+447785016005');
    expect(deliver.sentAt.getTime()).toBe(clock.now());
    expect(b.modem.storage('SM').used).toBe(0);
  });

  it('CNMI mt=1 stores and notifies +CMTI; CMGR marks read; CMGL lists by stat; CMGD deletes', () => {
    const { clock, network } = makeNetwork();
    const phone = new VirtualPhone(network, '+447700900456');
    const d = makeModem(clock, network, '+447700900001');
    d.at('AT+CNMI=2,1,0,0,0');
    phone.sendSms('+447700900001', 'first');
    phone.sendSms('+447700900001', 'second');
    clock.advance(0);
    expect(d.take()).toBe('\r\n+CMTI: "SM",1\r\n\r\n+CMTI: "SM",2\r\n');
    const r = d.at('AT+CMGR=1');
    expect(r).toMatch(/^\r\n\+CMGR: 0,,\d+\r\n[0-9A-F]+\r\n\r\nOK\r\n$/);
    expect(decodeDeliver(pduLines(r)[0]!).text).toBe('first');
    expect(d.at('AT+CMGR=1')).toMatch(/^\r\n\+CMGR: 1,,/);
    const unread = d.at('AT+CMGL=0');
    expect(unread).toMatch(/^\r\n\+CMGL: 2,0,,\d+\r\n[0-9A-F]+\r\n\r\nOK\r\n$/);
    const all = d.at('AT+CMGL=4');
    expect(all.match(/\+CMGL: (\d+),(\d)/g)).toEqual(['+CMGL: 1,1', '+CMGL: 2,1']);
    expect(pduLines(all).map((p) => decodeDeliver(p).text)).toEqual(['first', 'second']);
    expect(d.at('AT+CPMS?')).toBe('\r\n+CPMS: "SM",2,30,"SM",2,30,"SM",2,30\r\n\r\nOK\r\n');
    expect(d.at('AT+CMGD=1')).toBe('\r\nOK\r\n');
    expect(d.at('AT+CMGR=1')).toBe('\r\nOK\r\n');
    expect(d.at('AT+CMGD=1,4')).toBe('\r\nOK\r\n');
    expect(d.at('AT+CMGL=4')).toBe('\r\nOK\r\n');
    expect(d.at('AT+CMGR=31')).toBe('\r\n+CMS ERROR: 321\r\n');
  });

  it('CPMS selects SM or ME for reading and answers the usage; =? lists both', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001', { capacity: { SM: 10, ME: 20 } });
    expect(d.at('AT+CPMS=?')).toBe('\r\n+CPMS: ("SM","ME"),("SM","ME"),("SM","ME")\r\n\r\nOK\r\n');
    expect(d.at('AT+CPMS="ME","ME"')).toBe('\r\n+CPMS: 0,20,0,20,0,10\r\n\r\nOK\r\n');
    expect(d.at('AT+CPMS?')).toBe('\r\n+CPMS: "ME",0,20,"ME",0,20,"SM",0,10\r\n\r\nOK\r\n');
    expect(d.at('AT+CPMS="BM"')).toBe('\r\n+CMS ERROR: 303\r\n');
    expect(d.at('AT+CMGF=0')).toBe('\r\nOK\r\n');
    expect(d.at('AT+CMGF=1')).toBe('\r\n+CMS ERROR: 303\r\n');
    expect(d.at('AT+CSCA?')).toBe('\r\n+CSCA: "+447785016005",145\r\n\r\nOK\r\n');
    expect(d.at('AT+CSCS?;+CSCS=?')).toBe('\r\n+CSCS: "GSM"\r\n\r\n+CSCS: ("GSM","IRA","UCS2")\r\n\r\nOK\r\n');
  });

  it('a full store makes the network hold the SMS and retry; CMGW answers +CMS ERROR: 322', () => {
    const { clock, network } = makeNetwork({ smsRetryMs: 30_000 });
    const events: NetworkEvent[] = [];
    network.onEvent((e) => events.push(e));
    const phone = new VirtualPhone(network, '+447700900456');
    const d = makeModem(clock, network, '+447700900001', { capacity: { SM: 2 } });
    d.at('AT+CNMI=2,1,0,0,0');
    for (const t of ['one', 'two', 'three']) phone.sendSms('+447700900001', t);
    clock.advance(0);
    expect(d.take()).toBe('\r\n+CMTI: "SM",1\r\n\r\n+CMTI: "SM",2\r\n');
    expect(events.filter((e) => e.type === 'sms-deferred').map((e) => e.type === 'sms-deferred' && e.reason)).toEqual(['memory-full']);
    const [part] = encodeSubmit('+447700900456', 'draft');
    expect(d.at(`AT+CMGW=${part!.tpduLength}`)).toBe('\r\n> ');
    d.send(`${part!.pdu}\x1a`);
    expect(d.take()).toBe('\r\n+CMS ERROR: 322\r\n');
    d.at('AT+CMGD=1');
    clock.advance(30_000);
    expect(d.take()).toBe('\r\n+CMTI: "SM",1\r\n');
    expect(decodeDeliver(pduLines(d.at('AT+CMGR=1'))[0]!).text).toBe('three');
  });

  it('keeps the parts of a long message as separate SMS with their concatenation header', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    b.at('AT+CNMI=2,2,0,0,0');
    const text = 'TSR1;'.padEnd(200, 'x');
    const parts = encodeSubmit('+447700900001', text, { concatRef: 77 });
    expect(parts).toHaveLength(2);
    for (const p of parts) send(a, p.pdu, p.tpduLength);
    clock.advance(0);
    const delivered = pduLines(b.take()).map((p) => decodeDeliver(p));
    expect(delivered.map((x) => x.concat)).toMatchObject([
      { ref: 77, total: 2, seq: 1 },
      { ref: 77, total: 2, seq: 2 },
    ]);
    expect(delivered.map((x) => x.text).join('')).toBe(text);
  });

  it('keeps a 16-bit concatenation reference as the sender wrote it', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    b.at('AT+CNMI=2,2,0,0,0');
    const parts = encodeSubmit('+447700900001', 'y'.repeat(170), { concatRef: 0x1234, concatRefBits: 16 });
    for (const p of parts) send(a, p.pdu, p.tpduLength);
    clock.advance(0);
    const delivered = pduLines(b.take()).map((p) => decodeDeliver(p));
    expect(delivered.map((x) => [x.concat?.ref, x.concat?.seq, x.udh[0]?.iei])).toEqual([
      [0x1234, 1, 0x08],
      [0x1234, 2, 0x08],
    ]);
  });

  it('splits a long text injected from outside (no header) into parts, each stored and notified', () => {
    const { clock, network } = makeNetwork();
    const phone = new VirtualPhone(network, '+447700900456');
    const d = makeModem(clock, network, '+447700900001');
    d.at('AT+CNMI=2,1,0,0,0');
    phone.sendSms('+447700900001', 'z'.repeat(200));
    clock.advance(0);
    expect(d.take()).toBe('\r\n+CMTI: "SM",1\r\n\r\n+CMTI: "SM",2\r\n');
  });

  it('carries UCS2 text unchanged', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    b.at('AT+CNMI=2,2,0,0,0');
    const [p] = encodeSubmit('+447700900001', 'Zoë ☎ help');
    send(a, p!.pdu, p!.tpduLength);
    clock.advance(0);
    const d = decodeDeliver(pduLines(b.take())[0]!);
    expect([d.text, d.encoding]).toEqual(['Zoë ☎ help', 'ucs2']);
  });

  it('sends a +CDS status report when asked (CNMI ds=1, TP-SRR)', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    makeModem(clock, network, '+447700900001');
    a.at('AT+CNMI=2,1,0,1,0');
    const [p] = encodeSubmit('+447700900001', 'report please', { requestStatusReport: true });
    expect(send(a, p!.pdu, p!.tpduLength)).toBe('\r\n+CMGS: 1\r\n\r\nOK\r\n');
    clock.advance(0);
    const out = a.take();
    const [pdu] = pduLines(out);
    const report = decodeStatusReport(pdu!);
    expect(out).toBe(`\r\n+CDS: ${report.tpduLength}\r\n${pdu}\r\n`);
    expect([report.messageReference, report.recipient, report.outcome]).toEqual([1, '+447700900001', 'delivered']);
  });
});
