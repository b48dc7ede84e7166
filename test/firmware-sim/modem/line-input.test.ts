import { describe, expect, it } from 'vitest';
import { makeModem, makeNetwork } from './harness.js';

describe('SimModem command line input', () => {
  it('echoes each byte by default and answers a bare AT', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001', { echo: true });
    d.send('A');
    expect(d.take()).toBe('A');
    d.send('T');
    expect(d.take()).toBe('T');
    d.send('\r');
    expect(d.take()).toBe('\r\r\nOK\r\n');
  });

  it('stops echoing after ATE0 and echoes again after ATE1 (gammu needs the echo)', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001', { echo: true });
    expect(d.at('ATE0')).toBe('ATE0\r\r\nOK\r\n');
    expect(d.at('AT')).toBe('\r\nOK\r\n');
    expect(d.at('ATE1')).toBe('\r\nOK\r\n');
    expect(d.at('AT+CGMI')).toBe('AT+CGMI\r\r\nTecSOS Sim\r\n\r\nOK\r\n');
  });

  it('runs ;-chained extended commands with one final OK (smsd: AT+CMEE=1;+CREG=2)', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    expect(d.at('AT+CMEE=1;+CREG=2')).toBe('\r\nOK\r\n');
    expect(d.at('AT+CMEE?;+CREG?')).toBe('\r\n+CMEE: 1\r\n\r\n+CREG: 2,1,"1A2B","00C3"\r\n\r\nOK\r\n');
  });

  it('stops a chain at the first error and does not run the rest', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    expect(d.at('AT+CREG=1;+NOPE;+CLIP=1')).toBe('\r\nERROR\r\n');
    expect(d.at('AT+CLIP?')).toBe('\r\n+CLIP: 0,1\r\n\r\nOK\r\n');
    expect(d.at('AT+CREG?')).toBe('\r\n+CREG: 1,1\r\n\r\nOK\r\n');
  });

  it('accepts basic commands run together (ATE0V1) and lower case', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    expect(d.at('ATE0V1Q0')).toBe('\r\nOK\r\n');
    expect(d.at('at+cgmm')).toBe('\r\nTSM-900\r\n\r\nOK\r\n');
  });

  it('ESC throws the typed line away; ESC CR is an empty line that gets no answer (gammu starts with it)', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    d.send('AT+CGMI\x1b');
    d.send('\r');
    expect(d.take()).toBe('');
    expect(d.at('AT')).toBe('\r\nOK\r\n');
    d.send('\x1b\rAT\r');
    expect(d.take()).toBe('\r\nOK\r\n');
  });

  it('backspace removes the last character', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    d.send('AT+CGMX\x08I\r');
    expect(d.take()).toBe('\r\nTecSOS Sim\r\n\r\nOK\r\n');
  });

  it('answers ERROR to a line longer than 1024 characters, then carries on', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    expect(d.at(`AT+CGMI${';+CGMI'.repeat(200)}`)).toBe('\r\nERROR\r\n');
    expect(d.at('AT')).toBe('\r\nOK\r\n');
  });

  it('ignores LF and noise before AT', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    d.send('\n\x00xxAT+CGMR\r\n');
    expect(d.take()).toBe('\r\nTSM900R01A01\r\n\r\nOK\r\n');
  });

  it('reports errors per AT+CMEE: plain, numeric, verbose', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001', { sim: 'absent' });
    expect(d.at('AT+CPIN?')).toBe('\r\nERROR\r\n');
    d.at('AT+CMEE=1');
    expect(d.at('AT+CPIN?')).toBe('\r\n+CME ERROR: 10\r\n');
    d.at('AT+CMEE=2');
    expect(d.at('AT+CPIN?')).toBe('\r\n+CME ERROR: SIM not inserted\r\n');
    expect(d.at('AT+CMGS=20')).toBe('\r\n> ');
    d.send('00\x1a');
    expect(d.take()).toBe('\r\n+CMS ERROR: invalid PDU mode parameter\r\n');
  });

  it('answers vendor probes with ERROR, as the logged programs accepted', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    for (const probe of ['AT+MODE=2', 'AT+CPROT=?', 'AT+SYNCML=?', 'AT$TSSPCSW=?', 'AT+CCWA=1', 'AT+XYZZY']) {
      expect(d.at(probe), probe).toBe('\r\nERROR\r\n');
    }
    expect(d.at('AT+CHUP=?')).toBe('\r\nOK\r\n');
  });

  it('gives numeric result codes after ATV0 and none after ATQ1', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    expect(d.at('ATV0')).toBe('0\r');
    expect(d.at('AT+NOPE')).toBe('4\r');
    expect(d.at('AT+CGMI')).toBe('TecSOS Sim\r\n0\r');
    expect(d.at('ATV1Q1')).toBe('');
    expect(d.at('AT+CGMM')).toBe('\r\nTSM-900\r\n');
  });

  it('restores defaults on ATZ (echo back on, CMEE 0)', () => {
    const { clock, network } = makeNetwork();
    const d = makeModem(clock, network, '+447700900001');
    d.at('AT+CMEE=2');
    expect(d.at('ATZ')).toBe('\r\nOK\r\n');
    expect(d.at('AT+CMEE?')).toBe('AT+CMEE?\r\r\n+CMEE: 0\r\n\r\nOK\r\n');
  });
});
