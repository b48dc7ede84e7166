// +CMS ERROR: 332 is the modem's "network timeout" (3GPP TS 27.005 3.2.5): it handed the SMS to the network and
// no answer came back in time (the SMSC's acknowledgement lost or late), so the SMS may have reached the SMSC and
// be delivered. Unlike a refusal (+CMS ERROR: 331 no network service, 330 SMSC address unknown, 500), it does not
// prove the SMS did not leave: the send is `uncertain`, not written again on another line, and the core records
// it possibly sent (docs/lines.md "Sending SMS").
import { describe, expect, it } from 'vitest';
import { encodeSubmit } from '../../../protocol/sms/index.js';
import { lineWith, standard } from './scripted-port.js';

const sms = encodeSubmit('+447700900123', 'TSC1;h=H1;n=1;c=STOP;m=AAAAAAAAAAA').map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));
const isPdu = (c: string) => /^[0-9A-F]{20,}$/.test(c);

describe('+CMS ERROR: 332 (network timeout) after the PDU', () => {
  it('is uncertain, and the PDU is not written on another line', async () => {
    const x = await lineWith((c, spec) => {
      if (c.startsWith('AT+CMGS=')) return ['> '];
      if (isPdu(c)) return spec === 'mock:b' ? ['+CMS ERROR: 332'] : ['+CMGS: 9', 'OK'];
      return standard(c);
    }, ['mock:a', 'mock:b']);
    await x.bank.start();
    await x.settle();
    expect(await x.bank.sendSms(sms)).toMatchObject({ ok: false, uncertain: true, lineId: 'L2', detail: '+CMS ERROR: 332' });
    expect(x.log.filter(isPdu)).toHaveLength(1);
    await x.bank.close();
  });

  it('a refusal (+CMS ERROR: 331) is still tried on the next line', async () => {
    const x = await lineWith((c, spec) => {
      if (c.startsWith('AT+CMGS=')) return ['> '];
      if (isPdu(c)) return spec === 'mock:b' ? ['+CMS ERROR: 331'] : ['+CMGS: 9', 'OK'];
      return standard(c);
    }, ['mock:a', 'mock:b']);
    await x.bank.start();
    await x.settle();
    expect(await x.bank.sendSms(sms)).toEqual({ ok: true, detail: '+CMGS: 9', lineId: 'L1' });
    await x.bank.close();
  });
});
