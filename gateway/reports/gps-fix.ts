// The position inside a TSR1 report: its RMC and GGA sentences, decoded by protocol/nmea, turned into the
// payload of a `fix` event with its quality stated honestly (docs/gateway.md, "Fix quality").
//
//   $GPRMC,141935.00,A,5544.5902,N,00416.1286,W,0.4,87.0,170713,,,A*7F   time, status A/V, lat, lon, speed, course, date
//   $GPGGA,141935.00,5544.5902,N,00416.1286,W,1,09,0.9,41.0,M,52.0,M,,*47  time, lat, lon, quality, sats, HDOP, altitude
//
// - Position: the RMC's when its status is A, else the GGA's when its quality is > 0, else the RMC's
//   position with status V (the receiver's last known position, flagged `gpsStatus: 'invalid'`), else none.
// - accuracyM: HDOP x 5 m. A civil GPS receiver's user equivalent range error is about 2.5 m (1 sigma), and
//   the 95 % horizontal radius is about 2 x UERE x HDOP; null when the GGA carries no HDOP.
// - fixTime: the RMC's date and time; with no RMC date (no fix yet), the GGA's time of day on the day that
//   puts it closest before the moment the SMS arrived. No time at all: the time the SMS arrived.
import { decodeSentence } from '../../protocol/nmea/decode-sentence.js';
import type { NmeaSentenceData } from '../../protocol/nmea/sentence.js';

/** Metres of 95 % horizontal error per unit of HDOP. */
export const UERE_95_M = 5;

const DAY_MS = 86_400_000;

/** The position fields of a `fix` event read from a report's sentences. */
export type GpsFix = {
  readonly lat: number;
  readonly lon: number;
  readonly accuracyM: number | null;
  readonly fixTime: string;
  readonly gpsStatus: 'valid' | 'invalid';
  readonly speedKnots: number | null;
  readonly courseDeg: number | null;
  readonly sats: number | null;
  readonly hdop: number | null;
};

function decoded(text: string, type: 'RMC' | 'GGA'): NmeaSentenceData | undefined {
  const r = decodeSentence(text);
  return r.ok && r.sentence.type === type ? r.sentence : undefined;
}

const num = (v: number, min: number, max: number): number | null => (Number.isFinite(v) && v >= min && v <= max ? v : null);

function timeOf(rmc: NmeaSentenceData | undefined, gga: NmeaSentenceData | undefined, receivedAt: number): number {
  if (rmc !== undefined && Number.isFinite(rmc.year) && Number.isFinite(rmc.timeOfDayMs)) {
    return Date.UTC(rmc.year, rmc.month - 1, rmc.day) + rmc.timeOfDayMs;
  }
  const tod = Number.isFinite(rmc?.timeOfDayMs) ? (rmc as NmeaSentenceData).timeOfDayMs : gga?.timeOfDayMs;
  if (tod === undefined || !Number.isFinite(tod)) return receivedAt;
  const midnight = Math.floor(receivedAt / DAY_MS) * DAY_MS;
  const t = midnight + tod;
  // A fix is never from the future: just after midnight, a time of day from before midnight is yesterday's.
  return t > receivedAt + 60_000 ? t - DAY_MS : t;
}

/** The fix in a report's RMC and GGA, or null when neither carries a position. */
export function gpsFix(rmcText: string, ggaText: string, receivedAt: number): GpsFix | null {
  const rmc = decoded(rmcText, 'RMC');
  const gga = decoded(ggaText, 'GGA');
  let source: NmeaSentenceData | undefined;
  let valid = false;
  if (rmc?.positionValid === true) [source, valid] = [rmc, true];
  else if (gga?.positionValid === true) [source, valid] = [gga, true];
  else if (rmc !== undefined && Number.isFinite(rmc.latitude)) source = rmc;
  if (source === undefined || !Number.isFinite(source.latitude) || !Number.isFinite(source.longitude)) return null;
  const hdop = gga === undefined ? null : num(gga.hdop, 0, 100);
  const fixMs = timeOf(rmc, gga, receivedAt);
  return {
    lat: source.latitude,
    lon: source.longitude,
    accuracyM: hdop === null ? null : Math.min(1_000_000, Math.round(hdop * UERE_95_M * 10) / 10),
    fixTime: new Date(fixMs).toISOString(),
    gpsStatus: valid ? 'valid' : 'invalid',
    speedKnots: rmc === undefined ? null : num(rmc.speedKnots, 0, 1000),
    courseDeg: rmc === undefined ? null : num(rmc.courseTrueDeg, 0, 360),
    sats: gga === undefined ? null : num(gga.satellitesUsed, 0, 99),
    hdop,
  };
}
