// Voice calls (V.250 6.3, 27.007 6.5, 7.18, 8.1): dial, answer, hang up, list, activity.
//
//   ATD+447700900456;   -> OK at once (the call is set up), later NO CARRIER / BUSY / NO ANSWER if it fails
//                          or ends; NO CARRIER at once without network service. ATD without ';' (data) and a
//                          second ATD while in a call: NO CARRIER / +CME ERROR: 3.
//   ATA                 -> OK (the ringing call is connected); NO CARRIER when nothing rings
//   ATH / AT+CHUP       -> OK, every call ends (the other side gets NO CARRIER); AT+CHUP=? -> OK
//   AT+CLCC             -> +CLCC: 1,0,0,0,0,"999",129   (<idx>,<dir>,<stat>,<mode 0 voice>,<mpty>,<number>,<type>)
//   AT+CPAS             -> +CPAS: 4 (a call up or being dialled), 3 (only an incoming call ringing), 0 (no call)

import type { CommandTable, ModemContext } from '../context.js';
import type { ParsedCommand } from '../command-line.js';
import { addressType } from '../../network/msisdn.js';
import { FinalCode, error, ok, type CommandOutcome } from '../outcome.js';

function hangup(cmd: ParsedCommand, m: ModemContext): CommandOutcome {
  if (cmd.form === 'test') return ok();
  if (cmd.form !== 'exec' || (cmd.name === 'H' && cmd.args[0] !== '' && cmd.args[0] !== '0')) return error;
  m.hangupAll();
  return ok();
}

export const callCommands: CommandTable = {
  D: (cmd, m) => m.dial(cmd.args[0] ?? ''),
  A: (_cmd, m) => (m.answer() ? ok() : { kind: 'final', code: FinalCode.NO_CARRIER }),
  H: hangup,
  '+CHUP': hangup,
  '+CLCC': (cmd, m) => {
    if (cmd.form === 'test') return ok();
    if (cmd.form !== 'exec') return error;
    return ok(
      ...m.calls.map(
        (c) =>
          `+CLCC: ${c.index},${c.direction},${c.stat},0,0` +
          (c.number === '' ? '' : `,"${c.number}",${addressType(c.number)}`),
      ),
    );
  },
  '+CPAS': (cmd, m) => {
    if (cmd.form === 'test') return ok('+CPAS: (0,3,4)');
    if (cmd.form !== 'exec' && cmd.form !== 'read') return error;
    const pas = m.calls.some((c) => c.stat !== 4) ? 4 : m.calls.length > 0 ? 3 : 0;
    return ok(`+CPAS: ${pas}`);
  },
};
