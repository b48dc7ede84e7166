// One CLI command: its name, a one-line summary, its usage, its options (node:util parseArgs), and run().
// Adding a command = one file in commands/ and one row in commands/table.ts.

import type { ParseArgsConfig } from 'node:util';
import type { CliIo } from './io.js';
import type { Output } from './output.js';

export type OptionValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

export type CliCommand = {
  readonly name: string;
  readonly summary: string;
  /** Usage text after `tecsos <name> `. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(values: OptionValues, io: CliIo, out: Output): Promise<number>;
};

/** Options every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A string option's value, or undefined. */
export function str(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** A whole-number option in [min, max]; a usage reason when it is not one. */
export function int(values: OptionValues, name: string, min: number, max: number): { ok: true; value: number | undefined } | { ok: false; reason: string } {
  const v = str(values, name);
  if (v === undefined) return { ok: true, value: undefined };
  if (!/^\d{1,9}$/.test(v) || Number(v) < min || Number(v) > max) return { ok: false, reason: `--${name} must be a whole number from ${min} to ${max}, not ${JSON.stringify(v)}` };
  return { ok: true, value: Number(v) };
}
