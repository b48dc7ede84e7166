// An SMS the core no longer wants by the time its line gets to it (a STOP for her closed incident, once her new
// alarm opened another: gateway/core) is not written: the line asks `stillWanted` as the AT+CMGS's turn comes,
// not when it was queued, since it may wait seconds behind the line's SMS reads and other sends.
import { describe, expect, it } from 'vitest';
import { encodeSubmit } from '../../../protocol/sms/index.js';
import { lineWith, standard } from './scripted-port.js';

const sms = (text: string) => encodeSubmit('+447700900123', text).map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));

describe('an SMS asked whether it is still wanted as its turn comes', () => {
  it('decided against while it waited behind another SMS: not written, the reason given; the SMS after it goes', async () => {
    const core = { newerIncident: undefined as string | undefined };
    let written = 0;
    const x = await lineWith((c) => {
      if (c.startsWith('AT+CMGS=')) return ['> '];
      if (/^[0-9A-F]+$/.test(c)) {
        written++;
        // Her new alarm comes in while the first SMS is being written.
        core.newerIncident = 'handset TS-0001 is in open incident I-2';
        return [`+CMGS: ${written}`, 'OK'];
      }
      return standard(c);
    });
    await x.bank.start();
    const first = x.bank.sendSms(sms('TSC1;h=H2;n=1;c=LOCATE;m=AAAAAAAAAAA'));
    const stop = x.bank.sendSms(sms('TSC1;h=H1;n=1;c=STOP;m=AAAAAAAAAAA'), { stillWanted: () => core.newerIncident });
    const last = x.bank.sendSms(sms('TSC1;h=H3;n=1;c=LOCATE;m=AAAAAAAAAAA'));
    expect(await first).toMatchObject({ ok: true, detail: '+CMGS: 1' });
    expect(await stop).toEqual({ ok: false, detail: 'cancelled: handset TS-0001 is in open incident I-2', lineId: 'L1' });
    expect(await last).toMatchObject({ ok: true, detail: '+CMGS: 2' });
    expect(x.log.filter((l) => l.startsWith('AT+CMGS='))).toHaveLength(2);
    await x.bank.close();
  });

  it('still wanted when its turn comes: written as usual', async () => {
    const x = await lineWith((c) => (c.startsWith('AT+CMGS=') ? ['> '] : /^[0-9A-F]+$/.test(c) ? ['+CMGS: 9', 'OK'] : standard(c)));
    await x.bank.start();
    expect(await x.bank.sendSms(sms('TSC1;h=H1;n=1;c=STOP;m=AAAAAAAAAAA'), { stillWanted: () => undefined })).toEqual({ ok: true, detail: '+CMGS: 9', lineId: 'L1' });
    await x.bank.close();
  });
});
