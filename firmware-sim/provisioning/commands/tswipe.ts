// AT+TSWIPE -> OK        factory reset: config to factory defaults, report key erased, staging dropped.
//           -> +CME ERROR: 515 while an alarm is being tracked: without its key and gateway number the handset
//              would go on showing `tracking`, GPS on, and send nothing. Nothing is changed (staging kept).

import { alarmEnds } from '../alarm-ends.js';
import { fail, ok, type ConsoleCommand } from '../command.js';
import { ConsoleError } from '../errors.js';

export const tswipe: ConsoleCommand = {
  name: '+TSWIPE',
  needsAuth: true,
  exec: (s) => {
    if (s.target.alarmInProgress()) {
      return fail(ConsoleError.ALARM_IN_PROGRESS, `alarm in progress: wait until ${alarmEnds(s.target)}, then wipe again`);
    }
    s.target.wipe();
    s.staging = undefined;
    return ok();
  },
};
