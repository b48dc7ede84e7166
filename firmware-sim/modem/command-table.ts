// Every AT command the simulated modem knows, by name: one family per file in commands/, one line here.
// A name missing from the table is answered ERROR (what real modems do with a command they lack).

import type { CommandHandler, CommandTable } from './context.js';
import { basicCommands } from './commands/basic.js';
import { errorReportingCommands } from './commands/error-reporting.js';
import { identityCommands } from './commands/identity.js';
import { simCommands } from './commands/sim.js';
import { powerCommands } from './commands/power.js';
import { registrationCommands } from './commands/registration.js';
import { callCommands } from './commands/calls.js';
import { callPresentationCommands } from './commands/call-presentation.js';
import { smsConfigCommands } from './commands/sms-config.js';
import { smsSendCommands } from './commands/sms-send.js';
import { smsStoreCommands } from './commands/sms-store.js';
import { batteryCommands } from './commands/battery.js';
import { vendorCommands } from './commands/vendor.js';

const FAMILIES: readonly CommandTable[] = [
  basicCommands,
  errorReportingCommands,
  identityCommands,
  simCommands,
  powerCommands,
  registrationCommands,
  callCommands,
  callPresentationCommands,
  smsConfigCommands,
  smsSendCommands,
  smsStoreCommands,
  batteryCommands,
  vendorCommands,
];

/** The merged table; a name defined twice is a programming error caught at start-up. */
export const COMMANDS: ReadonlyMap<string, CommandHandler> = (() => {
  const map = new Map<string, CommandHandler>();
  for (const family of FAMILIES) {
    for (const [name, handler] of Object.entries(family)) {
      if (map.has(name)) throw new Error(`AT command ${name} is defined by two command families`);
      map.set(name, handler);
    }
  }
  return map;
})();
