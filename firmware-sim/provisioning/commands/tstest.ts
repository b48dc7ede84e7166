// AT+TSTEST -> OK        a test alarm: a TST report to the gateway, no emergency call.

import { ok, type ConsoleCommand } from '../command.js';

export const tstest: ConsoleCommand = {
  name: '+TSTEST',
  needsAuth: true,
  exec: (s) => {
    s.target.testAlarm();
    return ok();
  },
};
