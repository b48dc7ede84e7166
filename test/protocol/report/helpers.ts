// Shared test material: a fixed key, real-looking sentences, and node:crypto as an independent HMAC.
import { createHmac } from 'node:crypto';
import type { HmacSha256Sync, ReportFields } from '../../../protocol/report/index.js';

/** Key bytes 0x00..0x1f. */
export const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
/** A different key: bytes 0xff..0xe0. */
export const OTHER_KEY = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

export const nodeHmac: HmacSha256Sync = (key, message) => new Uint8Array(createHmac('sha256', key).update(message).digest());

/** HMAC-SHA256 truncated to 8 bytes, base64url, computed with node:crypto only. */
export function independentMac(signed: string, key: Uint8Array): string {
  return createHmac('sha256', key).update(Buffer.from(signed, 'utf8')).digest().subarray(0, 8).toString('base64url');
}

// Glasgow, the ETSI AML example's position, as a u-blox style GPS would emit it.
export const RMC_FIX = '$GPRMC,141935.00,A,5544.5902,N,00416.1286,W,0.4,87.0,170713,,,A*7F';
export const GGA_FIX = '$GPGGA,141935.00,5544.5902,N,00416.1286,W,1,09,0.9,41.0,M,52.0,M,,*47';
// No fix: what a receiver sends before its first fix.
export const RMC_NOFIX = '$GPRMC,,V,,,,,,,,,,N*53';
export const GGA_NOFIX = '$GPGGA,,,,,,0,00,99.99,,,,,,*48';

export const FIELDS: ReportFields = {
  handsetId: 'TS-0001',
  counter: 1042,
  event: 'ALM',
  batteryPct: 87,
  csq: 23,
  rmc: RMC_FIX,
  gga: GGA_FIX,
};
