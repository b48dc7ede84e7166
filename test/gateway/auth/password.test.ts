import { describe, expect, it } from 'vitest';
import { scryptSync } from 'node:crypto';
import { hashPassword, isPasswordHash, verifyPassword } from '../../../gateway/auth/password.js';

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('scrypt password hashes', () => {
  it('records the parameters and a per-user salt; the hash is the scrypt of the password', async () => {
    const a = await hashPassword('s3cret passphrase', CHEAP);
    const b = await hashPassword('s3cret passphrase', CHEAP);
    expect(a).not.toBe(b);
    const [alg, N, r, p, salt, hash] = a.split('$');
    expect([alg, N, r, p]).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(salt as string, 'base64url')).toHaveLength(16);
    // An independent computation with node's synchronous scrypt gives the same bytes.
    const expected = scryptSync('s3cret passphrase', Buffer.from(salt as string, 'base64url'), 32, { N: 1024, r: 8, p: 1 });
    expect(Buffer.from(hash as string, 'base64url').equals(expected)).toBe(true);
  });

  it('verifies the right password only', async () => {
    const h = await hashPassword('correct horse', CHEAP);
    expect(await verifyPassword('correct horse', h)).toBe(true);
    expect(await verifyPassword('correct horsE', h)).toBe(false);
    expect(await verifyPassword('', h)).toBe(false);
  });

  it('verifies a password however its accents were composed (NFC and NFD are one password)', async () => {
    const h = await hashPassword('caf\u00e9 cr\u00e8me', CHEAP);
    expect(await verifyPassword('cafe\u0301 cre\u0300me', h)).toBe(true);
    const d = await hashPassword('cafe\u0301', CHEAP);
    expect(await verifyPassword('caf\u00e9', d)).toBe(true);
  });

  it('treats malformed or absurd stored hashes as a mismatch, never a throw', async () => {
    const h = await hashPassword('x', CHEAP);
    for (const bad of ['', 'scrypt', h.replace('scrypt', 'bcrypt'), h.replace('$1024$', '$1000$'), h.replace('$1024$', '$4194304$'), h.slice(0, -4), 'scrypt$1024$8$1$$',
      `${h}$x`, // a seventh part
      h.replace('$1024$', '$1$'), h.replace('$1024$', '$2097152$'), // N: 2 .. 2^20
      h.replace('$1024$8$', '$1024$0$'), h.replace('$1024$8$', '$1024$33$'), // r: 1 .. 32
      h.replace('$8$1$', '$8$0$'), h.replace('$8$1$', '$8$17$'), // p: 1 .. 16
      h.split('$').map((part, i) => (i === 4 ? Buffer.alloc(7).toString('base64url') : part)).join('$'), // a salt under 8 bytes
    ]) {
      expect(isPasswordHash(bad), bad).toBe(false);
      expect(await verifyPassword('x', bad), bad).toBe(false);
    }
  });
});
