// Error reporting mode (3GPP TS 27.007 9.1): AT+CMEE=<n>.
//
//   AT+CMEE=1 -> OK               then errors come as +CME ERROR: 10
//   AT+CMEE?  -> +CMEE: 1  OK
//
// 0: plain ERROR; 1: numeric codes; 2: verbose text. Both 1 and 2 decode to the same named codes
// (final-results.ts); 1 is what smstools and gammu set and what the gateway uses.

import { atCommand, type AtCommand } from '../command.js';
import { paramsAfter, intParam } from '../params.js';
import { corrupt, parsedOk, type Parsed } from '../parsed.js';

/** AT+CMEE modes. */
export const CmeeMode = { DISABLED: 0, NUMERIC: 1, VERBOSE: 2 } as const;
/** One of the AT+CMEE modes. */
export type CmeeMode = (typeof CmeeMode)[keyof typeof CmeeMode];

/** AT+CMEE=<mode>. */
export const cmee = (mode: CmeeMode = CmeeMode.NUMERIC): AtCommand => atCommand(`AT+CMEE=${mode}`);
/** AT+CMEE? */
export const cmeeRead = (): AtCommand => atCommand('AT+CMEE?', { prefixes: ['+CMEE:'] });

/** `+CMEE: 1` -> 1. */
export function parseCmee(line: string): Parsed<CmeeMode> {
  const p = paramsAfter(line, '+CMEE:');
  if (!p.ok) return p;
  const n = intParam(p.value, 0);
  return n === 0 || n === 1 || n === 2 ? parsedOk(n) : corrupt(`+CMEE mode out of range: ${line}`);
}
