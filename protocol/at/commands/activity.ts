// Phone activity status (3GPP TS 27.007 8.1): AT+CPAS.
//
//   AT+CPAS   -> +CPAS: 4   OK      <pas>
//   AT+CPAS=? -> +CPAS: (0,3,4)   OK
//
// pas: 0 ready (no call), 1 unavailable, 2 unknown, 3 ringing (an incoming call), 4 call in progress, 5 asleep.
// Older than AT+CLCC and answered by modems that lack it (or refuse it in some states): it says whether a call
// is up, not whose or which. Ericsson's 129..131 come only with AT+CPAS=1, which is never sent.

import { atCommand, type AtCommand } from '../command.js';
import { intParam, paramsAfter } from '../params.js';
import { corrupt, parsedOk, type Parsed } from '../parsed.js';

/** AT+CPAS. */
export const cpas = (): AtCommand => atCommand('AT+CPAS', { prefixes: ['+CPAS:'] });

const ACTIVITIES = ['ready', 'unavailable', 'unknown', 'ringing', 'call', 'asleep'] as const;

/** What the modem is doing: `ready` no call, `ringing` an incoming call rings, `call` a call is up. */
export type PhoneActivity = (typeof ACTIVITIES)[number];

/** `+CPAS: 4` -> `call`. */
export function parseCpas(line: string): Parsed<PhoneActivity> {
  const p = paramsAfter(line, '+CPAS:');
  if (!p.ok) return p;
  const pas = p.value.length === 1 ? intParam(p.value, 0) : undefined;
  const activity = pas === undefined ? undefined : ACTIVITIES[pas];
  return activity === undefined ? corrupt(`+CPAS status out of range: ${line}`) : parsedOk(activity);
}
