// The MAC of TSR1 reports and TSC1 commands: HMAC-SHA256 (RFC 2104) with the handset's 32-byte key over
// the UTF-8 bytes of everything before `;m=`, truncated to its first 8 bytes, base64url without padding
// (11 characters).
//
// The HMAC itself is injected. By default it is Web Crypto (`globalThis.crypto.subtle`, async, present in
// Node 20 and every browser), so this module runs unchanged in the handset simulator and the console. A
// caller with a faster synchronous HMAC (the gateway: node:crypto's createHmac) passes its own function;
// `verifyMacSync` then avoids the promise altogether.

import { toBase64Url } from './base64url.js';

/** Key length of every handset key, in bytes. */
export const KEY_BYTES = 32;
/** Bytes of the HMAC-SHA256 output kept on the wire. */
export const MAC_BYTES = 8;
/** Characters of the MAC on the wire (8 bytes base64url, unpadded). */
export const MAC_CHARS = 11;

/** HMAC-SHA256(key, message): the full 32-byte digest, or a promise of it. */
export type HmacSha256 = (key: Uint8Array, message: Uint8Array) => Uint8Array | Promise<Uint8Array>;
/** A synchronous HMAC-SHA256, e.g. `(k, m) => createHmac('sha256', k).update(m).digest()` from node:crypto. */
export type HmacSha256Sync = (key: Uint8Array, message: Uint8Array) => Uint8Array;

const encoder = new TextEncoder();
// Imported CryptoKeys per key array: importKey costs about as much as the HMAC itself. Each entry keeps a copy
// of the bytes it was imported from, so a key array changed in place (re-provisioning) is re-imported.
const importedKeys = new WeakMap<Uint8Array, { readonly bytes: Uint8Array; readonly key: Promise<CryptoKey> }>();

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (s === undefined) throw new Error('Web Crypto (globalThis.crypto.subtle) is not available: pass an HMAC function');
  return s;
}

/** HMAC-SHA256 through Web Crypto. */
export const webCryptoHmacSha256: HmacSha256 = async (key, message) => {
  let entry = importedKeys.get(key);
  if (entry === undefined || !sameBytes(entry.bytes, key)) {
    const bytes = key.slice();
    entry = { bytes, key: subtle().importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']) };
    importedKeys.set(key, entry);
  }
  const sig = await subtle().sign('HMAC', await entry.key, message as Uint8Array<ArrayBuffer>);
  return new Uint8Array(sig);
};

/** The 11-character wire MAC of `signed` (the text before `;m=`), from a full HMAC digest. */
function macFromDigest(digest: Uint8Array): string {
  return toBase64Url(digest.subarray(0, MAC_BYTES));
}

/** Computes the wire MAC of `signed`. Throws RangeError for a key that is not 32 bytes (a provisioning fault). */
export async function computeMac(signed: string, key: Uint8Array, hmac: HmacSha256 = webCryptoHmacSha256): Promise<string> {
  assertKey(key);
  return macFromDigest(await hmac(key, encoder.encode(signed)));
}

/** Synchronous {@link computeMac} with an injected synchronous HMAC. */
export function computeMacSync(signed: string, key: Uint8Array, hmac: HmacSha256Sync): string {
  assertKey(key);
  return macFromDigest(hmac(key, encoder.encode(signed)));
}

/**
 * True when `mac` is the MAC of `signed` under `key`. Compared in constant time over the 11 characters.
 * A key that is not 32 bytes never verifies (and does not throw: a bad registry entry must not crash
 * the report path).
 */
export async function verifyMac(
  signed: string,
  mac: string,
  key: Uint8Array,
  hmac: HmacSha256 = webCryptoHmacSha256,
): Promise<boolean> {
  if (key.length !== KEY_BYTES) return false;
  return constantTimeEqual(macFromDigest(await hmac(key, encoder.encode(signed))), mac);
}

/** Synchronous {@link verifyMac} with an injected synchronous HMAC. */
export function verifyMacSync(signed: string, mac: string, key: Uint8Array, hmac: HmacSha256Sync): boolean {
  if (key.length !== KEY_BYTES) return false;
  return constantTimeEqual(macFromDigest(hmac(key, encoder.encode(signed))), mac);
}

/** Compares two strings without an early exit on the first differing character. */
export function constantTimeEqual(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function assertKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new RangeError(`handset key must be ${KEY_BYTES} bytes, got ${key instanceof Uint8Array ? key.length : typeof key}`);
  }
}
