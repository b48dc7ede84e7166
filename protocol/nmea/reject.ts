// Why a line was not delivered as a sentence. Each reason belongs to exactly one `stats` counter
// (see statOf); `NmeaDecoder.onReject` receives the reason for every line it drops.

/** Named reasons for a dropped line. */
export const NmeaReject = {
  /** No `*hh` at the end of the line: a sentence without a checksum is never trusted. */
  MISSING_CHECKSUM: 1,
  /** `*hh` present but wrong, not hex, or cut short. */
  BAD_CHECKSUM: 2,
  /** Characters after `*hh` before the end of the line. */
  JUNK_AFTER_CHECKSUM: 3,
  /** More than {@link MAX_LINE} characters without a line end. */
  TOO_LONG: 4,
  /** A new `$` or `!` arrived before the previous line ended. */
  UNTERMINATED: 5,
  /** Bytes outside any sentence (between a line end and the next `$`). */
  NOISE: 6,
  /** A control or non-ASCII byte inside a sentence. */
  BINARY: 7,
  /** Checksum valid, but fewer fields than the sentence needs. */
  TOO_FEW_FIELDS: 8,
  /** Checksum valid, but a field does not parse (letters in a number, minutes >= 60, N/S missing, ...). */
  BAD_FIELD: 9,
  /** Checksum valid, but the sentence type (or `!` encapsulation such as AIVDM) is not one we decode. */
  UNKNOWN_TYPE: 10,
} as const;

export type NmeaRejectReason = (typeof NmeaReject)[keyof typeof NmeaReject];

/** The counters of {@link NmeaDecoder.stats}. */
export type NmeaStat = 'badChecksum' | 'missingChecksum' | 'framing' | 'unknown';

/** The longest line accepted, `$` included, line end excluded (NMEA says 82 with CRLF; real receivers exceed it). */
export const MAX_LINE = 120;

/** The stats counter a rejection is counted in. */
export function statOf(reason: NmeaRejectReason): NmeaStat {
  switch (reason) {
    case NmeaReject.MISSING_CHECKSUM:
      return 'missingChecksum';
    case NmeaReject.BAD_CHECKSUM:
      return 'badChecksum';
    case NmeaReject.UNKNOWN_TYPE:
      return 'unknown';
    case NmeaReject.JUNK_AFTER_CHECKSUM:
    case NmeaReject.TOO_LONG:
    case NmeaReject.UNTERMINATED:
    case NmeaReject.NOISE:
    case NmeaReject.BINARY:
    case NmeaReject.TOO_FEW_FIELDS:
    case NmeaReject.BAD_FIELD:
      return 'framing';
    default: {
      const never: never = reason;
      return never;
    }
  }
}
