// AT+TSSELFTEST -> +TSSELFTEST: "<part>",<1 pass|0 fail>,"<detail>"  one line per part, then OK
// Parts: flash, gps, modem, battery, button (see the firmware's selfTest). Details never hold a position.

import { ok, quoted, type ConsoleCommand } from '../command.js';

export const tsselftest: ConsoleCommand = {
  name: '+TSSELFTEST',
  needsAuth: true,
  exec: async (s) => {
    const items = await s.target.selfTest(s.signal);
    return ok(...items.map((i) => `+TSSELFTEST: ${quoted(i.name)},${i.ok ? 1 : 0},${quoted(i.detail)}`));
  },
};
