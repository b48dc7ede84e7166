// Typed outcomes of the SMS decoders: a PDU is either decoded, "not mine" (a valid PDU of another type,
// e.g. a SUBMIT given to the DELIVER decoder), or corrupt. Nothing here throws on hostile input.

/** Named reason codes for a rejected PDU. */
export const SmsReason = {
  /** Not hexadecimal, odd number of digits, or empty. */
  BadHex: 'bad-hex',
  /** The PDU ends before a field the header announces. */
  Truncated: 'truncated',
  /** Octets left over after the user data the TP-UDL announces. */
  TrailingBytes: 'trailing-bytes',
  /** A well-formed PDU of another message type (TP-MTI): "not mine". */
  WrongType: 'wrong-type',
  /** The SMSC address field is malformed (length over 11 octets, bad digits). */
  BadSmsc: 'bad-smsc',
  /** The originating/destination/recipient address is malformed. */
  BadAddress: 'bad-address',
  /** A timestamp (SCTS, discharge time, absolute validity) has non-BCD digits or impossible values. */
  BadTimestamp: 'bad-timestamp',
  /** TP-VPF says "enhanced" or "absolute" and the field is malformed. */
  BadValidity: 'bad-validity',
  /** TP-UDL does not match the number of octets that follow. */
  BadUdl: 'bad-udl',
  /** The user data header does not parse into whole information elements within its length. */
  BadUdh: 'bad-udh',
  /** A concatenation element with a wrong length, total 0, or sequence outside 1..total. */
  BadConcat: 'bad-concat',
  /** Compressed user data (TS 23.042) or a UCS2 body with an odd octet count. */
  Unsupported: 'unsupported',
  /** The caller said how long the TPDU is (AT+CMGS=<n>, +CMT: ,<n>) and the PDU disagrees. */
  BadLength: 'bad-length',
} as const;

export type SmsReason = (typeof SmsReason)[keyof typeof SmsReason];

/** A rejection: `kind` separates "not mine" (count, pass on) from "corrupt" (count, log, drop). */
export interface SmsRejection {
  readonly ok: false;
  readonly kind: 'not-mine' | 'corrupt';
  readonly reason: SmsReason;
  /** A sentence for a log line, e.g. "TP-UDL 5 septets needs 5 octets, 6 follow". */
  readonly detail: string;
}

export type SmsResult<T> = { readonly ok: true; readonly value: T } | SmsRejection;

export function ok<T>(value: T): SmsResult<T> {
  return { ok: true, value };
}

export function reject(reason: SmsReason, detail: string): SmsRejection {
  return { ok: false, kind: reason === SmsReason.WrongType ? 'not-mine' : 'corrupt', reason, detail };
}

/** Thrown by the throwing decoders (`decodeDeliver`, `decodeSubmit`, `decodeStatusReport`). */
export class SmsDecodeError extends Error {
  override readonly name = 'SmsDecodeError';
  readonly reason: SmsReason;
  readonly kind: 'not-mine' | 'corrupt';
  constructor(rejection: SmsRejection) {
    super(`${rejection.reason}: ${rejection.detail}`);
    this.reason = rejection.reason;
    this.kind = rejection.kind;
  }
}

/** Named reasons for refusing to encode (the caller's input, not the network's). */
export const SmsEncodeReason = {
  /** A character is not in the GSM 7-bit alphabet (with `encoding: 'gsm7'` forced). */
  Unencodable: 'unencodable',
  /** A destination/originator that is neither a phone number nor up to 11 GSM characters. */
  BadAddress: 'bad-address',
  /** More than 255 parts, or a message that needs splitting when `concat` is disabled. */
  TooLong: 'too-long',
  /** An option out of range (reference number, message reference, PID, zone offset, validity). */
  BadOption: 'bad-option',
} as const;

export type SmsEncodeReason = (typeof SmsEncodeReason)[keyof typeof SmsEncodeReason];

/** Thrown by the encoders on input the caller controls (bad number, text too long, bad option). */
export class SmsEncodeError extends Error {
  override readonly name = 'SmsEncodeError';
  readonly reason: SmsEncodeReason;
  constructor(reason: SmsEncodeReason, detail: string) {
    super(`${reason}: ${detail}`);
    this.reason = reason;
  }
}

/** Unwraps a result for the throwing API. */
export function unwrap<T>(r: SmsResult<T>): T {
  if (r.ok) return r.value;
  throw new SmsDecodeError(r);
}
