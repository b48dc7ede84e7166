import { describe, expect, it } from 'vitest';
import { makeModem, makeNetwork } from './harness.js';

describe('identity, SIM, power and battery commands', () => {
  it('answers identity commands with a bare line then OK', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001', { identity: { imei: '490154203237518' } });
    expect(d.at('AT+CGMI')).toBe('\r\nTecSOS Sim\r\n\r\nOK\r\n');
    expect(d.at('AT+CGMM')).toBe('\r\nTSM-900\r\n\r\nOK\r\n');
    expect(d.at('AT+CGMR')).toBe('\r\nTSM900R01A01\r\n\r\nOK\r\n');
    expect(d.at('AT+CGSN')).toBe('\r\n490154203237518\r\n\r\nOK\r\n');
    expect(d.at('AT+CIMI')).toBe('\r\n234150000000001\r\n\r\nOK\r\n');
    expect(d.at('ATI')).toBe('\r\nTecSOS Sim\r\nTSM-900\r\nRevision: TSM900R01A01\r\n\r\nOK\r\n');
    expect(d.at('AT+CNUM')).toBe('\r\n+CNUM: "","+447700900001",145\r\n\r\nOK\r\n');
  });

  it('refuses an IMEI with a wrong check digit at construction', () => {
    const { clock, network } = makeNetwork();
    expect(() => makeModem(clock, network, '+447700900001', { identity: { imei: '490154203237519' } })).toThrow(/Luhn/);
  });

  it('reports the SIM: READY, not inserted, PIN then unlocked', () => {
    const { clock, network } = makeNetwork();
    const ready = makeModem(clock, network, '+447700900001');
    expect(ready.at('AT+CPIN?')).toBe('\r\n+CPIN: READY\r\n\r\nOK\r\n');
    const locked = makeModem(clock, network, '+447700900002', { sim: 'pin', simPin: '4321' });
    locked.at('AT+CMEE=1');
    expect(locked.at('AT+CPIN?')).toBe('\r\n+CPIN: SIM PIN\r\n\r\nOK\r\n');
    expect(locked.at('AT+CIMI')).toBe('\r\n+CME ERROR: 11\r\n');
    expect(locked.at('AT+CREG?')).toBe('\r\n+CREG: 0,0\r\n\r\nOK\r\n');
    expect(locked.at('AT+CPIN="0000"')).toBe('\r\n+CME ERROR: 16\r\n');
    expect(locked.at('AT+CPIN="4321"')).toBe('\r\nOK\r\n');
    expect(locked.at('AT+CREG?')).toBe('\r\n+CREG: 0,1\r\n\r\nOK\r\n');
    const none = makeModem(clock, network, '+447700900003', { sim: 'absent' });
    none.at('AT+CMEE=1');
    expect(none.at('AT+CIMI')).toBe('\r\n+CME ERROR: 10\r\n');
    expect(none.at('AT+CPMS?')).toBe('\r\n+CMS ERROR: 310\r\n');
  });

  it('AT+CFUN=0 deregisters, AT+CFUN=1 registers again', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    d.at('AT+CREG=1');
    expect(d.at('AT+CFUN=0')).toBe('\r\nOK\r\n\r\n+CREG: 0\r\n');
    expect(d.at('AT+CFUN?')).toBe('\r\n+CFUN: 0\r\n\r\nOK\r\n');
    expect(d.at('AT+CFUN=1')).toBe('\r\nOK\r\n\r\n+CREG: 1\r\n');
  });

  it('AT+CBC reports the battery provider', () => {
    const { clock, network } = makeNetwork();
    let percent = 85;
    const d = makeModem(clock, network, '+447700900001', { battery: () => ({ percent, charging: false }) });
    expect(d.at('AT+CBC')).toBe('\r\n+CBC: 0,85\r\n\r\nOK\r\n');
    percent = 14.6;
    expect(d.at('AT+CBC')).toBe('\r\n+CBC: 0,15\r\n\r\nOK\r\n');
    const mains = makeModem(clock, network, '+447700900002');
    expect(mains.at('AT+CBC')).toBe('\r\n+CBC: 1,100\r\n\r\nOK\r\n');
  });
});
