// The GSM 7-bit default alphabet (3GPP TS 23.038 section 6.2.1), as far as the report layer needs it: is
// this text sendable as plain 7-bit SMS, one septet per character, and how many SMS parts does it take?
//
// TSR1/TSC1 text must use the default table only (no escape to the extension table, whose characters
// `[ ] { } \ ^ ~ | €` take two septets and are mangled by some SMSCs). Note that `$` (0x02) and `_` (0x11)
// ARE in the default table, at other code points than in ASCII; `` ` `` is in neither table. The table itself
// is protocol/sms's (one copy of the alphabet in the code base).

import { gsm7Width } from '../sms/gsm7-alphabet.js';

/** Septets in one SMS without a user data header. */
export const SEPTETS_SINGLE = 160;
/** Septets per part of a concatenated SMS (16-bit reference UDH, the worse case; 153 with an 8-bit one). */
export const SEPTETS_PER_PART = 152;
/** The longest TSR1/TSC1 text accepted: two concatenated parts. */
export const MAX_WIRE_LENGTH = 2 * SEPTETS_PER_PART;

/** True when every character is in the GSM 7-bit default table (escape excluded). */
export function isGsm7Basic(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (gsm7Width(text.charCodeAt(i)) !== 1) return false;
  }
  return true;
}

/** Index of the first character not in the default table, or -1. */
export function firstNonGsm7(text: string): number {
  for (let i = 0; i < text.length; i++) {
    if (gsm7Width(text.charCodeAt(i)) !== 1) return i;
  }
  return -1;
}

/** SMS parts a default-alphabet text of this length needs: 1 up to 160 septets, then 152 per part. */
export function smsPartsFor(length: number): number {
  return length <= SEPTETS_SINGLE ? 1 : Math.ceil(length / SEPTETS_PER_PART);
}
