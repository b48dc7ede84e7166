// AT+TSGPS=1 -> OK, then the receiver's raw NMEA (every sentence, CR LF) until AT+TSGPS=0 or ESC (0x1B).
// AT+TSGPS=0 -> OK
// Live diagnostics only: nothing stored is ever read back.

import { fail, ok, type ConsoleCommand } from '../command.js';
import { ConsoleError } from '../errors.js';

export const tsgps: ConsoleCommand = {
  name: '+TSGPS',
  needsAuth: true,
  set: (s, args) => {
    if (args.length !== 1 || (args[0] !== '0' && args[0] !== '1')) return fail(ConsoleError.BAD_PARAMETER, 'usage: AT+TSGPS=1 or AT+TSGPS=0');
    s.stopGpsStream();
    if (args[0] === '1') {
      // Start after the OK is out, so the stream never comes before the answer.
      const start = s.clock.setTimeout(() => {
        s.stopGps = s.target.streamGps((sentence) => s.write(sentence));
      }, 0);
      s.stopGps = () => s.clock.clearTimeout(start);
    }
    return ok();
  },
};
