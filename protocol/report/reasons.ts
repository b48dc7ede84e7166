// Why a TSR1 report or a TSC1 command was refused. One table of named codes, shared by the decoder, the
// verifier, the gateway's metrics (reports rejected by reason) and its security events.

/** Rejection codes for TSR1/TSC1 text. `NOT_MINE` is "not a TecSOS message", every other code is "corrupt". */
export const WireReason = {
  /** The text is not a TecSOS message at all (an AML SMS, a chat SMS): someone else's to decode. */
  NOT_MINE: 'not-mine',
  /** `TSR2;...`, `TSRX;...`: a TecSOS message in a version this code does not speak. */
  WRONG_VERSION: 'wrong-version',
  /** The text stops before its MAC (`;m=` + 11 characters): a lost SMS part or a cut message. */
  TRUNCATED: 'truncated',
  /** Longer than two concatenated SMS parts (304 septets): not something a handset sends. */
  TOO_LONG: 'too-long',
  /** A character outside the GSM 7-bit default alphabet (or a control character / extension-table character). */
  NOT_GSM7: 'not-gsm7',
  /** A field is missing, out of order, misnamed, or has the wrong syntax (see `field`). */
  BAD_FIELD: 'bad-field',
  /** A field has the right syntax but an impossible value: battery 140 %, CSQ 45, counter >= 2^32, INTERVAL=1. */
  ABSURD_VALUE: 'absurd-value',
  /** The MAC does not match the handset's key (returned by verification only, never by the decoders). */
  BAD_MAC: 'bad-mac',
  /** No key is known for `h=` (returned by decodeAndVerify* only, when the key lookup finds none). */
  UNKNOWN_HANDSET: 'unknown-handset',
} as const;

export type WireReason = (typeof WireReason)[keyof typeof WireReason];

/** A refused TSR1/TSC1 text: the reason, the offending field (`h`, `n`, `rmc`, ...) when there is one. */
export interface WireRejection {
  readonly ok: false;
  readonly reason: WireReason;
  readonly field?: string;
  /** A short human-readable explanation for logs; never contains key material. */
  readonly detail: string;
}

/** Builds a rejection (the one way rejections are made, so their shape stays uniform). */
export function reject(reason: WireReason, detail: string, field?: string): WireRejection {
  return field === undefined ? { ok: false, reason, detail } : { ok: false, reason, field, detail };
}
