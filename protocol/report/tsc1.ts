// TSC1: a control command from the gateway to one handset, by SMS, signed with that handset's key and
// numbered with the gateway's own counter for that handset (the handset keeps its own replay window).
//
//   TSC1;h=TS-0001;n=17;c=INTERVAL=30;m=ndO9mEYbiSs
//
// | field | syntax                          | notes                                                 |
// |-------|---------------------------------|-------------------------------------------------------|
// | h     | [A-Z0-9][A-Z0-9-]{0,15}         | the addressed handset: a handset ignores other ids   |
// | n     | 0 .. 4294967295                 | the gateway's counter for this handset               |
// | c     | STOP, LOCATE, INTERVAL=<s>      | s: 5 .. 3600 seconds, canonical decimal               |
// | m     | 11 base64url chars              | as TSR1 (mac.ts)                                      |
//
// STOP ends tracking, LOCATE asks for one TRK report with a fresh fix now, INTERVAL sets the tracking period.

import { checkDecimal, checkHandsetId, MAX_COUNTER, valueOf } from './fields.js';
import { splitFrame } from './frame.js';
import {
  computeMac,
  computeMacSync,
  verifyMac,
  verifyMacSync,
  webCryptoHmacSha256,
  type HmacSha256,
  type HmacSha256Sync,
} from './mac.js';
import { reject, WireReason, type WireRejection } from './reasons.js';

/** Shortest and longest tracking interval a command may set, in seconds. */
export const MIN_INTERVAL_S = 5;
export const MAX_INTERVAL_S = 3600;

/** What the gateway asks the handset to do. */
export type HandsetCommand = { readonly kind: 'STOP' } | { readonly kind: 'LOCATE' } | { readonly kind: 'INTERVAL'; readonly seconds: number };

/** The content of a command (everything but the MAC). */
export interface CommandFields {
  readonly handsetId: string;
  readonly counter: number;
  readonly command: HandsetCommand;
}

/** A syntactically valid command, not yet verified. */
export interface DecodedCommand extends CommandFields {
  readonly ok: true;
  readonly version: 1;
  /** The text the MAC covers: everything before `;m=`. */
  readonly signed: string;
  readonly mac: string;
}

export type CommandDecodeResult = DecodedCommand | WireRejection;

/** Thrown by encodeCommand for a command the gateway must never send. */
export class CommandEncodeError extends Error {
  constructor(
    readonly reason: WireReason,
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'CommandEncodeError';
  }
}

const FIELD_COUNT = 3;

/** The `c=` value of a command. */
export function commandText(command: HandsetCommand): string {
  switch (command.kind) {
    case 'STOP':
    case 'LOCATE':
      return command.kind;
    case 'INTERVAL':
      return `INTERVAL=${command.seconds}`;
    default: {
      const never: never = command;
      return String(never);
    }
  }
}

function parseCommand(c: string): HandsetCommand | WireRejection {
  if (c === 'STOP') return { kind: 'STOP' };
  if (c === 'LOCATE') return { kind: 'LOCATE' };
  const s = valueOf(c, 'INTERVAL');
  if (s === null) return reject(WireReason.BAD_FIELD, `unknown command "${c.slice(0, 12)}"`, 'c');
  const bad = checkDecimal(s, 'c', MIN_INTERVAL_S, MAX_INTERVAL_S);
  return bad ?? { kind: 'INTERVAL', seconds: Number(s) };
}

/** Parses and checks a TSC1 text without the key. Never throws. */
export function decodeCommand(text: string): CommandDecodeResult {
  const frame = splitFrame(text, 'TSC', FIELD_COUNT);
  if (!frame.ok) return frame;
  const [ph, pn, pc] = frame.parts as [string, string, string];
  const h = valueOf(ph, 'h');
  if (h === null) return reject(WireReason.BAD_FIELD, 'expected h=<handset id>', 'h');
  const n = valueOf(pn, 'n');
  if (n === null) return reject(WireReason.BAD_FIELD, 'expected n=<counter>', 'n');
  const c = valueOf(pc, 'c');
  if (c === null) return reject(WireReason.BAD_FIELD, 'expected c=<command>', 'c');
  const bad = checkHandsetId(h) ?? checkDecimal(n, 'n', 0, MAX_COUNTER);
  if (bad !== null) return bad;
  const command = parseCommand(c);
  if ('ok' in command) return command;
  return { ok: true, version: 1, handsetId: h, counter: Number(n), command, signed: frame.signed, mac: frame.mac };
}

/** The signed part of a command; throws CommandEncodeError for invalid fields. */
export function commandSignedText(fields: CommandFields): string {
  const signed = `TSC1;h=${fields.handsetId};n=${fields.counter};c=${commandText(fields.command)}`;
  const probe = decodeCommand(signed + ';m=AAAAAAAAAAA');
  if (!probe.ok) throw new CommandEncodeError(probe.reason, probe.field, `cannot encode command: ${probe.detail}`);
  if (probe.handsetId !== fields.handsetId || probe.counter !== fields.counter || commandText(probe.command) !== commandText(fields.command)) {
    throw new CommandEncodeError(WireReason.BAD_FIELD, undefined, 'cannot encode command: a field does not round-trip');
  }
  return signed;
}

/** Encodes and signs a command (Web Crypto by default). Throws CommandEncodeError / RangeError (key). */
export async function encodeCommand(fields: CommandFields, key: Uint8Array, hmac: HmacSha256 = webCryptoHmacSha256): Promise<string> {
  const signed = commandSignedText(fields);
  return `${signed};m=${await computeMac(signed, key, hmac)}`;
}

/** Synchronous {@link encodeCommand} with an injected synchronous HMAC. */
export function encodeCommandSync(fields: CommandFields, key: Uint8Array, hmac: HmacSha256Sync): string {
  const signed = commandSignedText(fields);
  return `${signed};m=${computeMacSync(signed, key, hmac)}`;
}

/** True when the decoded command's MAC matches `key` (constant-time compare). */
export function verifyCommand(
  command: Pick<DecodedCommand, 'signed' | 'mac'>,
  key: Uint8Array,
  hmac: HmacSha256 = webCryptoHmacSha256,
): Promise<boolean> {
  return verifyMac(command.signed, command.mac, key, hmac);
}

/** Synchronous {@link verifyCommand}. */
export function verifyCommandSync(command: Pick<DecodedCommand, 'signed' | 'mac'>, key: Uint8Array, hmac: HmacSha256Sync): boolean {
  return verifyMacSync(command.signed, command.mac, key, hmac);
}
