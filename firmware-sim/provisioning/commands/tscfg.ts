// AT+TSCFG=<name>,<value> -> OK          stages one setting (names: handset/config-names.ts)
// AT+TSCFG?               -> +TSCFG: "<name>","<value>"   one line per setting, staged view
// Nothing reaches flash before AT+TSCOMMIT. The key is not a setting and is never listed.

import { applyConfigValue, listConfig } from '../../handset/config-names.js';
import { fail, ok, quoted, type ConsoleCommand } from '../command.js';
import { ConsoleError } from '../errors.js';

export const tscfg: ConsoleCommand = {
  name: '+TSCFG',
  needsAuth: true,
  query: (s) => ok(...listConfig(s.stagedConfig()).map(([n, v]) => `+TSCFG: ${quoted(n)},${quoted(v)}`)),
  set: (s, args) => {
    if (args.length !== 2) return fail(ConsoleError.BAD_PARAMETER, 'usage: AT+TSCFG=<name>,<value>');
    const r = applyConfigValue(s.stagedConfig(), args[0] as string, args[1] as string);
    if (!r.ok) return fail(ConsoleError.BAD_PARAMETER, r.reason);
    s.stage().config = r.value;
    return ok();
  },
};
