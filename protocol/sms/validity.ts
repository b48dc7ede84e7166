// TP-Validity-Period (3GPP TS 23.040 9.2.3.12), chosen by TP-VPF (bits 4-3 of the SUBMIT first octet):
//   00 none; 10 relative, one octet; 01 enhanced, 7 octets; 11 absolute, 7 octets (time stamp format).
// Relative value -> duration:
//     0..143  (v + 1) x 5 minutes          (5 min .. 12 h)
//   144..167  12 h + (v - 143) x 30 minutes (12 h 30 .. 24 h)
//   168..196  (v - 166) days               (2 .. 30 days)
//   197..255  (v - 192) weeks              (5 .. 63 weeks)
// Enhanced format is kept raw (its first octet selects among further sub-formats).

import { SmsEncodeError, SmsEncodeReason, SmsReason, ok, reject, type SmsResult } from './result.js';
import { decodeTimestamp, encodeTimestamp } from './timestamp.js';

/** A validity period as decoded, or as asked for when encoding. */
export type Validity =
  | { readonly format: 'none' }
  | { readonly format: 'relative'; readonly minutes: number }
  | { readonly format: 'absolute'; readonly at: Date; readonly offsetMinutes: number }
  | { readonly format: 'enhanced'; readonly raw: Uint8Array };

/** Minutes for a relative TP-VP octet. */
export function relativeMinutes(v: number): number {
  if (v <= 143) return (v + 1) * 5;
  if (v <= 167) return 720 + (v - 143) * 30;
  if (v <= 196) return (v - 166) * 1440;
  return (v - 192) * 10080;
}

/** The smallest relative TP-VP octet whose period is at least `minutes` (capped at 63 weeks). */
export function relativeOctet(minutes: number): number {
  if (!Number.isFinite(minutes) || minutes <= 0) {
    throw new SmsEncodeError(SmsEncodeReason.BadOption, `relative validity ${minutes} min must be positive`);
  }
  for (let v = 0; v < 256; v++) if (relativeMinutes(v) >= minutes) return v;
  return 255;
}

/** TP-VPF bits (already shifted into place) and octets for a validity period. */
export function encodeValidity(v: Validity): { vpf: number; octets: number[] } {
  switch (v.format) {
    case 'none':
      return { vpf: 0, octets: [] };
    case 'relative':
      return { vpf: 0x10, octets: [relativeOctet(v.minutes)] };
    case 'absolute':
      return { vpf: 0x18, octets: encodeTimestamp(v.at, v.offsetMinutes) };
    case 'enhanced':
      if (v.raw.length !== 7) throw new SmsEncodeError(SmsEncodeReason.BadOption, 'enhanced validity needs 7 octets');
      return { vpf: 0x08, octets: [...v.raw] };
    default: {
      const never: never = v;
      throw new SmsEncodeError(SmsEncodeReason.BadOption, `unknown validity ${JSON.stringify(never)}`);
    }
  }
}

/** Octets the validity field takes for a TP-VPF value (0..3). */
export function validityLength(vpf: number): number {
  return vpf === 0 ? 0 : vpf === 2 ? 1 : 7;
}

/** Decodes the validity field for TP-VPF `vpf` (0..3) at `pos` (the caller checked its length). */
export function decodeValidity(b: Uint8Array, pos: number, vpf: number): SmsResult<Validity> {
  switch (vpf) {
    case 0:
      return ok({ format: 'none' });
    case 2:
      return ok({ format: 'relative', minutes: relativeMinutes(b[pos] as number) });
    case 1:
      return ok({ format: 'enhanced', raw: b.slice(pos, pos + 7) });
    default: {
      const t = decodeTimestamp(b, pos, 'TP-VP');
      if (!t.ok) return reject(SmsReason.BadValidity, t.detail);
      return ok({ format: 'absolute', at: t.value.date, offsetMinutes: t.value.offsetMinutes });
    }
  }
}
