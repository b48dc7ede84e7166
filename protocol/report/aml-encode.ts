// Writes a version 1 AML SMS the way phones do, for the simulated network's ordinary callers and for tests:
//   A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=127
// Coordinates with a sign and 5 decimals (about 1 m), radius in whole metres, `ml` exact (the whole text).
// Without a fix (method 'none') it writes the zeros and `rd=N` that Android sends.

import type { AmlMethod } from './aml.js';

/** What a phone puts in an AML SMS. */
export interface AmlFields {
  /** Degrees; ignored when method is 'none'. */
  readonly latitude: number;
  readonly longitude: number;
  /** Metres; ignored when method is 'none'. */
  readonly radiusM: number;
  readonly confidencePct: number;
  readonly method: Exclude<AmlMethod, 'other'>;
  readonly time: Date;
  readonly imsi: string;
  readonly imei: string;
  readonly mcc: string;
  readonly mnc: string;
}

const CODES: Readonly<Record<AmlFields['method'], string>> = { gnss: 'G', wifi: 'W', cell: 'C', none: 'N' };

function signed(v: number, intDigits: number): string {
  const [i, f] = Math.abs(v).toFixed(5).split('.') as [string, string];
  return (v < 0 ? '-' : '+') + i.padStart(intDigits, '0') + '.' + f;
}

function top(t: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${p(t.getUTCFullYear(), 4)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}`;
}

/** The AML SMS text for `f`. Throws RangeError for values parseAml would refuse (latitude 95, NaN...). */
export function encodeAml(f: AmlFields): string {
  const fix = f.method !== 'none';
  if (fix && !(Math.abs(f.latitude) <= 90 && Math.abs(f.longitude) <= 180 && f.radiusM >= 0 && f.radiusM <= 1_000_000)) {
    throw new RangeError('AML position out of range');
  }
  if (!(f.confidencePct >= 0 && f.confidencePct <= 100) || Number.isNaN(f.time.getTime())) throw new RangeError('AML confidence or time out of range');
  const body =
    `A"ML=1;lt=${fix ? signed(f.latitude, 2) : '+00.00000'};lg=${fix ? signed(f.longitude, 1) : '+000.00000'};` +
    `rd=${fix ? Math.round(f.radiusM) : 'N'};top=${top(f.time)};lc=${Math.round(f.confidencePct)};pm=${CODES[f.method]};` +
    `si=${f.imsi};ei=${f.imei};mcc=${f.mcc};mnc=${f.mnc};ml=`;
  // ml counts itself: find the digit count that is consistent.
  let ml = body.length + 3;
  while (String(ml).length + body.length !== ml) ml = body.length + String(ml).length;
  return body + String(ml);
}
