// Opens an authenticated console session: AT+TSAUTH? for a nonce, the fleet key's signature of
// `TSAUTH1;<id>;<nonce>` (challenge.ts), AT+TSAUTH=<sig>. One attempt per call: a refused signature counts
// towards the handset's lock (three in a row), so the tool never retries on its own.

import { answerChallenge } from './challenge.js';
import type { FleetKey } from './fleet-key.js';
import type { ConsoleReply, HandsetConsole } from './handset-console.js';

/** One authentication attempt for handset `handsetId` (from AT+TSINFO?). */
export async function authenticate(usb: HandsetConsole, key: Pick<FleetKey, 'sign'>, handsetId: string): Promise<ConsoleReply<void>> {
  const nonce = await usb.nonce();
  if (!nonce.ok) return nonce;
  return usb.authenticate(answerChallenge(key, handsetId, nonce.value));
}
