// AT+TSINFO? -> +TSINFO: "<id>","<firmware>","<imei>",<provisioned 0|1>
// Works unauthenticated and even while locked: it says which handset this is, nothing secret.

import { ok, quoted, type ConsoleCommand } from '../command.js';

export const tsinfo: ConsoleCommand = {
  name: '+TSINFO',
  needsAuth: false,
  query: (s) => {
    const i = s.target.info();
    return ok(`+TSINFO: ${quoted(i.id)},${quoted(i.firmware)},${quoted(i.imei)},${i.provisioned ? 1 : 0}`);
  },
};
