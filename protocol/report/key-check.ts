// The report key's check value: what the handset's USB console answers to AT+TSKEY=, so that the engineer's tool
// can tell the handset received exactly the key it sent, while the key itself never comes back.
//
//   > AT+TSKEY=000102...1f                     (64 hex digits)
//   < +TSKEY: "5c1b2a90"                       HMAC-SHA256(key, "TSKCV1"), first 4 bytes, lower-case hex
//   < OK
//
// A byte changed on a noisy line gives the handset another key, whose reports the gateway would refuse; the
// check value differs then, before anything is committed. It is one 32-bit value of a keyed hash of a constant
// (the MAC on every report already shows 64 bits of the same hash over other texts): it tells nothing of the key.

import type { HmacSha256Sync } from './mac.js';

/** The message the check value is the HMAC of. */
export const KEY_CHECK_MESSAGE = 'TSKCV1';
/** Bytes of the HMAC kept. */
export const KEY_CHECK_BYTES = 4;

/** The check value of a report key: 8 lower-case hex digits. */
export function keyCheckValue(key: Uint8Array, hmac: HmacSha256Sync): string {
  const digest = hmac(key, new TextEncoder().encode(KEY_CHECK_MESSAGE));
  let hex = '';
  for (let i = 0; i < KEY_CHECK_BYTES; i++) hex += (digest[i] ?? 0).toString(16).padStart(2, '0');
  return hex;
}
