// AT+TSDEFAULTS -> OK    stages the factory settings, keeping the committed fleet key (the report key is not
//                        touched: AT+TSKEY stages a new one). Staged only: nothing reaches flash before
//                        AT+TSCOMMIT, so a re-provisioning that fails half-way leaves the handset as it was.
// Why: staging starts from the committed settings, so re-provisioning a handset for a new holder would keep
// whatever the last provisioning set and this one does not name (a bench run's silent=0 would make her covert
// handset beep). `tecsos provision --replace` sends this before its AT+TSCFG writes.

import { ok, type ConsoleCommand } from '../command.js';

export const tsdefaults: ConsoleCommand = {
  name: '+TSDEFAULTS',
  needsAuth: true,
  exec: (s) => {
    // The handset's own factory image, as AT+TSWIPE restores (not the simulator's generic defaults: a handset
    // built for a market where the emergency number is 112 must not be staged 999).
    s.stage().config = { ...s.target.factoryConfig(), fleetKey: s.stagedConfig().fleetKey };
    return ok();
  },
};
