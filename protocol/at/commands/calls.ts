// Calls (ITU-T V.250 6.3, 3GPP TS 27.007 6.x, 7.6, 7.18): ATD, ATA, ATH, AT+CHUP, AT+CLCC, AT+CLIP.
//
//   ATD999;          -> OK (voice: `;` keeps the modem in command mode), later NO CARRIER / BUSY as URCs;
//                       some modems hold the final until the call connects, so call-progress words end ATD too
//   ATA              -> OK | NO CARRIER
//   AT+CLCC          -> +CLCC: 1,1,4,0,0,"+447700900456",145,"Jane"   OK
//                       <id>,<dir>,<stat>,<mode>,<mpty>[,<number>,<type>[,<alpha>[,<priority>[,<CLI validity>]]]]
//   (URC, CLIP=1)       +CLIP: "+447700900456",145,,,,0
//                       <number>,<type>[,<subaddr>,<satype>[,<alpha>[,<CLI validity>]]]
//   (URC, CRC=1)        +CRING: VOICE
//
// CLI validity: 0 valid, 1 withheld by the caller, 2 not available (interworking), 3 payphone, 4 other.
// Without it, an empty number means "not available". Withheld WITH a number: 27.007 7.6 gives <number> for a
// withheld CLI when the subscription has the "override category" (TS 22.081), which is what an emergency
// service's line has: the caller's number, and it is taken (a TecSOS handset's number withheld, her alarm call
// would otherwise ring as ordinary). Otherwise the modem returns the number empty, as for "not available".

import { atCommand, built, refused, type AtCommand, type BuildResult } from '../command.js';
import { intParam, paramsAfter, strParam } from '../params.js';
import { corrupt, parsedOk, type Parsed } from '../parsed.js';

