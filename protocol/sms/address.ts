// Addresses (3GPP TS 23.040 9.1.2.5) and the SMSC address (24.011 8.2.5.1).
//
// TP-OA / TP-DA / TP-RA:  0C 91 447700907989
//   0C  length in useful semi-octets (digits), 12; at most 20
//   91  type of address: 1 TON(3) NPI(4): 0x91 international/ISDN, 0x81 unknown, 0xA1 national,
//       0xD0 alphanumeric (the "digits" are then GSM 7-bit packed characters, up to 11)
//   447700907989  digits, swapped in pairs; an odd count ends with an F filler nibble
//   Digit nibbles: 0-9, A = '*', B = '#', C = 'a', D = 'b', E = 'c'.
// SMSC:  07 91 447785016005 -- the length counts octets (type octet included), 00 = no SMSC given.

import { gsm7Length, packedSeptetsToText, textToSeptets } from './gsm7-alphabet.js';
import { SmsEncodeError, SmsEncodeReason, SmsReason, ok, reject, type SmsResult } from './result.js';
import { packSeptets } from './septets.js';

/** Type of number (the TON bits) as a name. */
export type AddressType =
  | 'unknown'
  | 'international'
  | 'national'
  | 'network-specific'
  | 'subscriber'
  | 'alphanumeric'
  | 'abbreviated'
  | 'reserved';

const TON_NAMES: readonly AddressType[] = [
  'unknown',
  'international',
  'national',
  'network-specific',
  'subscriber',
  'alphanumeric',
  'abbreviated',
  'reserved',
];

/** A decoded address. `number` is the display form: "+447700900123", "07700900123" or "Vodafone". */
export interface SmsAddress {
  readonly number: string;
  readonly type: AddressType;
  /** Type of number, 0..7 (1 international, 2 national, 5 alphanumeric). */
  readonly ton: number;
  /** Numbering plan, 0..15 (1 = ISDN/E.164). */
  readonly npi: number;
}

const DIGITS = '0123456789*#abc';

/** A decoded field and the offset just past it. */
export interface Field<T> {
  readonly value: T;
  readonly next: number;
}

/** Octet -> its two digits in order (low nibble first), undefined when either nibble is the F filler. */
const DIGIT_PAIRS: ReadonlyArray<string | undefined> = Array.from({ length: 256 }, (_, o) =>
  (o & 15) === 15 || o >> 4 === 15 ? undefined : DIGITS[o & 15]! + DIGITS[o >> 4]!,
);

function decodeDigits(b: Uint8Array, start: number, count: number): string | undefined {
  let s = '';
  const whole = count >> 1;
  for (let k = 0; k < whole; k++) {
    const pair = DIGIT_PAIRS[b[start + k] as number];
    if (pair === undefined) return undefined; // a filler inside the useful digits
    s += pair;
  }
  if (count & 1) {
    const n = (b[start + whole] as number) & 15;
    if (n === 15) return undefined;
    s += DIGITS[n]!;
  }
  return s;
}

function addressOf(digitsOrText: string, toa: number): SmsAddress {
  const ton = (toa >> 4) & 7;
  const type = TON_NAMES[ton]!;
  return { number: ton === 1 ? `+${digitsOrText}` : digitsOrText, type, ton, npi: toa & 15 };
}

/** Decodes a TP address at `pos`. */
export function decodeAddress(b: Uint8Array, pos: number, field: string): SmsResult<Field<SmsAddress>> {
  if (pos + 2 > b.length) return reject(SmsReason.Truncated, `${field}: address header missing`);
  const len = b[pos] as number;
  const toa = b[pos + 1] as number;
  if (len > 20) return reject(SmsReason.BadAddress, `${field}: length ${len} semi-octets exceeds 20`);
  const octets = (len + 1) >> 1;
  const start = pos + 2;
  if (start + octets > b.length) return reject(SmsReason.Truncated, `${field}: ${octets} address octets missing`);
  if (((toa >> 4) & 7) === 5) {
    const text = packedSeptetsToText(b, start * 8, Math.floor((len * 4) / 7));
    return ok({ value: addressOf(text, toa), next: start + octets });
  }
  const digits = decodeDigits(b, start, len);
  if (digits === undefined) return reject(SmsReason.BadAddress, `${field}: filler nibble inside the digits`);
  return ok({ value: addressOf(digits, toa), next: start + octets });
}

