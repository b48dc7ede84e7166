// Small readers for command arguments: numbers in a range, with a default for an omitted argument.

import type { ParsedCommand } from './command-line.js';

/** The i-th argument as an integer in [min, max]; `dflt` when omitted or empty; undefined when invalid. */
export function intArg(cmd: ParsedCommand, i: number, min: number, max: number, dflt?: number): number | undefined {
  const raw = cmd.args[i];
  if (raw === undefined || raw === '') return dflt;
  if (!/^[0-9]+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= min && n <= max ? n : undefined;
}

/** A basic command's number (ATE1 -> 1); `dflt` when omitted (ATE -> 0). */
export function basicArg(cmd: ParsedCommand, dflt = 0): number {
  const raw = cmd.args[0];
  return raw === undefined || raw === '' ? dflt : Number(raw);
}
