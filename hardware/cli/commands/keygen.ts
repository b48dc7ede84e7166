// tecsos keygen [--out PATH]: a new fleet Ed25519 key pair. The private key (PKCS#8 PEM) is created with mode
// 0600 and never overwrites; the public key (64 hex digits) is printed and written to PATH.pub, for the
// handsets' factory configuration (setting `fleetkey`).

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { generateFleetKey } from '../../provisioning/fleet-key.js';
import { COMMON_OPTIONS, str, type CliCommand } from '../command.js';
import { keyFilePath } from '../session.js';

export const keygen: CliCommand = {
  name: 'keygen',
  summary: 'a new fleet provisioning key pair (private key 0600; public key printed)',
  usage: '[--out PATH] [--json]',
  options: { ...COMMON_OPTIONS, out: { type: 'string' } },
  async run(values, io, out) {
    const file = str(values, 'out') ?? keyFilePath({}, io);
    try {
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    } catch (err) {
      return out.fail({ kind: 'key-file', message: `cannot create ${path.dirname(file)}: ${(err as Error).message}`, next: 'choose another --out' });
    }
    const r = await generateFleetKey(file);
    if (!r.ok) return out.fail({ kind: 'key-file', message: r.message, next: 'choose another --out' });
    out.text(`private key: ${r.value.privatePath} (mode 0600: keep it on the provisioning bench only)`);
    out.text(`public key:  ${r.value.publicPath}`);
    out.text(`fleetkey for the handsets' factory configuration:`);
    return out.done({ privateKeyFile: r.value.privatePath, publicKeyFile: r.value.publicPath, publicKey: r.value.publicHex }, r.value.publicHex);
  },
};
