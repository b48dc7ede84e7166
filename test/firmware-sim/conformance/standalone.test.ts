// The standalone modem's control lines (what `npm run sim -- modem` reads on stdin), in-process.

import { afterEach, describe, expect, it } from 'vitest';
import { startStandaloneModem, type StandaloneModem } from '../../../firmware-sim/cli/standalone-modem.js';

let sm: StandaloneModem | undefined;
afterEach(async () => {
  await sm?.close();
  sm = undefined;
});

async function setup(): Promise<{ sm: StandaloneModem; out: () => string }> {
  sm = await startStandaloneModem({ port: 0 });
  let received = '';
  sm.modem.onOutput((d) => (received += Buffer.from(d).toString('latin1')));
  sm.modem.input('ATE0\r');
  const take = (): string => {
    const r = received;
    received = '';
    return r;
  };
  take();
  return { sm, out: take };
}

const settle = (ms = 300): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('standalone modem control lines', () => {
  it('call / hangup ring the modem and end the call', async () => {
    const { sm, out } = await setup();
    sm.modem.input('AT+CLIP=1\r');
    out();
    expect(sm.control('call 07700900456')).toMatch(/^ok call \d+$/);
    await settle();
    expect(out()).toBe('\r\nRING\r\n+CLIP: "+447700900456",145,,,,0\r\n');
    expect(sm.control('hangup')).toBe('ok');
    expect(out()).toBe('\r\nNO CARRIER\r\n');
  });

  it('answer picks up a call the modem made to an outside phone', async () => {
    const { sm, out } = await setup();
    sm.phone('+447700900456');
    sm.modem.input('ATD+447700900456;\r');
    expect(out()).toBe('\r\nOK\r\n');
    expect(sm.control('answer')).toBe('failed nothing rings');
    await settle();
    expect(sm.control('answer')).toBe('ok');
    sm.modem.input('AT+CLCC\r');
    expect(out()).toBe('\r\n+CLCC: 1,0,0,0,0,"+447700900456",145\r\n\r\nOK\r\n');
  });

  it('radio, down and up change registration; hang and reset are the modem faults', async () => {
    const { sm, out } = await setup();
    sm.modem.input('AT+CREG=1\r');
    out();
    expect(sm.control('radio roaming 9')).toBe('ok');
    expect(out()).toBe('\r\n+CREG: 5\r\n');
    expect(sm.control('down')).toBe('ok');
    expect(out()).toBe('\r\n+CREG: 2\r\n');
    expect(sm.control('up')).toBe('ok');
    expect(out()).toBe('\r\n+CREG: 5\r\n');
    expect(sm.control('radio nowhere')).toMatch(/^usage: radio/);
    expect(sm.control('hang')).toBe('ok');
    sm.modem.input('AT\r');
    expect(out()).toBe('');
    expect(sm.control('reset')).toBe('ok');
    expect(out()).toBe('\r\nRDY\r\n');
    expect(sm.control('sms')).toBe('usage: sms <from> <text>');
    expect(sm.control('help')).toMatch(/^commands: /);
  });
});