/** Dial strings: digits, * # +, A-D, and the pause/wait modifiers. */
const DIAL_STRING = /^\+?[0-9*#ABCDabcd,pPwW]{1,80}$/;

/**
 * ATD<number>[;]. Voice by default (with `;`). Allowed 60 s for a final, since some modems answer only when the
 * call connects or fails.
 */
export function dial(number: string, options: { voice?: boolean; timeoutMs?: number } = {}): BuildResult {
  if (!DIAL_STRING.test(number)) return refused(`not a dial string: "${number}"`);
  const voice = options.voice ?? true;
  return built(`ATD${number}${voice ? ';' : ''}`, { callProgress: true, timeoutMs: options.timeoutMs ?? 60_000 });
}

/** ATA: answer the ringing call. */
export const answer = (): AtCommand => atCommand('ATA', { callProgress: true, timeoutMs: 30_000 });
/** ATH: hang up. */
export const hangup = (): AtCommand => atCommand('ATH', { timeoutMs: 20_000 });
/** AT+CHUP: hang up (27.007, preferred on modems that treat ATH as data only). */
export const chup = (): AtCommand => atCommand('AT+CHUP', { timeoutMs: 20_000 });
/** AT+CLCC: list current calls. `+CLCC:` lines are its answer only while it is in flight. */
export const clcc = (): AtCommand => atCommand('AT+CLCC', { prefixes: ['+CLCC:'] });
/**
 * AT+CLIP=<0|1>: caller id on incoming calls. No answer lines (`prefixes: []`): a `+CLIP:` arriving meanwhile is a
 * caller's number, delivered as a URC (a bare AT+CLIP... would otherwise own its +CLIP: lines, see engine.ts).
 */
export const clip = (enable: boolean): AtCommand => atCommand(`AT+CLIP=${enable ? 1 : 0}`, { prefixes: [] });
/** AT+CRC=<0|1>: extended ring (+CRING: <type>). */
export const crc = (enable: boolean): AtCommand => atCommand(`AT+CRC=${enable ? 1 : 0}`);

const CALL_STATES = ['active', 'held', 'dialing', 'alerting', 'incoming', 'waiting'] as const;
const CALL_MODES = ['voice', 'data', 'fax'] as const;
const CLI_VALIDITY = ['valid', 'withheld', 'unavailable', 'payphone', 'other'] as const;

/** Why a caller's number is or is not shown. */
export type CliValidity = (typeof CLI_VALIDITY)[number];

/** One call from +CLCC. */
export interface CallEntry {
  readonly index: number;
  /** `outgoing` (mobile originated, dir 0) or `incoming` (dir 1). */
  readonly direction: 'outgoing' | 'incoming';
  readonly state: (typeof CALL_STATES)[number];
  /** voice, data, fax, or `other` for modes 3..9. */
  readonly mode: (typeof CALL_MODES)[number] | 'other';
  readonly multiparty: boolean;
  readonly number?: string;
  /** Type of address: 145 international, 129 national/unknown. */
  readonly type?: number;
  readonly alpha?: string;
  readonly validity?: CliValidity;
}

/**
 * What a caller number can hold: a `+` in front, then digits, `*` and `#` (27.007 string type phone number, as
 * networks present a caller). Anything else is a line garbled on the serial link (`"+44770090O456"`, `+4477 0900456`,
 * a quote inside an unquoted field), not a number: docs/at.md "CLIP validity". A space or a letter from one
 * flipped bit would otherwise be read as another number, or as a number the gateway cannot use.
 */
const CALLER_NUMBER = /^\+?[0-9*#]*$/;

/** `+CLCC: 1,1,4,0,0,"+447700900456",145,"Jane"`. */
export function parseClcc(line: string): Parsed<CallEntry> {
  const p = paramsAfter(line, '+CLCC:');
  if (!p.ok) return p;
  const [index, dir, stat, mode, mpty] = [0, 1, 2, 3, 4].map((i) => intParam(p.value, i));
  if (index === undefined || dir === undefined || dir > 1) return corrupt(`+CLCC id/dir invalid: ${line}`);
  if (stat === undefined || stat >= CALL_STATES.length) return corrupt(`+CLCC stat out of range: ${line}`);
  if (mode === undefined || mpty === undefined || mpty > 1) return corrupt(`+CLCC mode/mpty invalid: ${line}`);
  // A garbled number (docs/at.md "CLIP validity") is left out, the entry kept: dropping the entry would read as
  // her call no longer listed (a missed call); without a number it is a call the modem listed without one.
  const listed = strParam(p.value, 5);
  const number = listed !== undefined && CALLER_NUMBER.test(listed) ? listed : undefined;
  const type = intParam(p.value, 6);
  const alpha = strParam(p.value, 7);
  const v = intParam(p.value, 9);
  return parsedOk({
    index,
    direction: dir === 0 ? 'outgoing' : 'incoming',
    state: CALL_STATES[stat] as CallEntry['state'],
    mode: (CALL_MODES[mode] as CallEntry['mode'] | undefined) ?? 'other',
    multiparty: mpty === 1,
    ...(number === undefined ? {} : { number }),
    ...(type === undefined ? {} : { type }),
    ...(alpha === undefined ? {} : { alpha }),
    ...(v === undefined ? {} : { validity: CLI_VALIDITY[v] ?? 'other' }),
  });
}

/** A decoded +CLIP URC. */
export interface CallerId {
  /** The number, when it is given: not empty, validity valid or withheld (override category: see the file comment). */
  readonly number?: string;
  readonly type?: number;
  readonly alpha?: string;
  readonly validity: CliValidity;
}

/** `+CLIP: "+447700900456",145,,,,0` or `+CLIP: "",128,,,,1` (withheld). */
export function parseClip(line: string): Parsed<CallerId> {
  const p = paramsAfter(line, '+CLIP:');
  if (!p.ok) return p;
  const raw = strParam(p.value, 0) ?? '';
  if (!CALLER_NUMBER.test(raw)) return corrupt(`+CLIP number holds a character no phone number has: ${line}`);
  const type = intParam(p.value, 1);
  const alpha = strParam(p.value, 4);
  const v = intParam(p.value, 5);
  if (v !== undefined && v > 4) return corrupt(`+CLIP validity out of range: ${line}`);
  const validity: CliValidity = v !== undefined ? (CLI_VALIDITY[v] as CliValidity) : raw === '' ? 'unavailable' : 'valid';
  const number = (validity === 'valid' || validity === 'withheld') && raw !== '' ? raw : undefined;
  return parsedOk({
    ...(number === undefined ? {} : { number }),
    ...(type === undefined ? {} : { type }),
    ...(alpha === undefined ? {} : { alpha }),
    validity,
  });
}

/** `+CRING: VOICE` -> `VOICE` (the call type as sent). */
export function parseCring(line: string): Parsed<string> {
  const p = paramsAfter(line, '+CRING:');
  if (!p.ok) return p;
  const type = strParam(p.value, 0);
  return type === undefined ? corrupt(`+CRING without type: ${line}`) : parsedOk(type);
}
