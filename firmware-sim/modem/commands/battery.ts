// AT+CBC (27.007 8.4): battery from the provider callback the modem was built with (the handset's battery
// model; a fixed 100 % on external power otherwise).
//
//   AT+CBC -> +CBC: 0,85    (<bcs> 0 on battery, 1 charging / external power; <bcl> percent)

import type { CommandTable } from '../context.js';
import { error, ok } from '../outcome.js';

export const batteryCommands: CommandTable = {
  '+CBC': (cmd, m) => {
    if (cmd.form === 'test') return ok('+CBC: (0-3),(0-100)');
    if (cmd.form !== 'exec') return error;
    const b = m.battery();
    const pct = Math.max(0, Math.min(100, Math.round(b.percent)));
    return ok(`+CBC: ${b.charging === true ? 1 : 0},${pct}`);
  },
};
