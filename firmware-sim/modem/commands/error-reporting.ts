// AT+CMEE (27.007 9.1): how errors are reported. 0 plain "ERROR", 1 "+CME ERROR: 10",
// 2 "+CME ERROR: SIM not inserted". gammu sends AT+CMEE=1, smsd AT+CMEE=1;+CREG=2.

import type { CommandTable } from '../context.js';
import { intArg } from '../args.js';
import { error, ok } from '../outcome.js';

export const errorReportingCommands: CommandTable = {
  '+CMEE': (cmd, m) => {
    switch (cmd.form) {
      case 'test':
        return ok('+CMEE: (0-2)');
      case 'read':
        return ok(`+CMEE: ${m.settings.cmee}`);
      case 'exec':
        m.settings.cmee = 0;
        return ok();
      case 'set': {
        const n = intArg(cmd, 0, 0, 2, 0);
        if (n === undefined) return error;
        m.settings.cmee = n as 0 | 1 | 2;
        return ok();
      }
      default: {
        const never: never = cmd.form;
        return never;
      }
    }
  },
};
