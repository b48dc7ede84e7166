import { describe, expect, it } from 'vitest';
import { VirtualPhone } from '../../../firmware-sim/network/index.js';
import { makeModem, makeNetwork } from './harness.js';

describe('voice calls between modems', () => {
  it('dials, rings with +CLIP every 3 s, is answered, and hangs up with NO CARRIER at the other side', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    b.at('AT+CLIP=1');
    expect(a.at('ATD07700900001;')).toBe('\r\nOK\r\n');
    expect(a.at('AT+CLCC')).toBe('\r\n+CLCC: 1,0,2,0,0,"07700900001",129\r\n\r\nOK\r\n');
    clock.advance(1000);
    expect(b.take()).toBe('\r\nRING\r\n+CLIP: "+447700900456",145,,,,0\r\n');
    expect(a.at('AT+CLCC')).toBe('\r\n+CLCC: 1,0,3,0,0,"07700900001",129\r\n\r\nOK\r\n');
    expect(b.at('AT+CLCC')).toBe('\r\n+CLCC: 1,1,4,0,0,"+447700900456",145\r\n\r\nOK\r\n');
    clock.advance(2999);
    expect(b.take()).toBe('');
    clock.advance(1);
    expect(b.take()).toBe('\r\nRING\r\n+CLIP: "+447700900456",145,,,,0\r\n');
    expect(b.at('ATA')).toBe('\r\nOK\r\n');
    clock.advance(10_000);
    expect(b.take()).toBe('');
    expect(a.at('AT+CLCC')).toBe('\r\n+CLCC: 1,0,0,0,0,"07700900001",129\r\n\r\nOK\r\n');
    expect(b.at('ATH')).toBe('\r\nOK\r\n');
    expect(a.take()).toBe('\r\nNO CARRIER\r\n');
    expect(a.at('AT+CLCC')).toBe('\r\nOK\r\n');
  });

  it('AT+CPAS says 3 while a call only rings, 4 once it is up (both sides) and 0 after it', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    expect(b.at('AT+CPAS=?')).toBe('\r\n+CPAS: (0,3,4)\r\n\r\nOK\r\n');
    expect(b.at('AT+CPAS')).toBe('\r\n+CPAS: 0\r\n\r\nOK\r\n');
    a.at('ATD+447700900001;');
    expect(a.at('AT+CPAS')).toBe('\r\n+CPAS: 4\r\n\r\nOK\r\n'); // dialling: a call in progress
    clock.advance(1000);
    b.take();
    expect(b.at('AT+CPAS')).toBe('\r\n+CPAS: 3\r\n\r\nOK\r\n');
    expect(b.at('ATA')).toBe('\r\nOK\r\n');
    expect(b.at('AT+CPAS?')).toBe('\r\n+CPAS: 4\r\n\r\nOK\r\n');
    expect(b.at('ATH')).toBe('\r\nOK\r\n');
    expect(b.at('AT+CPAS')).toBe('\r\n+CPAS: 0\r\n\r\nOK\r\n');
    expect(a.at('AT+CPAS')).toBe('\r\n+CPAS: 0\r\n\r\nOK\r\n');
  });

  it('shows +CRING: VOICE with AT+CRC=1, a withheld number as "",128, and +COLP on answer', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    b.at('AT+CLIP=1;+CRC=1');
    a.at('AT+COLP=1');
    a.at('ATD#31#+447700900001;');
    clock.advance(1000);
    expect(b.take()).toBe('\r\n+CRING: VOICE\r\n+CLIP: "",128,,,,1\r\n');
    b.at('ATA');
    expect(a.take()).toBe('\r\n+COLP: "+447700900001",145\r\n');
  });

  it('BUSY when the callee is in another call; NO ANSWER after the network timer', () => {
    const { clock, network } = makeNetwork({ noAnswerMs: 30_000 });
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    const c = makeModem(clock, network, '+447700900002');
    a.at('ATD+447700900001;');
    clock.advance(1000);
    b.at('ATA');
    c.at('ATD+447700900001;');
    clock.advance(1000);
    expect(c.take()).toBe('\r\nBUSY\r\n');
    a.at('ATH');
    b.take();
    c.at('ATD+447700900001;');
    clock.advance(1000 + 29_999);
    expect(c.take()).toBe('');
    clock.advance(1);
    expect(c.take()).toBe('\r\nNO ANSWER\r\n');
    expect(b.take()).toContain('\r\nNO CARRIER\r\n');
    expect(b.at('AT+CLCC')).toBe('\r\nOK\r\n');
  });

  it('a callee rejecting a ringing call (AT+CHUP) gives the caller BUSY', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    a.at('ATD+447700900001;');
    clock.advance(1000);
    expect(b.at('AT+CHUP')).toBe('\r\nOK\r\n');
    expect(a.take()).toBe('\r\nBUSY\r\n');
  });

  it('NO CARRIER at once without service; NO CARRIER later for an unknown number; data calls refused', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    expect(a.at('ATD+447700999999;')).toBe('\r\nOK\r\n');
    clock.advance(1000);
    expect(a.take()).toBe('\r\nNO CARRIER\r\n');
    expect(a.at('ATD+447700900001')).toBe('\r\nNO CARRIER\r\n');
    network.setRadio('+447700900456', { registration: 'searching', rssi: 99 });
    expect(a.at('ATD999;')).toBe('\r\nNO CARRIER\r\n');
  });

  it('drops an active call with NO CARRIER on both sides when one side loses coverage', () => {
    const { clock, network } = makeNetwork();
    const a = makeModem(clock, network, '+447700900456');
    const b = makeModem(clock, network, '+447700900001');
    a.at('ATD+447700900001;');
    clock.advance(1000);
    b.at('ATA');
    network.setRadio('+447700900001', { registration: 'searching', rssi: 99 });
    expect(a.take()).toBe('\r\nNO CARRIER\r\n');
    expect(b.take()).toBe('\r\nNO CARRIER\r\n');
  });

  it('ATA with nothing ringing is NO CARRIER; ATS0=2 answers on the second ring', () => {
    const { clock, network } = makeNetwork();
    const b = makeModem(clock, network, '+447700900001');
    expect(b.at('ATA')).toBe('\r\nNO CARRIER\r\n');
    expect(b.at('ATS0=2;S0?')).toBe('\r\n002\r\n\r\nOK\r\n');
    const phone = new VirtualPhone(network, '+447700900456');
    phone.dial('+447700900001');
    clock.advance(1000);
    expect(b.take()).toBe('\r\nRING\r\n');
    clock.advance(3000);
    expect(b.take()).toBe('\r\nRING\r\n');
    expect(phone.events.some((e) => e.type === 'connected')).toBe(true);
    expect(b.at('AT+CLCC')).toBe('\r\n+CLCC: 1,1,0,0,0,"+447700900456",145\r\n\r\nOK\r\n');
  });

  it('routes 999 to the first idle control-room line', () => {
    const { clock, network } = makeNetwork({ emergencyLines: ['+441632960001', '+441632960002'] });
    const line1 = makeModem(clock, network, '+441632960001');
    const line2 = makeModem(clock, network, '+441632960002');
    const handset = makeModem(clock, network, '+447700900456');
    const other = makeModem(clock, network, '+447700900457');
    line1.at('AT+CLIP=1');
    line2.at('AT+CLIP=1');
    handset.at('ATD999;');
    clock.advance(1000);
    expect(line1.take()).toBe('\r\nRING\r\n+CLIP: "+447700900456",145,,,,0\r\n');
    expect(line2.take()).toBe('');
    other.at('ATD112;');
    clock.advance(1000);
    expect(line2.take()).toBe('\r\nRING\r\n+CLIP: "+447700900457",145,,,,0\r\n');
  });
});
