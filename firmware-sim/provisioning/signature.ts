// The provisioning challenge. The handset holds only the public half of the fleet's Ed25519 provisioning
// key; the engineer's tool signs, with the private half, the ASCII bytes of
//
//   TSAUTH1;<handset id>;<nonce as 32 lower-case hex digits>
//   e.g. TSAUTH1;TS-0001;9f86d081884c7d659a2feaa0c55ad015
//
// and sends the 64-byte signature as 128 hex digits: AT+TSAUTH=<sig>. Binding the handset id stops a
// signature for one handset from opening another; the nonce is fresh per AT+TSAUTH? and good for one attempt.

import { createPublicKey, verify } from 'node:crypto';

/** The exact bytes to sign. */
export function authMessage(handsetId: string, nonceHex: string): Uint8Array {
  return new TextEncoder().encode(`TSAUTH1;${handsetId};${nonceHex}`);
}

/** True when `signatureHex` is a valid Ed25519 signature of the challenge by `publicKeyHex` (32 bytes). */
export function verifyAuth(publicKeyHex: string, handsetId: string, nonceHex: string, signatureHex: string): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(publicKeyHex) || !/^[0-9a-fA-F]{128}$/.test(signatureHex)) return false;
  try {
    const key = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyHex, 'hex').toString('base64url') },
      format: 'jwk',
    });
    return verify(null, authMessage(handsetId, nonceHex), key, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
