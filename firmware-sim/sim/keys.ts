// The handsets' report keys. A key given in the configuration is used as is; otherwise it is derived from the
// seed and the handset id (SHA-256 of "tecsos-sim-key;<seed>;<id>"), so that a seeded run, the manifest it
// writes and every MAC replay identically. Derived keys are for simulation only: anyone who knows the seed
// knows them. A real fleet's keys come from a hardware random source at provisioning (issue 7).

import { createHash } from 'node:crypto';

/** 32 bytes: the configured key (64 hex digits) or the seed-derived one. */
export function handsetKey(seed: number, id: string, configured?: string): Uint8Array {
  if (configured !== undefined) return new Uint8Array(Buffer.from(configured, 'hex'));
  return new Uint8Array(createHash('sha256').update(`tecsos-sim-key;${seed};${id}`).digest());
}

/** Lower-case hex, as the manifest carries keys. */
export function keyHex(key: Uint8Array): string {
  return Buffer.from(key).toString('hex');
}
