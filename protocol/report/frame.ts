// The frame shared by TSR1 and TSC1: `<MAGIC><version>;field;field;...;m=<mac>`, GSM 7-bit, at most two
// SMS parts. This file sorts "not mine" from "wrong version" from "truncated" before any field is read.

import { firstNonGsm7, MAX_WIRE_LENGTH } from './gsm7.js';
import { checkMacSyntax } from './fields.js';
import { reject, WireReason, type WireRejection } from './reasons.js';

/** A frame split into its fields, the signed text (everything before `;m=`) and the MAC. */
export interface Frame {
  readonly ok: true;
  /** Fields between the version tag and the MAC, still `key=value` or raw sentences. */
  readonly parts: readonly string[];
  readonly signed: string;
  readonly mac: string;
}

/**
 * Splits `text` as a `<magic>1` frame (`magic` is `TSR` or `TSC`) with `fieldCount` fields before the MAC.
 * Rejections: not-mine (does not start with the magic), wrong-version, too-long, not-gsm7, truncated (the
 * text ends before the full MAC), bad-field (extra or missing separators with the MAC present).
 */
export function splitFrame(raw: string, magic: string, fieldCount: number): Frame | WireRejection {
  const tag = magic + '1';
  if (typeof raw !== 'string') return reject(WireReason.NOT_MINE, 'not text');
  // A trailing CR is what 3GPP TS 23.038 puts in 7 spare bits at the end of a packed message, and text-mode
  // paths may add CR/LF: neither is part of the message (the MAC never ends in them).
  // (A loop, not /[\r\n]+$/: that regex is quadratic on long runs of CR/LF followed by anything else.)
  let end = raw.length;
  while (end > 0 && (raw.charCodeAt(end - 1) === 0x0d || raw.charCodeAt(end - 1) === 0x0a)) end--;
  const text = end === raw.length ? raw : raw.slice(0, end);
  if (!text.startsWith(magic)) {
    return text.length > 0 && tag.startsWith(text)
      ? reject(WireReason.TRUNCATED, `only "${text}" of the ${tag} tag arrived`)
      : reject(WireReason.NOT_MINE, `does not start with ${magic}`);
  }
  const head = text.indexOf(';');
  const version = head < 0 ? text : text.slice(0, head);
  if (version !== tag) {
    if (head < 0 && text === magic) return reject(WireReason.TRUNCATED, 'the text ends after the tag');
    return /^[A-Z0-9]{1,4}$/.test(version.slice(magic.length))
      ? reject(WireReason.WRONG_VERSION, `version tag ${version.slice(0, 8)}, expected ${tag}`)
      : reject(WireReason.NOT_MINE, `does not start with ${tag};`);
  }
  if (text.length > MAX_WIRE_LENGTH) return reject(WireReason.TOO_LONG, `${text.length} characters, at most ${MAX_WIRE_LENGTH}`);
  const bad = firstNonGsm7(text);
  if (bad >= 0) return reject(WireReason.NOT_GSM7, `character ${bad} (U+${text.charCodeAt(bad).toString(16).padStart(4, '0')}) is not in the GSM 7-bit default alphabet`);

  const macAt = text.lastIndexOf(';m=');
  if (macAt < 0) {
    const all = text.split(';');
    // No MAC yet: a cut message if what arrived is a plausible prefix, otherwise a malformed one.
    const last = all[all.length - 1] as string;
    const cutInMacKey = all.length === fieldCount + 2 && (last === '' || last === 'm');
    return all.length <= fieldCount + 1 || cutInMacKey
      ? reject(WireReason.TRUNCATED, 'the text ends before the MAC')
      : reject(WireReason.BAD_FIELD, 'no MAC field where expected', 'm');
  }
  const mac = text.slice(macAt + 3);
  const macBad = checkMacSyntax(mac, true);
  if (macBad !== null) return macBad;
  const parts = text.slice(head + 1, macAt).split(';');
  if (parts.length !== fieldCount) {
    return reject(WireReason.BAD_FIELD, `${parts.length} fields before the MAC, expected ${fieldCount}`);
  }
  return { ok: true, parts, signed: text.slice(0, macAt), mac };
}
