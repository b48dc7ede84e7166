// One console command: its name, whether it needs an authenticated session, and a handler per AT form
// (`AT+X?` query, `AT+X=<args>` set, `AT+X` exec). Adding a command = one file in commands/ and one row in
// commands/table.ts.

import type { ConsoleError } from './errors.js';
import type { ConsoleSession } from './session.js';

/** What a handler answers: information lines, then OK, or an error code with a reason for the engineer. */
export type CommandResult =
  | { readonly lines: readonly string[]; readonly error?: undefined }
  | { readonly lines: readonly string[]; readonly error: ConsoleError; readonly reason: string };

export type Handler = (session: ConsoleSession, args: readonly string[]) => CommandResult | Promise<CommandResult>;

export interface ConsoleCommand {
  /** Upper case, with the leading `+`, e.g. `+TSINFO`. */
  readonly name: string;
  /** False only for the commands that must work before authentication (TSINFO, TSAUTH). */
  readonly needsAuth: boolean;
  readonly query?: Handler;
  readonly set?: Handler;
  readonly exec?: Handler;
}

export const ok = (...lines: string[]): CommandResult => ({ lines });

export const fail = (error: ConsoleError, reason: string, ...lines: string[]): CommandResult => ({ lines, error, reason });

/** Quotes a string value for an information line (V.250 string constants: no `"` inside). */
export const quoted = (s: string): string => `"${s.replace(/"/g, '')}"`;
