// Registration and signal (27.007 7.2, 7.3, 8.5, 10.1.20), all from the network's radio state for this modem.
// GPRS registration (+CGREG, which gammu monitor polls and gives up without) follows circuit-switched
// registration: no packet data is simulated, but a modem registered for calls is registered for GPRS too.
//
//   AT+CREG?  -> +CREG: 2,1,"1A2B","00C3"    (n=2: with location; n=0/1: "+CREG: 0,1")
//   URC (n>=1) on every change: +CREG: 5  /  +CREG: 1,"1A2B","00C3"
//   <stat>: 1 home, 5 roaming, 2 searching (coverage hole, network down), 3 denied, 0 off / no SIM
//   AT+CSQ    -> +CSQ: 20,0                  (+CSQ: 99,99 without signal)
//   AT+COPS?  -> +COPS: 0,0,"TecSOS Sim"     (+COPS: 0 when not registered; AT+COPS=3,2 -> "23415")
//   AT+CGATT? -> +CGATT: 1 while registered

import type { CommandHandler, CommandTable } from '../context.js';
import { cregStatus, inService, type RadioState } from '../../network/radio.js';
import { CmeError } from '../../../protocol/at/cme-errors.js';
import { intArg } from '../args.js';
import { cme, error, ok } from '../outcome.js';

/** The +CREG (or +CGREG) URC for a radio state at setting n (1 or 2). */
export function cregUrc(n: 1 | 2, radio: RadioState, name: '+CREG' | '+CGREG' = '+CREG'): string {
  return `${name}: ${cregStatus(radio.registration)}${n === 2 ? location(radio) : ''}`;
}

function location(radio: RadioState): string {
  if (!inService(radio)) return '';
  const hex = (v: number): string => v.toString(16).toUpperCase().padStart(4, '0');
  return `,"${hex(radio.lac)}","${hex(radio.cellId)}"`;
}

function registrationCommand(name: '+CREG' | '+CGREG', key: 'creg' | 'cgreg'): CommandHandler {
  return (cmd, m) => {
    switch (cmd.form) {
      case 'test':
        return ok(`${name}: (0-2)`);
      case 'read': {
        const r = m.radio();
        const n = m.settings[key];
        return ok(`${name}: ${n},${cregStatus(r.registration)}${n === 2 ? location(r) : ''}`);
      }
      case 'exec':
        return error;
      case 'set': {
        const n = intArg(cmd, 0, 0, 2, 0);
        if (n === undefined) return cme(CmeError.INCORRECT_PARAMETERS);
        m.settings[key] = n as 0 | 1 | 2;
        return ok();
      }
      default: {
        const never: never = cmd.form;
        return never;
      }
    }
  };
}

export const registrationCommands: CommandTable = {
  '+CREG': registrationCommand('+CREG', 'creg'),
  '+CGREG': registrationCommand('+CGREG', 'cgreg'),
  '+CSQ': (cmd, m) => {
    if (cmd.form === 'test') return ok('+CSQ: (0-31,99),(0-7,99)');
    if (cmd.form !== 'exec') return error;
    const r = m.radio();
    return ok(r.rssi === 99 ? '+CSQ: 99,99' : `+CSQ: ${r.rssi},0`);
  },
  '+COPS': (cmd, m) => {
    const r = m.radio();
    switch (cmd.form) {
      case 'test':
        return ok(inService(r) ? `+COPS: (2,"${r.operator}","${r.operator}","${r.plmn}"),,(0-4),(0-2)` : '+COPS: ,,(0-4),(0-2)');
      case 'read': {
        if (!inService(r)) return ok('+COPS: 0');
        const f = m.settings.copsFormat;
        return ok(`+COPS: 0,${f},"${f === 2 ? r.plmn : r.operator}"`);
      }
      case 'exec':
        return error;
      case 'set': {
        // Automatic (0) and format-only (3) are accepted; manual selection is not simulated.
        const mode = cmd.args[0];
        const format = intArg(cmd, 1, 0, 2, m.settings.copsFormat);
        if ((mode !== '0' && mode !== '3') || format === undefined) return cme(CmeError.OPERATION_NOT_SUPPORTED);
        m.settings.copsFormat = format as 0 | 1 | 2;
        return ok();
      }
      default: {
        const never: never = cmd.form;
        return never;
      }
    }
  },
  // GPRS attach state: attached whenever registered (no packet data is simulated; attach/detach refused).
  '+CGATT': (cmd, m) => {
    if (cmd.form === 'test') return ok('+CGATT: (0,1)');
    if (cmd.form === 'read') return ok(`+CGATT: ${inService(m.radio()) ? 1 : 0}`);
    return cme(CmeError.OPERATION_NOT_SUPPORTED);
  },
};
