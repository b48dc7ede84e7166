// Caller numbers arrive in whatever form the modem's +CLIP / +CLCC gives: international with type 145
// ("+447700900456"), national with type 129 ("07700900456"), or empty when withheld. Everything the gateway
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
    return `+${countryCode}${s}`;
  }
  return null;
}
