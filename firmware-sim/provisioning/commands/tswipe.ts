// AT+TSWIPE -> OK        factory reset: config to factory defaults, report key erased, staging dropped.

import { ok, type ConsoleCommand } from '../command.js';

export const tswipe: ConsoleCommand = {
  name: '+TSWIPE',
  needsAuth: true,
  exec: (s) => {
    s.target.wipe();
    s.staging = undefined;
    return ok();
  },
};
