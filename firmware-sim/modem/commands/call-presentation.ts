// How incoming and connected calls are shown (27.007 7.6, 6.11, 7.7):
//
//   AT+CLIP=1  -> after each RING:  +CLIP: "+447700900456",145,,,,0   (withheld: +CLIP: "",128,,,,1)
//   AT+CRC=1   -> +CRING: VOICE instead of RING
//   AT+COLP=1  -> when an outgoing call is answered: +COLP: "+447700900456",145
// Read forms: +CLIP: <n>,1 (CLIP provisioned), +CRC: <n>, +COLP: <n>,1.

import type { CommandHandler, CommandTable, ModemContext } from '../context.js';
import { intArg } from '../args.js';
import { error, ok } from '../outcome.js';

function onOff(name: string, read: (m: ModemContext) => string, set: (m: ModemContext, on: boolean) => void): CommandHandler {
  return (cmd, m) => {
    switch (cmd.form) {
      case 'test':
        return ok(`${name}: (0,1)`);
      case 'read':
        return ok(read(m));
      case 'exec':
        return error;
      case 'set': {
        const v = intArg(cmd, 0, 0, 1, 0);
        if (v === undefined) return error;
        set(m, v === 1);
        return ok();
      }
      default: {
        const never: never = cmd.form;
        return never;
      }
    }
  };
}

export const callPresentationCommands: CommandTable = {
  '+CLIP': onOff('+CLIP', (m) => `+CLIP: ${m.settings.clip ? 1 : 0},1`, (m, on) => (m.settings.clip = on)),
  '+CRC': onOff('+CRC', (m) => `+CRC: ${m.settings.crc ? 1 : 0}`, (m, on) => (m.settings.crc = on)),
  '+COLP': onOff('+COLP', (m) => `+COLP: ${m.settings.colp ? 1 : 0},1`, (m, on) => (m.settings.colp = on)),
  // USSD presentation (gammu monitor sends AT+CUSD=1): the flag is kept; no USSD service is simulated.
  '+CUSD': (cmd, m) => {
    if (cmd.form === 'test') return ok('+CUSD: (0,1,2)');
    if (cmd.form === 'read') return ok(`+CUSD: ${m.settings.cusd}`);
    const v = intArg(cmd, 0, 0, 2, 0);
    if (v === undefined || cmd.args.length > 1) return error;
    m.settings.cusd = v;
    return ok();
  },
};
