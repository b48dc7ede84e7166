// Which SMS the bank tries on another free line (gateway/lines/line-bank.ts sendSms): only one a line surely
// did not send. A modem's refusal (+CMS ERROR) goes from the next line; a PDU the modem was given and answered
// without a message reference may have left, so it is `uncertain` and never written twice.
import { describe, expect, it } from 'vitest';
import { encodeSubmit } from '../../../protocol/sms/index.js';
import { lineWith, standard } from './scripted-port.js';

const sms = (text: string) => encodeSubmit('+447700900123', text).map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));
const TSC1 = 'TSC1;h=H1;n=1;c=LOCATE;m=AAAAAAAAAAA';
const pdusWritten = (log: string[]) => log.filter((l) => /^[0-9A-F]{20,}/.test(l));

describe('an SMS a line did not send', () => {
  it('refused by the first line tried (+CMS ERROR: 500): sent from the next free line', async () => {
    const x = await lineWith((c, spec) => {
      if (c.startsWith('AT+CMGS=')) return ['> '];
      if (/^[0-9A-F]+$/.test(c)) return spec === 'mock:b' ? ['+CMS ERROR: 500'] : ['+CMGS: 4', 'OK'];
      return standard(c);
    }, ['mock:a', 'mock:b']);
    await x.bank.start();
    await x.settle();
    expect(await x.bank.sendSms(sms(TSC1))).toEqual({ ok: true, detail: '+CMGS: 4', lineId: 'L1' });
    expect(pdusWritten(x.log)).toHaveLength(2);
    await x.bank.close();
  });

  it('answered OK with no +CMGS reference: uncertain, and not written on another line', async () => {
    const x = await lineWith((c) => {
      if (c.startsWith('AT+CMGS=')) return ['> '];
      if (/^[0-9A-F]+$/.test(c)) return ['OK'];
      return standard(c);
    }, ['mock:a', 'mock:b']);
    await x.bank.start();
    await x.settle();
    expect(await x.bank.sendSms(sms(TSC1))).toMatchObject({ ok: false, uncertain: true, lineId: 'L2' });
    expect(pdusWritten(x.log)).toHaveLength(1);
    await x.bank.close();
  });

  it('an OK before the prompt (a stray final of a line out of step): the PDU was never written, so it goes from the next line', async () => {
    const x = await lineWith((c, spec) => {
      if (c.startsWith('AT+CMGS=')) return spec === 'mock:b' ? ['OK'] : ['> '];
      if (/^[0-9A-F]+$/.test(c)) return ['+CMGS: 4', 'OK'];
      return standard(c);
    }, ['mock:a', 'mock:b']);
    await x.bank.start();
    await x.settle();
    expect(await x.bank.sendSms(sms(TSC1))).toEqual({ ok: true, detail: '+CMGS: 4', lineId: 'L1' });
    expect(pdusWritten(x.log)).toHaveLength(1);
    await x.bank.close();
  });
});
