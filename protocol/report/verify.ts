// Decode and verify in one call, for callers that want a single typed answer (`bad-mac` and
// `unknown-handset` included) rather than decode, key lookup and verify as three steps. The key comes from a
// lookup by handset id, so the registry is consulted only for syntactically valid messages.

import { webCryptoHmacSha256, verifyMac, type HmacSha256 } from './mac.js';
import { reject, WireReason, type WireRejection } from './reasons.js';
import { decodeCommand, type DecodedCommand } from './tsc1.js';
import { decodeReport, type DecodedReport } from './tsr1.js';

/** A fixed key, or a lookup of the key by handset id (undefined/null: no such handset). */
export type KeySource = Uint8Array | ((handsetId: string) => Uint8Array | null | undefined | Promise<Uint8Array | null | undefined>);

async function keyFor(source: KeySource, handsetId: string): Promise<Uint8Array | null> {
  const key = typeof source === 'function' ? await source(handsetId) : source;
  return key instanceof Uint8Array ? key : null;
}

async function check<T extends DecodedReport | DecodedCommand>(
  decoded: T | WireRejection,
  keys: KeySource,
  hmac: HmacSha256,
): Promise<T | WireRejection> {
  if (!decoded.ok) return decoded;
  const key = await keyFor(keys, decoded.handsetId);
  if (key === null) return reject(WireReason.UNKNOWN_HANDSET, `no key for handset ${decoded.handsetId}`, 'h');
  return (await verifyMac(decoded.signed, decoded.mac, key, hmac))
    ? decoded
    : reject(WireReason.BAD_MAC, `the MAC does not match the key of ${decoded.handsetId}`, 'm');
}

/** decodeReport, then the key by `h`, then the MAC: the report, or why not (incl. bad-mac, unknown-handset). Never throws for bad input. */
export function decodeAndVerifyReport(text: string, keys: KeySource, hmac: HmacSha256 = webCryptoHmacSha256): Promise<DecodedReport | WireRejection> {
  return check(decodeReport(text), keys, hmac);
}

/** decodeCommand, then the key, then the MAC. On a handset, `keys` is its own key (and it must also check `h`). */
export function decodeAndVerifyCommand(text: string, keys: KeySource, hmac: HmacSha256 = webCryptoHmacSha256): Promise<DecodedCommand | WireRejection> {
  return check(decodeCommand(text), keys, hmac);
}
