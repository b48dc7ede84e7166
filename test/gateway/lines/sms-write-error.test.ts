// A serial link that fails while the SMS's PDU is being written (a USB modem unplugged mid-write: the port's
// write rejects with EIO, its close comes after): the bytes may have reached the modem, which may have sent the
// SMS. The send is `uncertain`, like a link that closed after the PDU (docs/lines.md "Sending SMS"), so the bank
// does not write it again on another line and the core records it possibly sent, not "not sent".
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { encodeSubmit } from '../../../protocol/sms/index.js';
import { ModemLineBank } from '../../../gateway/lines/line-bank.js';
import type { Port } from '../../../hardware/ports/index.js';
import { Recorder } from './harness.js';
import { scriptedPort, standard, type Script } from './scripted-port.js';

const sms = encodeSubmit('+447700900123', 'TSC1;h=H1;n=1;c=STOP;m=AAAAAAAAAAA').map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));
const isPdu = (c: string) => /^[0-9A-F]{20,}$/.test(c);

async function bankWith(specs: string[]) {
  const log: string[] = [];
  const script: Script = (c) => (c.startsWith('AT+CMGS=') ? ['> '] : isPdu(c) ? ['+CMGS: 7', 'OK'] : standard(c));
  const open = async (spec: string): Promise<Port> => {
    const p = scriptedPort(spec, script, log);
    if (spec !== 'mock:b') return p;
    // L2's modem is given the PDU, then the write fails: the USB device went away under it.
    const write = p.write.bind(p);
    return Object.assign(p, {
      async write(bytes: Uint8Array) {
        await write(bytes);
        if (Buffer.from(bytes).includes(0x1a)) throw new Error('EIO: i/o error, write');
      },
    });
  };
  const clock = new ManualClock();
  const bank = new ModemLineBank({ specs, listener: new Recorder(), clock, random: new SeededRandom(5), open });
  const settle = async () => {
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  };
  await bank.start();
  await settle();
  return { bank, log };
}

describe('the link fails while the PDU is written', () => {
  it('is uncertain, and the PDU is not written on another line', async () => {
    const { bank, log } = await bankWith(['mock:a', 'mock:b']);
    expect(await bank.sendSms(sms)).toMatchObject({ ok: false, uncertain: true, lineId: 'L2' });
    expect(log.filter(isPdu)).toHaveLength(1);
    await bank.close();
  });

  it('with no other line: uncertain, not a sure failure', async () => {
    const { bank } = await bankWith(['mock:b']);
    expect(await bank.sendSms(sms)).toMatchObject({ ok: false, uncertain: true, lineId: 'L1' });
    await bank.close();
  });
});
