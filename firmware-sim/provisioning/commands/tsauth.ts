// AT+TSAUTH?      -> +TSAUTH: "<nonce, 32 hex digits>"   a fresh challenge; any earlier one is void
// AT+TSAUTH=<sig> -> OK, or +CME ERROR: 16 (bad signature) / 513 (no live nonce) / 512 (locked)
// The signed message is in ../signature.ts. The nonce is consumed by the attempt, good or bad. The third bad
// signature in a row locks the port for 15 minutes and queues a TMP report.

import { fail, ok, quoted, type ConsoleCommand } from '../command.js';
import { ConsoleError } from '../errors.js';
import { MAX_BAD_SIGNATURES } from '../session.js';
import { verifyAuth } from '../signature.js';

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export const tsauth: ConsoleCommand = {
  name: '+TSAUTH',
  needsAuth: false,
  query: (s) => {
    s.nonce = hex(s.randomBytes(16));
    return ok(`+TSAUTH: ${quoted(s.nonce)}`);
  },
  set: (s, args) => {
    const nonce = s.nonce;
    if (nonce === undefined) return fail(ConsoleError.NO_NONCE, 'ask for a fresh nonce with AT+TSAUTH? first');
    s.nonce = undefined;
    // A handset without a fleet key can verify nothing: every attempt counts as bad (tamper detection still works).
    const fleetKey = s.target.committedConfig().fleetKey;
    const good = args.length === 1 && verifyAuth(fleetKey, s.target.info().id, nonce, args[0] as string);
    const locked = s.recordAttempt(good);
    if (good) {
      s.authenticated = true;
      s.target.consoleSession('authenticated');
      return ok();
    }
    const why = fleetKey === '' ? 'no fleet provisioning key on this handset' : 'signature refused';
    if (!locked) return fail(ConsoleError.BAD_SIGNATURE, `${why} (${s.badSignatures} of ${MAX_BAD_SIGNATURES})`);
    s.endSession();
    s.target.tamper();
    s.target.consoleSession('locked');
    return fail(ConsoleError.LOCKED, 'three bad signatures: port locked', `+TSLOCK: ${s.lockRemainingS()}`);
  },
};
