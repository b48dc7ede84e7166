// Password hashing with scrypt (RFC 7914) from node:crypto.
//
// Stored form, one string, parameters recorded with the hash so they can be raised later without breaking
// old hashes:
//
//   scrypt$<N>$<r>$<p>$<salt, base64url, 16 bytes>$<hash, base64url, 32 bytes>
//   scrypt$16384$8$1$3q2-7wAAAAAAAAAAAAAAAA$Jw...   (N = 2^14, r = 8, p = 1: about 16 MiB, ~50 ms)
//
// Verification compares with timingSafeEqual. A malformed stored hash verifies as false, never throws.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters. */
export type ScryptParams = { readonly N: number; readonly r: number; readonly p: number };

/** OWASP's minimum for scrypt (2023): N = 2^17 costs 128 MiB per login; 2^14 keeps a login burst cheap. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 16384, r: 8, p: 1 };

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const MAX_N = 1 << 20;

function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, HASH_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** Hashes a password with a fresh random salt; returns the stored form above. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await scryptAsync(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

type Parsed = { params: ScryptParams; salt: Buffer; hash: Buffer };

function parseStored(stored: string): Parsed | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const powerOfTwo = Number.isInteger(N) && N > 1 && N <= MAX_N && (N & (N - 1)) === 0;
  if (!powerOfTwo || !Number.isInteger(r) || r < 1 || r > 32 || !Number.isInteger(p) || p < 1 || p > 16) return undefined;
  const salt = Buffer.from(parts[4] as string, 'base64url');
  const hash = Buffer.from(parts[5] as string, 'base64url');
  if (salt.length < 8 || hash.length !== HASH_BYTES) return undefined;
  return { params: { N, r, p }, salt, hash };
}

/** true when `password` matches `stored`; false for a wrong password or a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (parsed === undefined) return false;
  const candidate = await scryptAsync(password, parsed.salt, parsed.params);
  return timingSafeEqual(candidate, parsed.hash);
}

/** true when `stored` is a hash this module can verify (used to validate user events at load). */
export function isPasswordHash(stored: string): boolean {
  return parseStored(stored) !== undefined;
}
