// Caller numbers arrive in whatever form the modem's +CLIP / +CLCC gives: international with type 145
// ("+447700900456"), national with type 129 ("07700900456"), international without its "+" with type 129
// ("447700900456"), or empty when withheld. Everything the gateway
// compares (registry, TecSOS ranges) is normalised here to E.164 first, once.

/** A normalised E.164 number ("+447700900456"), or null when withheld or unusable. */
export type E164 = string;

/** TOA 145: international number (27.007 +CLIP <type>). */
export const TOA_INTERNATIONAL = 145;

/**
 * Normalises a caller number to E.164.
 * @param raw the number field as the modem gave it (quotes already removed)
 * @param toa its type of address (145 international, 129 unknown/national), when known
 * @param countryCode the deployment's country calling code without "+" (UK: "44"), for national numbers
 * @returns E.164, or null when withheld, empty or not a phone number
 */
export function normaliseNumber(raw: string | null | undefined, toa: number | undefined, countryCode: string): E164 | null {
  if (raw === null || raw === undefined) return null;
  const s = raw.replace(/[\s-]/g, '');
  if (s === '') return null;
  if (/^\+\d{4,15}$/.test(s)) return s;
  if (/^00\d{4,15}$/.test(s)) return `+${s.slice(2)}`;
  if (/^\d{4,15}$/.test(s)) {
    if (toa === TOA_INTERNATIONAL) return `+${s}`;
    // National significant number: drop the trunk prefix 0.
    if (s.startsWith('0')) return `+${countryCode}${s.slice(1)}`;
    // Type unknown (129) but written internationally without the "+": "447700900456". Some networks and
    // modems present a mobile caller, or an SMS originator, this way; reading it as national gave
    // "+44447700900456", and a TecSOS handset's call or report would not match its registration. A
    // national significant number is at most 10 digits in the UK (also in NANP and France, where it
    // never starts with the country code's digits as a whole 11-digit number does), so 11 or more digits
    // that start with the country code are international.
    if (s.length >= 11 && s.startsWith(countryCode)) return `+${s}`;
    return `+${countryCode}${s}`;
  }
  return null;
}