/** Decodes the SMSC field at the start of a PDU; an empty SMSC (length 00) gives undefined. */
export function decodeSmsc(b: Uint8Array): SmsResult<Field<SmsAddress | undefined>> {
  if (b.length < 1) return reject(SmsReason.Truncated, 'SMSC length missing');
  const len = b[0] as number;
  if (len === 0) return ok({ value: undefined, next: 1 });
  if (len > 11) return reject(SmsReason.BadSmsc, `SMSC length ${len} octets exceeds 11`);
  if (1 + len > b.length) return reject(SmsReason.Truncated, 'SMSC address cut short');
  const toa = b[1] as number;
  const octets = len - 1;
  // Octet-counted: an odd digit count shows as an F in the last high nibble.
  let count = octets * 2;
  if (count > 0 && (b[len] as number) >> 4 === 15) count--;
  const digits = decodeDigits(b, 2, count);
  if (digits === undefined) return reject(SmsReason.BadSmsc, 'SMSC: filler nibble inside the digits');
  return ok({ value: addressOf(digits, toa), next: 1 + len });
}

// ---- encoding ----

const NUMBER = /^\+?[0-9*#]{1,20}$/;

function encodeDigits(digits: string): number[] {
  const out: number[] = [];
  for (let k = 0; k < digits.length; k += 2) {
    const lo = DIGITS.indexOf(digits[k]!);
    const hi = k + 1 < digits.length ? DIGITS.indexOf(digits[k + 1]!) : 15;
    out.push((hi << 4) | lo);
  }
  return out;
}

/** How a string will be sent as an address. */
export function classifyAddress(s: string): 'number' | 'alphanumeric' | 'invalid' {
  if (NUMBER.test(s)) return 'number';
  const n = gsm7Length(s);
  return n >= 1 && n <= 11 ? 'alphanumeric' : 'invalid';
}

/**
 * Encodes a TP address. "+digits" is international (0x91), other digit strings unknown/ISDN (0x81) unless
 * `toa` is given, and (when `allowAlphanumeric`) anything else of 1..11 GSM characters is alphanumeric (0xD0).
 */
export function encodeAddress(s: string, allowAlphanumeric: boolean, toa?: number): number[] {
  const kind = classifyAddress(s);
  if (kind === 'number') {
    const intl = s.startsWith('+');
    const digits = intl ? s.slice(1) : s;
    return [digits.length, toa ?? (intl ? 0x91 : 0x81), ...encodeDigits(digits)];
  }
  if (kind === 'alphanumeric' && allowAlphanumeric) {
    const { septets } = textToSeptets(s);
    const packed = new Uint8Array(Math.ceil((septets.length * 7) / 8));
    packSeptets(septets, packed, 0);
    return [Math.ceil((septets.length * 7) / 4), 0xd0, ...packed];
  }
  throw new SmsEncodeError(
    SmsEncodeReason.BadAddress,
    allowAlphanumeric
      ? `address ${JSON.stringify(s)} is neither a number (+, 0-9, *, #; up to 20 digits) nor 1..11 GSM characters`
      : `address ${JSON.stringify(s)} is not a number (+, 0-9, *, #; up to 20 digits)`,
  );
}

/** Encodes the SMSC field: [0] when none is given. */
export function encodeSmsc(s: string | undefined): number[] {
  if (s === undefined || s === '') return [0];
  if (!NUMBER.test(s)) throw new SmsEncodeError(SmsEncodeReason.BadAddress, `SMSC ${JSON.stringify(s)} is not a number`);
  const intl = s.startsWith('+');
  const digits = intl ? s.slice(1) : s;
  const body = encodeDigits(digits);
  return [body.length + 1, intl ? 0x91 : 0x81, ...body];
}
