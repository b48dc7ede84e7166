// AT+TSCOMMIT -> OK, or +CME ERROR: 514 when the result would be half-provisioned
// Writes the staged config and key to flash in one atomic write (handset/flash.ts: A/B slots), then the
// firmware applies it. A provisioned handset needs a gateway number and a key.

import { fail, ok, type ConsoleCommand } from '../command.js';
import { ConsoleError } from '../errors.js';

export const tscommit: ConsoleCommand = {
  name: '+TSCOMMIT',
  needsAuth: true,
  exec: (s) => {
    const config = s.stagedConfig();
    const key = s.staging?.key;
    if (config.gatewayNumber === '') return fail(ConsoleError.INCOMPLETE, 'set the gateway number first: AT+TSCFG=gateway,<number>');
    if (key === undefined && !s.target.hasKey()) return fail(ConsoleError.INCOMPLETE, 'write the report key first: AT+TSKEY=<64 hex digits>');
    s.target.commit(config, key);
    s.staging = undefined;
    return ok();
  },
};
