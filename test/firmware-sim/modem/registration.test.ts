import { describe, expect, it } from 'vitest';
import { makeModem, makeNetwork } from './harness.js';

describe('registration and signal from the network', () => {
  it('reads +CREG in each mode, home and roaming', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    expect(d.at('AT+CREG?')).toBe('\r\n+CREG: 0,1\r\n\r\nOK\r\n');
    d.at('AT+CREG=2');
    expect(d.at('AT+CREG?')).toBe('\r\n+CREG: 2,1,"1A2B","00C3"\r\n\r\nOK\r\n');
    network.setRadio('+447700900001', { registration: 'roaming' });
    d.take();
    expect(d.at('AT+CREG?')).toBe('\r\n+CREG: 2,5,"1A2B","00C3"\r\n\r\nOK\r\n');
  });

  it('sends +CREG URCs on change (n=1 status only; n=2 also location), none at n=0', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    network.setRadio('+447700900001', { registration: 'searching', rssi: 99 });
    expect(d.take()).toBe('');
    network.setRadio('+447700900001', { registration: 'home', rssi: 20 });
    d.at('AT+CREG=1');
    network.setRadio('+447700900001', { cellId: 0x99 });
    expect(d.take()).toBe('');
    network.setRadio('+447700900001', { registration: 'searching', rssi: 99 });
    expect(d.take()).toBe('\r\n+CREG: 2\r\n');
    d.at('AT+CREG=2');
    network.setRadio('+447700900001', { registration: 'home', rssi: 12 });
    expect(d.take()).toBe('\r\n+CREG: 1,"1A2B","0099"\r\n');
    network.setRadio('+447700900001', { cellId: 0x100 });
    expect(d.take()).toBe('\r\n+CREG: 1,"1A2B","0100"\r\n');
  });

  it('reports no service when the network is down, and recovers', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    d.at('AT+CREG=1');
    network.setDown(true);
    expect(d.take()).toBe('\r\n+CREG: 2\r\n');
    expect(d.at('AT+CSQ')).toBe('\r\n+CSQ: 99,99\r\n\r\nOK\r\n');
    expect(d.at('AT+COPS?')).toBe('\r\n+COPS: 0\r\n\r\nOK\r\n');
    network.setDown(false);
    expect(d.take()).toBe('\r\n+CREG: 1\r\n');
    expect(d.at('AT+CSQ')).toBe('\r\n+CSQ: 20,0\r\n\r\nOK\r\n');
  });

  it('reads signal, operator (name and numeric) and GPRS state', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    network.setRadio('+447700900001', { rssi: 7 });
    expect(d.at('AT+CSQ')).toBe('\r\n+CSQ: 7,0\r\n\r\nOK\r\n');
    expect(d.at('AT+COPS?')).toBe('\r\n+COPS: 0,0,"TecSOS Sim"\r\n\r\nOK\r\n');
    expect(d.at('AT+COPS=3,2')).toBe('\r\nOK\r\n');
    expect(d.at('AT+COPS?')).toBe('\r\n+COPS: 0,2,"23415"\r\n\r\nOK\r\n');
    expect(d.at('AT+CGREG=2;+CGREG?')).toBe('\r\n+CGREG: 2,1,"1A2B","00C3"\r\n\r\nOK\r\n');
    expect(d.at('AT+CGATT?')).toBe('\r\n+CGATT: 1\r\n\r\nOK\r\n');
  });

  it('a modem without a network is not registered', () => {
    const { clock } = makeNetwork();
    const d = makeModem(clock, undefined, '');
    expect(d.at('AT+CREG?')).toBe('\r\n+CREG: 0,0\r\n\r\nOK\r\n');
    expect(d.at('ATD999;')).toBe('\r\nNO CARRIER\r\n');
  });
});
