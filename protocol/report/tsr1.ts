// TSR1: the handset's report, one SMS (two concatenated parts when the sentences are long).
//
//   TSR1;h=TS-0001;n=1042;e=ALM;b=87;q=23;$GPRMC,141935.00,A,5544.5902,N,00416.1286,W,0.4,87.0,170713,,,A*7F;$GPGGA,141935.00,5544.5902,N,00416.1286,W,1,09,0.9,41.0,M,52.0,M,,*47;m=TyLlEC-3RoU
//   ^tag ^handset id ^counter ^event ^battery % ^CSQ ^RMC as the GPS emitted it ^GGA ^MAC
//
// | field | syntax                              | notes                                                          |
// |-------|-------------------------------------|----------------------------------------------------------------|
// | h     | [A-Z0-9][A-Z0-9-]{0,15}             | handset id, the key's name in the gateway's registry           |
// | n     | 0 .. 4294967295, canonical decimal  | +1 per report, survives reboots; anti-replay (replay-window.ts) |
// | e     | ALM TRK HBT LOB TST BOT TMP ACK     | events.ts                                                      |
// | b     | 0 .. 100                            | battery percent                                                |
// | q     | 0 .. 31 or 99                       | AT+CSQ RSSI (99 = not known)                                   |
// | RMC   | $--RMC,...*hh, <= 110 chars         | status V when there is no fix; decoded by protocol/nmea        |
// | GGA   | $--GGA,...*hh, <= 110 chars         | fix quality 0 when there is no fix                             |
// | m     | 11 base64url chars                  | HMAC-SHA256(key, text before ";m="), first 8 bytes (mac.ts)    |
//
// Decoding checks syntax only, so the gateway can look the key up by `h` first; `verifyReport` checks the
// MAC. Rejections are reasons.ts codes, never exceptions.

import { isReportEvent, type ReportEvent } from './events.js';
import { checkDecimal, checkHandsetId, checkSentence, MAX_COUNTER, valueOf } from './fields.js';
import { splitFrame } from './frame.js';
import {
  computeMac,
  computeMacSync,
  verifyMac,
  verifyMacSync,
  webCryptoHmacSha256,
  type HmacSha256,
  type HmacSha256Sync,
} from './mac.js';
import { reject, WireReason, type WireRejection } from './reasons.js';

/** The content of a report (everything but the MAC). */
export interface ReportFields {
  readonly handsetId: string;
  readonly counter: number;
  readonly event: ReportEvent;
  /** 0 .. 100 */
  readonly batteryPct: number;
  /** AT+CSQ RSSI: 0 .. 31, or 99 for "not known". */
  readonly csq: number;
  /** The RMC sentence as the GPS emitted it, without CR/LF. */
  readonly rmc: string;
  /** The GGA sentence as the GPS emitted it, without CR/LF. */
  readonly gga: string;
}

/** A syntactically valid report, not yet verified. */
export interface DecodedReport extends ReportFields {
  readonly ok: true;
  readonly version: 1;
  /** The text the MAC covers: everything before `;m=`. */
  readonly signed: string;
  /** The 11-character MAC as received. */
  readonly mac: string;
}

export type ReportDecodeResult = DecodedReport | WireRejection;

/** Thrown by encodeReport for fields no handset may send (a programming or configuration error). */
export class ReportEncodeError extends Error {
  constructor(
    readonly reason: WireReason,
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ReportEncodeError';
  }
}

const FIELD_COUNT = 7;
const CSQ_UNKNOWN = 99;

function checkCsq(value: string): WireRejection | null {
  const bad = checkDecimal(value, 'q', 0, 99);
  if (bad !== null) return bad;
  const n = Number(value);
  return n <= 31 || n === CSQ_UNKNOWN ? null : reject(WireReason.ABSURD_VALUE, `q=${value}: CSQ is 0..31 or 99`, 'q');
}

