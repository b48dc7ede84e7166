// AT+CFUN (27.007 8.2): 1 full functionality, 0 minimum, 4 radio off; "AT+CFUN=1,1" answers OK, then reboots and
// prints its boot banner ("\r\nRDY\r\n"). gammu sends AT+CFUN=1 at start.

import type { CommandTable } from '../context.js';
import { CmeError } from '../../../protocol/at/cme-errors.js';
import { intArg } from '../args.js';
import { cme, ok } from '../outcome.js';

export const powerCommands: CommandTable = {
  '+CFUN': (cmd, m) => {
    if (cmd.form === 'test') return ok('+CFUN: (0,1,4),(0,1)');
    if (cmd.form === 'read') return ok(`+CFUN: ${m.functionality}`);
    if (cmd.form === 'exec') return cme(CmeError.INCORRECT_PARAMETERS);
    const fun = intArg(cmd, 0, 0, 4);
    const rst = intArg(cmd, 1, 0, 1, 0);
    if (fun === undefined || fun === 2 || fun === 3 || rst === undefined) return cme(CmeError.INCORRECT_PARAMETERS);
    if (rst === 1) {
      m.reboot(); // after this line's OK
      return ok();
    }
    m.setFunctionality(fun);
    return ok();
  },
};
