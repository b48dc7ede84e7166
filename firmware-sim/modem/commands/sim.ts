// AT+CPIN (27.007 8.3): the SIM's state. "+CPIN: READY" with a SIM, "+CME ERROR: 10" without one,
// "+CPIN: SIM PIN" until AT+CPIN="<pin>" unlocks it (a wrong PIN: +CME ERROR: 16).

import type { CommandTable } from '../context.js';
import { CmeError } from '../../../protocol/at/cme-errors.js';
import { cme, error, ok } from '../outcome.js';

export const simCommands: CommandTable = {
  '+CPIN': (cmd, m) => {
    if (cmd.form === 'test') return ok();
    if (m.sim === 'absent') return cme(CmeError.SIM_NOT_INSERTED);
    if (cmd.form === 'read') return ok(m.sim === 'ready' ? '+CPIN: READY' : '+CPIN: SIM PIN');
    if (cmd.form !== 'set') return error;
    if (m.sim === 'ready') return cme(CmeError.OPERATION_NOT_ALLOWED);
    if (cmd.args[0] !== m.simPin) return cme(CmeError.INCORRECT_PASSWORD);
    m.sim = 'ready';
    m.availabilityChanged();
    return ok();
  },
};
