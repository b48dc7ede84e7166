// The handset manifest: the list of handsets a simulator run (or a provisioning batch) produced, imported
// into the registry at start-up with `--registry PATH`. Importing the same manifest twice changes nothing.
//
//   { "version": 1,
//     "handsets": [ { "id": "TS-0001", "number": "+447700900123", "imei": "356938035643809",
//                     "key": "<64 hex digits or 43/44 base64url>", "force": "Metropolitan Police",
//                     "victim": { "name": "...", "safetyNotes": "...", "riskMarkers": ["weapons"] },
//                     "testMode": false } ] }
//
// Each entry is a protocol/schemas HandsetRegisterRequest (the REST registration body), so there is one
// definition of a valid registration. Bad files stop start-up with the entry and field named.
import { z } from 'zod';
import { duplicateKey, readJsonFileText } from '../config/json-text.js';
import { withoutBodyVersion } from '../../protocol/schemas/common.js';
import { HandsetRegisterRequest } from '../../protocol/schemas/handsets.js';
import { decodeKey } from '../http/routes/handset-routes.js';
import type { HandsetRegistration } from '../http/actions.js';

export const MANIFEST_VERSION = 1;

/**
 * An entry may carry the body's schema version `"v": 1`, as a REST registration body may (gateway/http/
 * validate.ts); it is taken off before the check. Any other `v` stays and is refused as an unknown key.
 */
const ManifestEntry = z.preprocess((e) => {
  const r = withoutBodyVersion(e);
  return r.ok ? r.body : e;
}, HandsetRegisterRequest);

export const HandsetManifest = z.object({
  version: z.literal(MANIFEST_VERSION),
  handsets: z.array(ManifestEntry).max(100_000),
});

/** 100,000 entries (the schema's limit) of a few hundred bytes to 2 kB each. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

/** Thrown at start-up for a manifest a person must fix; the message names the file, entry and field. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** Parses manifest JSON (already read) into registrations with their keys decoded. */
export function parseManifest(json: unknown, source = 'manifest'): HandsetRegistration[] {
  const r = HandsetManifest.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `  ${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new ManifestError(`invalid handset manifest ${source}:\n${issues.join('\n')}`);
  }
  const seen = new Set<string>();
  return r.data.handsets.map((h, i) => {
    if (seen.has(h.id)) throw new ManifestError(`invalid handset manifest ${source}: handsets.${i}.id: ${h.id} is listed twice`);
    seen.add(h.id);
    const key = decodeKey(h.key);
    if (key === undefined) throw new ManifestError(`invalid handset manifest ${source}: handsets.${i}.key: must decode to exactly 32 bytes`);
    return { ...h, key };
  });
}

/**
 * JSON.parse's message without the text it quotes: V8 quotes about ten characters either side of the error
 * (`Unexpected token ''', ..."key": '34400abdf"... is not valid JSON`), which here can be part of a key or a
 * victim's record, and the message goes to a terminal or the service journal. The position-only messages
 * (`... in JSON at position 40`) are kept whole.
 */
function jsonErrorWithoutText(err: unknown): string {
  return (err as Error).message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, ' (check the file with: jq . FILE)');
}

/** Reads and parses a manifest file (at most `maxBytes`: a device given by mistake is refused, not read on). */
export function readManifest(path: string, maxBytes = MAX_MANIFEST_BYTES): HandsetRegistration[] {
  const read = readJsonFileText(path, maxBytes);
  if (!read.ok && read.problem === 'unreadable') throw new ManifestError(`cannot read handset manifest ${path}: ${read.message}`);
  if (!read.ok) throw new ManifestError(`handset manifest ${path} ${read.message}`);
  const text = read.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`handset manifest ${path} is not valid JSON: ${jsonErrorWithoutText(e)}`);
  }
  const twice = duplicateKey(text);
  if (twice !== undefined) throw new ManifestError(`invalid handset manifest ${path}: ${twice} is given twice (JSON would keep only the last: remove one)`);
  return parseManifest(json, path);
}
