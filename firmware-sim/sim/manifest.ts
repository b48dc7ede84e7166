// The simulator's handset manifest (data/sim-registry.json, `--registry-out PATH`): what a manufacturer hands
// the control room with a batch of provisioned handsets, so that the gateway trusts their reports before the
// engineer's USB tool exists. The gateway imports it with `--registry PATH` (gateway/registry/manifest.ts):
//
//   { "version": 1,
//     "handsets": [ { "id": "TS-0001", "number": "+447700900101", "imei": "356938035643817",
//                     "key": "<64 hex digits>", "force": "West Yorkshire Police",
//                     "victim": { "name": "...", "safetyNotes": "...", "riskMarkers": ["weapons"] },
//                     "testMode": false } ] }
//
// Each entry is a protocol/schemas HandsetRegisterRequest (checked before writing). The file holds the report
// keys, so it is written with mode 0600 (and chmod-ed, in case it already existed with a wider mode).
// Blank (unprovisioned) handsets are left out: they have no key yet.

import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { HandsetRegisterRequest } from '../../protocol/schemas/handsets.js';
import type { SimConfig } from './config.js';
import { handsetKey, keyHex } from './keys.js';

export const MANIFEST_VERSION = 1;

/** The manifest's shape, as the gateway reads it. */
export const SimManifest = z.strictObject({
  version: z.literal(MANIFEST_VERSION),
  handsets: z.array(HandsetRegisterRequest.omit({ replace: true })),
});
export type SimManifest = z.infer<typeof SimManifest>;

/** Builds the manifest of the configured, provisioned handsets. */
export function buildManifest(config: SimConfig): SimManifest {
  return SimManifest.parse({
    version: MANIFEST_VERSION,
    handsets: config.handsets
      .filter((h) => h.provisioned)
      .map((h) => ({
        id: h.id,
        number: h.number,
        imei: h.imei,
        key: keyHex(handsetKey(config.seed, h.id, h.key)),
        force: h.force,
        victim: h.victim,
        testMode: h.testMode,
      })),
  });
}

/** Writes the manifest atomically (temporary file, then rename) with mode 0600. */
export function writeManifest(path: string, manifest: SimManifest): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
