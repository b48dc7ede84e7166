// Numbers as the simulated network routes them. Subscribers are keyed by their MSISDN in international
// format with a leading '+' ("+447700900456"); what a handset dials is normalised first:
//
//   "+447700900456"  international, kept
//   "00447700900456" international access prefix 00 -> "+447700900456"
//   "07700900456"    national (trunk prefix 0)       -> "+447700900456" (country code from the network config)
//   "999", "112"     short codes, kept as dialled (emergency numbers are matched before normalisation)
//
// Visual separators (space, '-', '.', '(', ')') are dropped. The CLI prefix "#31#" (withhold, 22.030) and the
// UK "141" are stripped by the caller-side helper {@link parseDialString}.

/** The dial string of ATD<n>; split into the number and the caller's presentation choice. */
export interface DialString {
  readonly number: string;
  /** true when the caller asked to withhold their number for this call ("#31#" or UK "141" prefix). */
  readonly withheld: boolean;
}

/** Strips separators and the withhold prefixes from a dialled string. */
export function parseDialString(raw: string): DialString {
  let s = raw.replace(/[\s\-.()]/g, '');
  let withheld = false;
  if (s.startsWith('#31#')) {
    withheld = true;
    s = s.slice(4);
  } else if (s.startsWith('141') && s.length > 6) {
    withheld = true;
    s = s.slice(3);
  }
  return { number: s, withheld };
}

/** Normalises a dialled or configured number to the network's key form (see the file comment). */
export function normaliseNumber(number: string, countryCode: string): string {
  const s = number.replace(/[\s\-.()]/g, '');
  if (s.startsWith('+')) return s;
  if (s.startsWith('00')) return `+${s.slice(2)}`;
  if (s.startsWith('0') && s.length > 4) return `+${countryCode}${s.slice(1)}`;
  return s;
}

/** The 27.007 type-of-address for a number as the modem prints it: 145 international, 129 otherwise. */
export function addressType(number: string): 145 | 129 {
  return number.startsWith('+') ? 145 : 129;
}
