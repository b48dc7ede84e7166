import { describe, expect, it } from 'vitest';
import { VirtualPhone } from '../../../firmware-sim/network/index.js';
import { makeModem, makeNetwork } from './harness.js';

describe('faults and the transcript', () => {
  it('hang(): no echo, no answer, no URC; an SMS waits at the network; reset() boots with RDY and keeps stored messages', () => {
    const { clock, network } = makeNetwork({ smsRetryMs: 10_000 });
    const phone = new VirtualPhone(network, '+447700900456');
    const d = makeModem(clock, network, '+447700900001', { echo: true });
    phone.sendSms('+447700900001', 'kept');
    clock.advance(0);
    d.at('AT+CMEE=1;+CNMI=2,1,0,0,0;+CREG=2');
    d.modem.hang();
    expect(d.at('AT')).toBe('');
    phone.sendSms('+447700900001', 'while hung');
    phone.dial('+447700900001');
    clock.advance(5000);
    expect(d.take()).toBe('');
    expect(network.smsPending).toBe(1);
    d.modem.reset();
    expect(d.take()).toBe('\r\nRDY\r\n');
    // Echo back on, CMEE and CNMI back to 0: the stored message survived, the held one arrives silently.
    expect(d.at('AT+CMEE?')).toBe('AT+CMEE?\r\r\n+CMEE: 0\r\n\r\nOK\r\n');
    clock.advance(10_000);
    expect(d.take()).toBe('');
    expect(d.modem.storage('SM').used).toBe(2);
    expect(phone.events.filter((e) => e.type === 'ended').map((e) => e.type === 'ended' && e.reason)).toEqual(['hangup']);
  });

  it('refuse(): the next n commands of that name answer +CME ERROR: 3 (ERROR under CMEE 0), then it answers again', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001', { echo: false });
    d.at('ATE0');
    d.modem.refuse('+CLCC', 2);
    expect(d.at('AT+CLCC')).toBe('\r\nERROR\r\n');
    d.at('AT+CMEE=1');
    expect(d.at('AT+CLCC')).toBe('\r\n+CME ERROR: 3\r\n');
    expect(d.at('AT+CLCC')).toBe('\r\nOK\r\n');
    d.modem.refuse('+clip');
    for (let i = 0; i < 3; i++) expect(d.at('AT+CLIP=1')).toBe('\r\n+CME ERROR: 3\r\n');
    d.modem.refuse('+CLIP', 0);
    expect(d.at('AT+CLIP=1')).toBe('\r\nOK\r\n');
  });

  it('hang(recoverAfterMs) reboots by itself; bootMs delays the banner and ignores input until then', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001', { bootMs: 2000 });
    d.modem.hang(60_000);
    clock.advance(60_000);
    expect(d.at('AT')).toBe('');
    clock.advance(2000);
    expect(d.take()).toBe('\r\nRDY\r\n');
    expect(d.at('AT')).toBe('AT\r\r\nOK\r\n');
  });

  it('AT+CFUN=1,1 answers OK, then reboots and prints the banner', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    expect(d.at('AT+CFUN=1,1')).toBe('\r\nOK\r\n\r\nRDY\r\n');
  });

  it('a 999 call queued while its line rebooted rings that line only after the boot banner, as a real modem', () => {
    for (const bootMs of [0, 2000]) {
      const { clock, network } = makeNetwork({ emergencyLines: ['+447700900999'] });
      const phone = new VirtualPhone(network, '+447700900101');
      const d = makeModem(clock, network, '+447700900999', { bootMs });
      d.at('AT+CLIP=1');
      const callId = phone.dial('999');
      expect(typeof callId).toBe('number');
      clock.advance(1000);
      expect(d.take()).toContain('RING');
      // The line reboots while her call rings there: the network queues it and offers it again.
      d.modem.reset();
      clock.advance(bootMs);
      const out = d.take();
      // A RING before RDY reached a gateway that then saw the modem restart: it ended that ring as a withheld
      // call (number not known yet) and showed her call again as a new one (chaos run, seed 20261124, CALL-000033).
      expect(out.slice(0, out.indexOf('RING') + 1)).toContain('RDY');
      clock.advance(1000);
      expect(out + d.take()).toContain('RING');
      phone.hangup(callId as number);
    }
  });

  it('a reboot during a call ends it: the other side gets NO CARRIER', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    a.at('ATD+447700900001;');
    clock.advance(1000);
    b.at('ATA');
    b.modem.reset();
    expect(a.take()).toBe('\r\nNO CARRIER\r\n');
  });

  it('records every exchange in the transcript with the clock time', () => {
    const { clock, network } = makeNetwork();
    const phone = new VirtualPhone(network, '+447700900456');
    const d = makeModem(clock, network, '+447700900001');
    d.transcript.length = 0;
    d.at('AT+CNMI=2,1,0,0,0');
    clock.advance(500);
    phone.sendSms('+447700900001', 'hi');
    clock.advance(0);
    d.at('AT+CMGS=28');
    d.send('0011000C914477000910320000FF0FC8329BFD0699E5EF3668DE9E9301\x1a');
    const t0 = Date.UTC(2026, 10, 23, 6, 0, 0);
    expect(d.transcript).toEqual([
      { at: t0, kind: 'command', text: 'AT+CNMI=2,1,0,0,0' },
      { at: t0, kind: 'response', text: '\r\nOK\r\n' },
      { at: t0 + 500, kind: 'urc', text: '\r\n+CMTI: "SM",1\r\n' },
      { at: t0 + 500, kind: 'command', text: 'AT+CMGS=28' },
      { at: t0 + 500, kind: 'response', text: '\r\n> ' },
      { at: t0 + 500, kind: 'pdu', text: '0011000C914477000910320000FF0FC8329BFD0699E5EF3668DE9E9301^Z' },
      { at: t0 + 500, kind: 'response', text: '\r\n+CMGS: 1\r\n\r\nOK\r\n' },
    ]);
  });
});
