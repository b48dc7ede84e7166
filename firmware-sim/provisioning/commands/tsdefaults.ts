// AT+TSDEFAULTS -> OK    stages the factory settings, keeping the committed fleet key (the report key is not
//                        touched: AT+TSKEY stages a new one). Staged only: nothing reaches flash before
//                        AT+TSCOMMIT, so a re-provisioning that fails half-way leaves the handset as it was.
// Why: staging starts from the committed settings, so re-provisioning a handset for a new holder would keep
// whatever the last provisioning set and this one does not name (a bench run's silent=0 would make her covert
// handset beep). `tecsos provision --replace` sends this before its AT+TSCFG writes.

import { DEFAULT_CONFIG } from '../../handset/config.js';
import { ok, type ConsoleCommand } from '../command.js';

export const tsdefaults: ConsoleCommand = {
  name: '+TSDEFAULTS',
  needsAuth: true,
  exec: (s) => {
    s.stage().config = { ...DEFAULT_CONFIG, fleetKey: s.stagedConfig().fleetKey };
    return ok();
  },
};
