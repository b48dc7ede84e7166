// V.250 basic commands: ATE (echo), ATV (verbose), ATQ (quiet), ATZ / AT&F (defaults), AT&W, ATX,
// S-registers (S0 auto-answer rings, S3/S4/S5 line characters shown, fixed), and AT alone.
//
//   ATE0 / ATE1      echo off / on (default on, as real modems; gammu needs it after ATE1)
//   ATS0=2           answer after the 2nd RING; ATS0? -> "002"

import type { CommandTable, ModemContext } from '../context.js';
import type { ParsedCommand } from '../command-line.js';
import { basicArg, intArg } from '../args.js';
import { error, ok, type CommandOutcome } from '../outcome.js';

/** Read-only S-registers with their V.250 values: S3 CR, S4 LF, S5 backspace, S7 connection wait. */
const FIXED_S: Readonly<Record<string, number>> = { S3: 13, S4: 10, S5: 8, S6: 2, S7: 60, S8: 2, S10: 15 };

function flag(set: (m: ModemContext, on: boolean) => void) {
  return (cmd: ParsedCommand, m: ModemContext): CommandOutcome => {
    const v = basicArg(cmd);
    if (v !== 0 && v !== 1) return error;
    set(m, v === 1);
    return ok();
  };
}

function sRegister(cmd: ParsedCommand, m: ModemContext): CommandOutcome {
  if (cmd.name === 'S0') {
    if (cmd.form === 'read') return ok(String(m.settings.autoAnswerRings).padStart(3, '0'));
    const v = intArg(cmd, 0, 0, 255, 0);
    if (v === undefined) return error;
    m.settings.autoAnswerRings = v;
    return ok();
  }
  const fixed = FIXED_S[cmd.name];
  if (fixed === undefined) return error;
  if (cmd.form === 'read') return ok(String(fixed).padStart(3, '0'));
  return intArg(cmd, 0, 0, 255) === fixed ? ok() : error;
}

function restore(cmd: ParsedCommand, m: ModemContext): CommandOutcome {
  if (basicArg(cmd) !== 0) return error;
  m.restoreDefaults();
  return ok();
}

export const basicCommands: CommandTable = {
  E: flag((m, on) => (m.settings.echo = on)),
  V: flag((m, on) => (m.settings.verbose = on)),
  Q: flag((m, on) => (m.settings.quiet = on)),
  Z: restore,
  '&F': restore,
  '&W': () => ok(),
  X: (cmd) => (basicArg(cmd) <= 4 ? ok() : error),
  S0: sRegister,
  S3: sRegister,
  S4: sRegister,
  S5: sRegister,
  S6: sRegister,
  S7: sRegister,
  S8: sRegister,
  S10: sRegister,
};
