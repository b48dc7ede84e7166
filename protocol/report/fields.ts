// Field syntax shared by TSR1 and TSC1. Each check returns null when the value is good, or the rejection.

import { MAC_CHARS } from './mac.js';
import { isBase64Url } from './base64url.js';
import { reject, WireReason, type WireRejection } from './reasons.js';

/** Handset id: 1 to 16 of `A-Z 0-9 -`, starting with a letter or digit (e.g. `TS-0001`, `HS42`). */
export const HANDSET_ID_PATTERN = /^[A-Z0-9][A-Z0-9-]{0,15}$/;
/** Highest counter: counters are unsigned 32-bit (flash-backed on the handset), written in decimal. */
export const MAX_COUNTER = 0xffff_ffff;

const DECIMAL = /^(0|[1-9][0-9]*)$/;

/** True for a valid handset id. */
export function isHandsetId(id: string): boolean {
  return HANDSET_ID_PATTERN.test(id);
}

export function checkHandsetId(value: string, field = 'h'): WireRejection | null {
  return isHandsetId(value) ? null : reject(WireReason.BAD_FIELD, `handset id must match ${HANDSET_ID_PATTERN.source}`, field);
}

/**
 * A canonical decimal integer (no sign, no leading zeros) no larger than `max`. Digits that are too large
 * are "absurd"; anything else is a syntax error.
 */
export function checkDecimal(value: string, field: string, min: number, max: number): WireRejection | null {
  if (value.length > 16 || !DECIMAL.test(value)) return reject(WireReason.BAD_FIELD, `${field} must be a decimal integer`, field);
  const n = Number(value);
  if (n < min || n > max) return reject(WireReason.ABSURD_VALUE, `${field}=${value} is outside ${min}..${max}`, field);
  return null;
}

/** A counter value (`n=`): 0 .. 2^32-1. */
export function isCounter(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_COUNTER;
}

/** The MAC field value: exactly 11 base64url characters. A shorter tail is a truncated message. */
export function checkMacSyntax(value: string, isLast: boolean): WireRejection | null {
  if (value.length === MAC_CHARS && isBase64Url(value)) return null;
  if (isLast && value.length < MAC_CHARS && isBase64Url(value)) return reject(WireReason.TRUNCATED, 'the MAC is cut short', 'm');
  return reject(WireReason.BAD_FIELD, `the MAC must be ${MAC_CHARS} base64url characters`, 'm');
}

// `$` + talker (2 letters/digits: GP, GN, GL, GA, BD...) + type + `,` + body + `*hh`. Body: printable ASCII
// without `;` (the TSR1 separator), `*`, `$`, and without the characters missing from the GSM default table.
const SENTENCE_BODY = /^[\x20-\x7e]*$/;
const NOT_IN_BODY = /[;*$`[\]{}\\^~|]/;
/**
 * Longest sentence accepted, without CR/LF. NMEA 0183 says 80 (82 with CR/LF), but real receivers exceed it
 * (gpsd's captures hold GGA sentences of 86 and more); refusing an alarm for that would be absurd. 110 keeps
 * the longest possible report within two SMS parts (see docs/formats.md).
 */
export const MAX_SENTENCE_LENGTH = 110;

/**
 * True when `s` looks like an NMEA sentence of type `type` (`RMC`, `GGA`) as a GPS emits it, without CR/LF.
 * The checksum's format is checked, not its value: decoding (and checksum verification) is protocol/nmea's
 * job, and the MAC already guarantees the handset sent exactly this text.
 */
export function looksLikeSentence(s: string, type: string): boolean {
  if (s.length < 10 || s.length > MAX_SENTENCE_LENGTH || s.charCodeAt(0) !== 0x24 /* $ */) return false;
  if (!/^[A-Z0-9]{2}$/.test(s.slice(1, 3)) || s.slice(3, 6) !== type || s[6] !== ',') return false;
  if (!/^\*[0-9A-Fa-f]{2}$/.test(s.slice(-3))) return false;
  const body = s.slice(7, -3);
  return SENTENCE_BODY.test(body) && !NOT_IN_BODY.test(body);
}

export function checkSentence(value: string, type: 'RMC' | 'GGA', field: string): WireRejection | null {
  return looksLikeSentence(value, type)
    ? null
    : reject(WireReason.BAD_FIELD, `expected a $--${type} sentence ending in *hh, at most ${MAX_SENTENCE_LENGTH} characters`, field);
}

/**
 * Splits `key=value`; null when the part is not `<key>=...`. Used for the keyed fields in their fixed order.
 */
export function valueOf(part: string, key: string): string | null {
  return part.startsWith(key) && part.charCodeAt(key.length) === 0x3d /* = */ ? part.slice(key.length + 1) : null;
}
