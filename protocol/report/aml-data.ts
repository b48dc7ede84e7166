// AML sent as a data SMS: Android's ELS may send the AML text as 8-bit data whose octets are the text packed
// as GSM 7-bit septets (3GPP TS 23.038 6.1.2.1.1). The SMS layer hands over the octets; this unpacks them
// and parses the text. Sample (108 octets -> 123 septets):
//   415193D98BEDD8F4DEECE6A2C962B7DA8E7DEEB5...  ->  A"ML=1;lt=37.42175;lg=-122.08461;rd=20;...;ml=123
// When the packing leaves 7 spare bits, they read as one extra septet 0x00 (`@`): AML never ends in `@`, so
// a trailing `@` is dropped.

import { unpackSeptets } from '../sms/septets.js';
import { septetsToText } from '../sms/gsm7-alphabet.js';
import { AmlReason, parseAml, type AmlResult } from './aml.js';

/** Longest data payload accepted (an SMS carries at most 140 octets; concatenated AML is not a thing). */
const MAX_OCTETS = 1000;

/** Parses an AML data SMS payload (GSM 7-bit packed octets). Never throws. */
export function parseAmlData(octets: Uint8Array): AmlResult {
  if (!(octets instanceof Uint8Array)) return { ok: false, reason: AmlReason.NOT_MINE, detail: 'not octets' };
  if (octets.length > MAX_OCTETS) return { ok: false, reason: AmlReason.TOO_LONG, detail: `${octets.length} octets` };
  let text = septetsToText(unpackSeptets(octets, 0, Math.floor((octets.length * 8) / 7)));
  if (text.endsWith('@')) text = text.slice(0, -1);
  return parseAml(text);
}