/** Parses and checks a TSR1 text without the key. Never throws. */
export function decodeReport(text: string): ReportDecodeResult {
  const frame = splitFrame(text, 'TSR', FIELD_COUNT);
  if (!frame.ok) return frame;
  const [ph, pn, pe, pb, pq, rmc, gga] = frame.parts as [string, string, string, string, string, string, string];

  const h = valueOf(ph, 'h');
  if (h === null) return reject(WireReason.BAD_FIELD, 'expected h=<handset id>', 'h');
  const n = valueOf(pn, 'n');
  if (n === null) return reject(WireReason.BAD_FIELD, 'expected n=<counter>', 'n');
  const e = valueOf(pe, 'e');
  if (e === null) return reject(WireReason.BAD_FIELD, 'expected e=<event>', 'e');
  const b = valueOf(pb, 'b');
  if (b === null) return reject(WireReason.BAD_FIELD, 'expected b=<battery %>', 'b');
  const q = valueOf(pq, 'q');
  if (q === null) return reject(WireReason.BAD_FIELD, 'expected q=<CSQ>', 'q');

  const bad =
    checkHandsetId(h) ??
    checkDecimal(n, 'n', 0, MAX_COUNTER) ??
    (isReportEvent(e) ? null : reject(WireReason.BAD_FIELD, `unknown event "${e.slice(0, 8)}"`, 'e')) ??
    checkDecimal(b, 'b', 0, 100) ??
    checkCsq(q) ??
    checkSentence(rmc, 'RMC', 'rmc') ??
    checkSentence(gga, 'GGA', 'gga');
  if (bad !== null) return bad;

  return {
    ok: true,
    version: 1,
    handsetId: h,
    counter: Number(n),
    event: e as ReportEvent,
    batteryPct: Number(b),
    csq: Number(q),
    rmc,
    gga,
    signed: frame.signed,
    mac: frame.mac,
  };
}

/** The signed part of a report (everything before `;m=`); throws ReportEncodeError for invalid fields. */
export function reportSignedText(fields: ReportFields): string {
  const signed =
    `TSR1;h=${fields.handsetId};n=${fields.counter};e=${fields.event};b=${fields.batteryPct};` +
    `q=${fields.csq};${fields.rmc};${fields.gga}`;
  // The decoder is the single definition of validity: an encoded report must decode.
  const probe = decodeReport(signed + ';m=AAAAAAAAAAA');
  if (!probe.ok) throw new ReportEncodeError(probe.reason, probe.field, `cannot encode report: ${probe.detail}`);
  if (
    probe.handsetId !== fields.handsetId ||
    probe.counter !== fields.counter ||
    probe.batteryPct !== fields.batteryPct ||
    probe.csq !== fields.csq
  ) {
    throw new ReportEncodeError(WireReason.BAD_FIELD, undefined, 'cannot encode report: a field does not round-trip');
  }
  return signed;
}

/**
 * Encodes and signs a report. `hmac` defaults to Web Crypto. Throws ReportEncodeError for fields no
 * handset may send (battery 140, an id with lower case, a sentence containing `;`, text over
 * MAX_WIRE_LENGTH characters) and RangeError for a key that is not 32 bytes.
 */
export async function encodeReport(fields: ReportFields, key: Uint8Array, hmac: HmacSha256 = webCryptoHmacSha256): Promise<string> {
  const signed = reportSignedText(fields);
  return `${signed};m=${await computeMac(signed, key, hmac)}`;
}

/** Synchronous {@link encodeReport} with an injected synchronous HMAC. */
export function encodeReportSync(fields: ReportFields, key: Uint8Array, hmac: HmacSha256Sync): string {
  const signed = reportSignedText(fields);
  return `${signed};m=${computeMacSync(signed, key, hmac)}`;
}

/** True when the decoded report's MAC matches `key` (constant-time compare). */
export function verifyReport(
  report: Pick<DecodedReport, 'signed' | 'mac'>,
  key: Uint8Array,
  hmac: HmacSha256 = webCryptoHmacSha256,
): Promise<boolean> {
  return verifyMac(report.signed, report.mac, key, hmac);
}

/** Synchronous {@link verifyReport} with an injected synchronous HMAC (the gateway's fast path). */
export function verifyReportSync(report: Pick<DecodedReport, 'signed' | 'mac'>, key: Uint8Array, hmac: HmacSha256Sync): boolean {
  return verifyMacSync(report.signed, report.mac, key, hmac);
}
