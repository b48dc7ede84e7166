// Registration and signal (27.007 7.2, 7.3, 8.5), all from the network's radio state for this modem.
//
//   AT+CREG?  -> +CREG: 2,1,"1A2B","00C3"    (n=2: with location; n=0/1: "+CREG: 0,1")
//   URC (n>=1) on every change: +CREG: 5  /  +CREG: 1,"1A2B","00C3"
//   <stat>: 1 home, 5 roaming, 2 searching (coverage hole, network down), 3 denied, 0 off / no SIM
//   AT+CSQ    -> +CSQ: 20,0                  (+CSQ: 99,99 without signal)
//   AT+COPS?  -> +COPS: 0,0,"TecSOS Sim"     (+COPS: 0 when not registered)

import type { CommandTable, ModemContext } from '../context.js';
import { cregStatus, inService, type RadioState } from '../../network/radio.js';
import { CmeError } from '../../../protocol/at/cme-errors.js';
import { intArg } from '../args.js';
import { cme, error, ok } from '../outcome.js';

/** The +CREG URC for a radio state at setting n (1 or 2). */
export function cregUrc(n: 1 | 2, radio: RadioState): string {
  return `+CREG: ${cregStatus(radio.registration)}${n === 2 ? location(radio) : ''}`;
}

function location(radio: RadioState): string {
  if (!inService(radio)) return '';
  const hex = (v: number): string => v.toString(16).toUpperCase().padStart(4, '0');
  return `,"${hex(radio.lac)}","${hex(radio.cellId)}"`;
}

function cregRead(m: ModemContext): string {
  const r = m.radio();
  return `+CREG: ${m.settings.creg},${cregStatus(r.registration)}${m.settings.creg === 2 ? location(r) : ''}`;
}

export const registrationCommands: CommandTable = {
  '+CREG': (cmd, m) => {
    switch (cmd.form) {
      case 'test':
        return ok('+CREG: (0-2)');
      case 'read':
        return ok(cregRead(m));
      case 'exec':
        return error;
      case 'set': {
        const n = intArg(cmd, 0, 0, 2, 0);
        if (n === undefined) return cme(CmeError.INCORRECT_PARAMETERS);
        m.settings.creg = n as 0 | 1 | 2;
        return ok();
      }
      default: {
        const never: never = cmd.form;
        return never;
      }
    }
  },
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
        return ok(inService(r) ? `+COPS: (2,"${r.operator}","${r.operator}","23415"),,(0-4),(0-2)` : '+COPS: ,,(0-4),(0-2)');
      case 'read':
        return ok(inService(r) ? `+COPS: 0,0,"${r.operator}"` : '+COPS: 0');
      case 'exec':
        return error;
      case 'set':
        // Automatic (0) and format-only (3) are accepted; manual selection is not simulated.
        return cmd.args[0] === '0' || cmd.args[0] === '3' ? ok() : cme(CmeError.OPERATION_NOT_SUPPORTED);
      default: {
        const never: never = cmd.form;
        return never;
      }
    }
  },
};
