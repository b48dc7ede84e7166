// The fleet key file: permissions like ssh's identity files, PKCS#8 Ed25519 PEM only (as openssl writes it),
// and signatures the handset's side verifies.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuth } from '../../../firmware-sim/provisioning/signature.js';
import { answerChallenge } from '../../../hardware/provisioning/challenge.js';
import { generateFleetKey, KeyFileError, loadFleetKey } from '../../../hardware/provisioning/fleet-key.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const tmp = () => (dir = mkdtempSync(path.join(tmpdir(), 'tecsos-key-')));

describe('fleet key file', () => {
  it('signs challenges the handset accepts (TSAUTH1;<id>;<nonce>)', async () => {
    const file = path.join(tmp(), 'k.pem');
    const made = await generateFleetKey(file);
    if (!made.ok) throw new Error(made.message);
    const key = await loadFleetKey(file);
    if (!key.ok) throw new Error(key.message);
    const nonce = '9f86d081884c7d659a2feaa0c55ad015';
    const sig = answerChallenge(key.value, 'TS-0001', nonce);
    expect(sig).toMatch(/^[0-9a-f]{128}$/);
    expect(verifyAuth(made.value.publicHex, 'TS-0001', nonce, sig)).toBe(true);
    expect(verifyAuth(made.value.publicHex, 'TS-0002', nonce, sig)).toBe(false);
  });

  it('refuses group/world permission bits, as ssh does', async () => {
    const file = path.join(tmp(), 'k.pem');
    await generateFleetKey(file);
    for (const mode of [0o640, 0o644, 0o604, 0o660, 0o610]) {
      chmodSync(file, mode);
      const r = await loadFleetKey(file);
      expect(r, mode.toString(8)).toMatchObject({ ok: false, code: KeyFileError.UNPROTECTED });
    }
    for (const mode of [0o600, 0o400]) {
      chmodSync(file, mode);
      expect((await loadFleetKey(file)).ok, mode.toString(8)).toBe(true);
    }
  });

  it('reads a key made by openssl genpkey; refuses other key types and garbage', async () => {
    const d = tmp();
    const ossl = path.join(d, 'openssl.pem');
    let haveOpenssl = true;
    try {
      execFileSync('openssl', ['genpkey', '-algorithm', 'ed25519', '-out', ossl], { stdio: 'ignore' });
    } catch {
      haveOpenssl = false;
    }
    if (haveOpenssl) {
      chmodSync(ossl, 0o600);
      expect((await loadFleetKey(ossl)).ok).toBe(true);
    }
    const rsa = path.join(d, 'rsa.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    expect(await loadFleetKey(rsa)).toMatchObject({ ok: false, code: KeyFileError.NOT_ED25519 });
    const junk = path.join(d, 'junk.pem');
    writeFileSync(junk, 'not a key\n', { mode: 0o600 });
    expect(await loadFleetKey(junk)).toMatchObject({ ok: false, code: KeyFileError.NOT_ED25519 });
    expect(await loadFleetKey(path.join(d, 'missing.pem'))).toMatchObject({ ok: false, code: KeyFileError.UNREADABLE });
    expect(await generateFleetKey(rsa)).toMatchObject({ ok: false, code: KeyFileError.EXISTS });
  });

  it('keygen never replaces an existing PATH.pub (the fleet public half as distributed), and then creates nothing', async () => {
    const file = path.join(tmp(), 'fleet-key.pem');
    const distributed = `${'ab'.repeat(32)}\n`;
    writeFileSync(`${file}.pub`, distributed);
    expect(await generateFleetKey(file)).toMatchObject({ ok: false, code: KeyFileError.EXISTS });
    expect(readFileSync(`${file}.pub`, 'utf8')).toBe(distributed);
    expect(existsSync(file)).toBe(false);
  });
});
