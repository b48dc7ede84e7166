// The provisioning challenge, engineer's side (the handset's side: docs/firmware-sim-handset.md).
// Sign, with the fleet's Ed25519 private key, the ASCII bytes
//
//   TSAUTH1;<handset id>;<nonce as 32 lower-case hex digits>
//   e.g. TSAUTH1;TS-0001;9f86d081884c7d659a2feaa0c55ad015
//
// and send the 64-byte signature as 128 hex digits: AT+TSAUTH=<sig>. The id binds the signature to this
// handset; the nonce (from AT+TSAUTH?) makes it good for one attempt only.

import type { FleetKey } from './fleet-key.js';

/** The exact bytes signed for `handsetId` and `nonceHex`. */
export function challengeMessage(handsetId: string, nonceHex: string): Uint8Array {
  return new TextEncoder().encode(`TSAUTH1;${handsetId};${nonceHex}`);
}

/** The signature to send as AT+TSAUTH=<128 hex digits>. */
export function answerChallenge(key: Pick<FleetKey, 'sign'>, handsetId: string, nonceHex: string): string {
  return Buffer.from(key.sign(challengeMessage(handsetId, nonceHex))).toString('hex');
}
