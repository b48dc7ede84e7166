// The fleet's Ed25519 provisioning key, on the engineer's machine. The handset holds only the public half
// (setting `fleetkey`, 64 hex digits); the private half signs each provisioning challenge.
//
// File format: the private key as PKCS#8 PEM, exactly what `openssl genpkey -algorithm ed25519` writes:
//
//   -----BEGIN PRIVATE KEY-----
//   MC4CAQAwBQYDK2VwBCIEIHx0... (48 bytes of DER, base64)
//   -----END PRIVATE KEY-----
//
// Like ssh with an identity file, the tool refuses a key file that anyone but its owner could read or write
// (any group/other permission bit: chmod 600 fixes it) or that belongs to another user. `tecsos keygen` writes
// the private key with mode 0600 (created exclusively: it never overwrites) and the public key beside it,
// `<file>.pub`, as one line of 64 hex digits.

import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';

/** Why a key file could not be used. */
export const KeyFileError = {
  /** No such file, or it cannot be read. */
  UNREADABLE: 'KEY_FILE_UNREADABLE',
  /** Group or other permission bits set, or another user owns it. */
  UNPROTECTED: 'KEY_FILE_UNPROTECTED',
  /** Not a PKCS#8 PEM Ed25519 private key. */
  NOT_ED25519: 'KEY_FILE_NOT_ED25519',
  /** keygen: the file exists already (never overwritten). */
  EXISTS: 'KEY_FILE_EXISTS',
} as const;
export type KeyFileError = (typeof KeyFileError)[keyof typeof KeyFileError];

export type FleetKeyResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: KeyFileError; readonly message: string };

/** A loaded fleet key: signs challenges; the public half as the handset's `fleetkey` setting shows it. */
export type FleetKey = {
  readonly path: string;
  /** 64 lower-case hex digits. */
  readonly publicHex: string;
  /** Ed25519 signature of `message`. */
  sign(message: Uint8Array): Uint8Array;
};

const fail = <T>(code: KeyFileError, message: string): FleetKeyResult<T> => ({ ok: false, code, message });

/** The 32 raw public key bytes as 64 hex digits. */
export function publicKeyHex(key: KeyObject): string {
  const x = createPublicKey(key).export({ format: 'jwk' }).x;
  return Buffer.from(String(x), 'base64url').toString('hex');
}

/** Reads the private key after checking its permissions and owner (see the file comment). */
export async function loadFleetKey(path: string): Promise<FleetKeyResult<FleetKey>> {
  let stat;
  let text: string;
  try {
    stat = await fs.stat(path);
    if (!stat.isFile()) return fail(KeyFileError.UNREADABLE, `fleet key ${path} is not a file`);
    text = await fs.readFile(path, 'utf8');
  } catch (err) {
    return fail(KeyFileError.UNREADABLE, `cannot read the fleet key ${path}: ${(err as Error).message}`);
  }
  if (process.platform !== 'win32') {
    const mode = stat.mode & 0o777;
    if ((mode & 0o077) !== 0) {
      return fail(KeyFileError.UNPROTECTED, `permissions ${mode.toString(8).padStart(4, '0')} for the fleet key ${path} are too open: anyone in its group or on this machine could provision or lock handsets. Run: chmod 600 ${path}`);
    }
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid && uid !== 0) {
      return fail(KeyFileError.UNPROTECTED, `the fleet key ${path} belongs to user ${stat.uid}, not to you (${uid}): use your own copy, mode 600`);
    }
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    return fail(KeyFileError.NOT_ED25519, `${path} is not a PEM private key (expected PKCS#8 Ed25519, as written by tecsos keygen or openssl genpkey -algorithm ed25519)`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    return fail(KeyFileError.NOT_ED25519, `${path} holds a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  }
  return {
    ok: true,
    value: { path, publicHex: publicKeyHex(key), sign: (message) => new Uint8Array(sign(null, message, key)) },
  };
}

/** A new fleet key pair: the private key written 0600 at `path` (never overwriting), the public at `path.pub`. */
export async function generateFleetKey(path: string): Promise<FleetKeyResult<{ readonly privatePath: string; readonly publicPath: string; readonly publicHex: string }>> {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicHex = publicKeyHex(privateKey);
  const publicPath = `${path}.pub`;
  // The .pub beside it may be the fleet's public half as distributed (the handsets' factory fleetkey): a new
  // pair must not replace it either. Checked before the private key is created, so a refusal leaves nothing.
  const exists = (p: string) => fs.lstat(p).then(() => true, () => false);
  if (!(await exists(path)) && (await exists(publicPath))) return fail(KeyFileError.EXISTS, `${publicPath} exists already: keygen never overwrites a key (it may be the public half the fleet's handsets carry)`);
  let handle;
  try {
    handle = await fs.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'EEXIST'
      ? fail(KeyFileError.EXISTS, `${path} exists already: keygen never overwrites a key (a handset provisioned with it would be locked out for good)`)
      : fail(KeyFileError.UNREADABLE, `cannot create ${path}: ${(err as Error).message}`);
  }
  try {
    // The umask may have cleared bits; it never adds any. chmod anyway, for filesystems that ignore the mode.
    await handle.writeFile(pem);
    await handle.chmod(0o600);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.writeFile(publicPath, `${publicHex}\n`, { mode: 0o644, flag: 'wx' });
  return { ok: true, value: { privatePath: path, publicPath, publicHex } };
}
