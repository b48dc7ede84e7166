// The project's own AT engine (protocol/at, what the gateway and the handset firmware use) driving the
// simulated modem: two-step CMGS, bare identity lines, +CMGL bodies, and URCs between commands.

import { describe, expect, it } from 'vitest';
import { AtEngine, cmgl, cmgs, cnmi, parseCmgl, parseCmgs, type Urc } from '../../../protocol/at/index.js';
import { decodeDeliver, encodeSubmit } from '../../../protocol/sms/index.js';
import { SimModem } from '../../../firmware-sim/modem/index.js';
import { VirtualPhone } from '../../../firmware-sim/network/index.js';
import { createPipePair } from '../../../firmware-sim/transport/memory-pipe.js';
import { makeNetwork } from './harness.js';

function engineFor(echo: boolean) {
  const { clock, network } = makeNetwork();
  const modem = new SimModem({ clock, network, msisdn: '+447700900001' });
  const [dte, dce] = createPipePair();
  modem.connect(dce);
  const engine = new AtEngine(dte, { clock });
  const urcs: Urc[] = [];
  engine.onUrc((u) => urcs.push(u));
  const run = async (p: ReturnType<AtEngine['send']>) => {
    await clock.advanceAsync(200, 10);
    return p;
  };
  if (!echo) void engine.send('ATE0');
  return { clock, network, modem, engine, urcs, run };
}

describe('protocol/at AtEngine against SimModem', () => {
  it('reads identity with echo on, sends an SMS through the prompt, and lists what arrived', async () => {
    const { network, engine, urcs, run, clock } = engineFor(true);
    const phone = new VirtualPhone(network, '+447700900456');
    const id = await run(engine.send('AT+CGSN'));
    expect(id).toMatchObject({ status: 'final', ok: true, lines: ['356938035643809'] });
    const [part] = encodeSubmit('+447700900456', 'TSR1;h=H1;n=1;e=ALM');
    const cmd = cmgs(part!.tpduLength, part!.pdu);
    if (!cmd.ok) throw new Error(cmd.reason);
    const sent = await run(engine.send(cmd.command));
    expect(sent.ok).toBe(true);
    const mr = parseCmgs(sent.lines[0] ?? '');
    expect(mr).toMatchObject({ ok: true, value: { mr: 1 } });
    expect(phone.received.map((s) => s.content.text)).toEqual(['TSR1;h=H1;n=1;e=ALM']);

    expect((await run(engine.send(cnmi()))).ok).toBe(true);
    phone.sendSms('+447700900001', 'TSC1;h=H1;n=9;c=STOP');
    await clock.advanceAsync(50, 10);
    expect(urcs.map((u) => [u.name, u.line])).toEqual([['+CMTI', '+CMTI: "SM",1']]);
    const list = await run(engine.send(cmgl(4)));
    const parsed = parseCmgl(list.lines);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.value.map((m) => [m.index, m.stat, m.lengthMatches, decodeDeliver(m.pdu).text])).toEqual([
      [1, 0, true, 'TSC1;h=H1;n=9;c=STOP'],
    ]);
  });

  it('delivers RING, +CLIP and NO CARRIER to URC subscribers', async () => {
    const { network, engine, urcs, run, clock } = engineFor(false);
    await run(engine.send('AT+CLIP=1'));
    const phone = new VirtualPhone(network, '+447700900456');
    const call = phone.dial('+447700900001') as number;
    await clock.advanceAsync(1000, 10);
    phone.hangup(call);
    await clock.advanceAsync(50, 10);
    expect(urcs.map((u) => u.name)).toEqual(['RING', '+CLIP', 'NO CARRIER']);
    expect(urcs[1]?.line).toBe('+CLIP: "+447700900456",145,,,,0');
  });
});
