// A fleet of synthetic registered handsets and the real wire inputs they send: signed TSR1 report texts
// (protocol/report, NMEA from protocol/nmea) and the SMS-DELIVER PDUs (protocol/sms) a bank modem would hand
// the gateway. Shared by the system tests (test/system) and the end-to-end benchmarks (bench/*.bench.ts), so
// it imports nothing from vitest.
import { createHmac } from 'node:crypto';
import { encodeGga, encodeRmc } from '../../protocol/nmea/encoder.js';
import type { ReportEvent } from '../../protocol/report/index.js';
import { encodeReportSync } from '../../protocol/report/tsr1.js';
import { decodeSubmit, encodeDeliver, encodeSubmit } from '../../protocol/sms/index.js';
import type { HandsetRegistration } from '../../gateway/http/actions.js';

export const SMSC = '+447785016005';

export const hmacSha256 = (key: Uint8Array, message: Uint8Array): Uint8Array => new Uint8Array(createHmac('sha256', key).update(message).digest());

/** A handset of the synthetic fleet: registration plus where it is. */
export type FleetHandset = {
  readonly id: string;
  readonly number: string;
  readonly imei: string;
  readonly key: Uint8Array;
  /** Base position; reports wander a few metres from it. */
  readonly lat: number;
  readonly lon: number;
};

function luhnDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Handset `i` (0-based) of a fleet: ids TS-00001.., numbers +447700100000 + i, Luhn-valid IMEIs, distinct keys. */
export function fleetHandset(i: number): FleetHandset {
  const imei14 = `35693803${String(i).padStart(6, '0')}`;
  const key = new Uint8Array(32);
  for (let k = 0; k < 32; k++) key[k] = (i * 131 + k * 29 + ((i >> 8) & 0xff)) & 0xff;
  return {
    id: `TS-${String(i + 1).padStart(5, '0')}`,
    number: `+4477001${String(i).padStart(5, '0')}`,
    imei: `${imei14}${luhnDigit(imei14)}`,
    key,
    lat: 53.79 + (i % 100) * 0.001,
    lon: -1.55 + Math.floor(i / 100) * 0.001,
  };
}

export function fleet(n: number): FleetHandset[] {
  return Array.from({ length: n }, (_, i) => fleetHandset(i));
}

/** The gateway's registration for a fleet handset. */
export function registrationOf(h: FleetHandset, force = 'West Yorkshire Police'): HandsetRegistration {
  return {
    id: h.id,
    number: h.number,
    imei: h.imei,
    key: h.key,
    force,
    victim: { name: `Victim ${h.id}`, safetyNotes: 'Synthetic test record.', riskMarkers: [] },
    testMode: false,
    replace: false,
  };
}

/** A manifest file body (docs/gateway.md "Manifest") for `--registry`. */
export function manifestOf(handsets: readonly FleetHandset[]): string {
  return JSON.stringify({
    version: 1,
    handsets: handsets.map((h) => ({
      id: h.id,
      number: h.number,
      imei: h.imei,
      key: Buffer.from(h.key).toString('hex'),
      force: 'West Yorkshire Police',
      victim: { name: `Victim ${h.id}`, safetyNotes: '', riskMarkers: [] },
    })),
  });
}

/** The position a fleet handset reports with counter `n` (deterministic, 4-decimal-minute NMEA precision). */
export function positionOf(h: FleetHandset, n: number): { lat: number; lon: number } {
  return { lat: h.lat + (n % 50) * 0.0001, lon: h.lon + (n % 37) * 0.0001 };
}

/** A signed TSR1 text from handset `h` with counter `n`, its fix at `timeMs`. */
export function reportText(h: FleetHandset, n: number, timeMs: number, event: ReportEvent = 'TRK'): string {
  const p = positionOf(h, n);
  const fix = { timeMs, latitude: p.lat, longitude: p.lon, valid: true, speedKnots: 1.2, courseTrueDeg: 87, satellitesUsed: 9, hdop: 0.9, altitudeM: 41 };
  return encodeReportSync(
    { handsetId: h.id, counter: n, event, batteryPct: 80, csq: 20, rmc: encodeRmc(fix).trim(), gga: encodeGga(fix).trim() },
    h.key,
    hmacSha256,
  );
}

/** SMS-DELIVER PDUs (one per part) of `text` from `from`, as a bank modem stores them. */
export function deliverPdus(text: string, from: string, concatRef: number, sentAt: number): string[] {
  return encodeDeliver({ from, text, sentAt, smsc: SMSC, concatRef: concatRef & 0xff }).map((p) => p.pdu);
}

/** The network content of each part of `text` as a handset's modem would submit it (UDH concatenation). */
export function submitParts(to: string, text: string, concatRef: number): { text: string; concat?: import('../../protocol/sms/index.js').Concat; udh: readonly import('../../protocol/sms/index.js').UdhElement[] }[] {
  return encodeSubmit(to, text, { concatRef: concatRef & 0xff }).map((p) => {
    const s = decodeSubmit(p.pdu);
    return { text: s.text, ...(s.concat !== undefined && { concat: s.concat }), udh: s.udh };
  });
}
