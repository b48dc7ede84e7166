// The position inside a TSR1 report: its RMC and GGA sentences, decoded by protocol/nmea, turned into the
// payload of a `fix` event with its quality stated honestly (docs/gateway.md, "Fix quality").
//
//   $GPRMC,141935.00,A,5544.5902,N,00416.1286,W,0.4,87.0,170713,,,A*7F   time, status A/V, lat, lon, speed, course, date
//   $GPGGA,141935.00,5544.5902,N,00416.1286,W,1,09,0.9,41.0,M,52.0,M,,*47  time, lat, lon, quality, sats, HDOP, altitude
//
// - Position: the RMC's when its status is A, else the GGA's when its quality is > 0, else the RMC's
//   position with status V (the receiver's last known position, flagged `gpsStatus: 'invalid'`), else none.
//   A position the receiver did not measure (GGA quality 6-8, RMC mode E/M/S; for an RMC without the mode
//   field, NMEA 2.0-2.2, its GGA of the same instant saying quality 6-8) is kept but flagged invalid.
//   Latitude and longitude both 0 is no position (a receiver's placeholder before its first fix).
// - accuracyM: HDOP x 5 m. A civil GPS receiver's user equivalent range error is about 2.5 m (1 sigma), and
//   the 95 % horizontal radius is about 2 x UERE x HDOP; null when the GGA carries no HDOP, HDOP 0, or HDOP 99
//   or more (99.9 / 99.99: the "not known" of u-blox and others, which gpsd ignores too).
// - fixTime: the RMC's date and time; with no RMC date (no fix yet), or one more than an hour after the SMS
//   arrived (a fix is never from the future), the RMC's (else the GGA's) time of day on the day that puts it
//   closest before the moment the SMS arrived. A time 1 min to 1 h after the arrival is the gateway's clock
//   lagging GPS time: the arrival. No time at all: the time the SMS arrived.
import { NmeaDecoder } from '../../protocol/nmea/decoder.js';
import { MAX_LINE } from '../../protocol/nmea/reject.js';
import type { NmeaSentence } from '../../protocol/nmea/sentence.js';
import { isoTime } from '../../protocol/time/iso-time.js';

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

/** What a fix needs of one sentence (NaN when absent). */
type Read = {
  ok: boolean;
  positionValid: boolean;
  /** The sentence says its position was not measured (GGA quality 6-8, RMC mode E/M/S). */
  unmeasured: boolean;
  /** An RMC without the NMEA 2.3 mode field (NMEA 2.0-2.2): its status A cannot say "estimated". */
  noMode: boolean;
  latitude: number;
  longitude: number;
  timeOfDayMs: number;
  year: number;
  month: number;
  day: number;
  hdop: number;
  speedKnots: number;
  courseTrueDeg: number;
  satellitesUsed: number;
};

const blank = (): Read => ({ ok: false, positionValid: false, unmeasured: false, noMode: false, latitude: NaN, longitude: NaN, timeOfDayMs: NaN, year: NaN, month: NaN, day: NaN, hdop: NaN, speedKnots: NaN, courseTrueDeg: NaN, satellitesUsed: NaN });

/**
 * One report's two sentences through the zero-allocation decoder, made once: this runs for every report (up
 * to tens of thousands a second), and protocol/nmea's decodeSentence makes a decoder and a copy per call.
 * The same rule as decodeSentence: the text must be exactly one checked sentence (CR LF is added here; a
 * second line, a reject or anything else refuses it).
 */
class SentenceReader {
  private readonly decoder = new NmeaDecoder();
  private readonly bytes = new Uint8Array(MAX_LINE + 2);
  private target: Read = blank();
  private type = '';
  private count = 0;
  private rejected = false;
  readonly rmc = blank();
  readonly gga = blank();

  constructor() {
    this.decoder.onSentence = (s) => this.take(s);
    this.decoder.onReject = () => {
      this.rejected = true;
    };
  }

  /** Decodes `text` into `into` (ok false unless it is exactly one valid sentence of `type`). */
  read(text: string, type: 'RMC' | 'GGA', into: Read): Read {
    into.ok = false;
    if (text.length > MAX_LINE) return into;
    const bytes = this.bytes;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      bytes[i] = c < 256 ? c : 0; // non-Latin-1 characters become a control byte: rejected
    }
    bytes[text.length] = 13;
    bytes[text.length + 1] = 10;
    this.target = into;
    this.type = type;
    this.count = 0;
    this.rejected = false;
    this.decoder.push(bytes, 0, text.length + 2);
    if (this.rejected || this.count !== 1) into.ok = false;
    return into;
  }

  private take(s: NmeaSentence): void {
    this.count++;
    const r = this.target;
    r.ok = s.type === this.type;
    // A valid status is not always a measured fix: GGA quality 6 (estimated, dead reckoning), 7 (manual input)
    // and 8 (simulator), and the RMC modes E, M and S, carry a position the receiver did not measure. Such a
    // position is kept and shown, flagged invalid, never as a live fix (a receiver left in simulator mode
    // would otherwise place her wherever its script says).
    const unmeasured = s.fixQuality >= 6 || s.mode === 'E' || s.mode === 'M' || s.mode === 'S';
    r.positionValid = s.positionValid && !unmeasured;
    r.unmeasured = unmeasured;
    r.noMode = s.mode === '';
    r.latitude = s.latitude;
    r.longitude = s.longitude;
    r.timeOfDayMs = s.timeOfDayMs;
    r.year = s.year;
    r.month = s.month;
    r.day = s.day;
    r.hdop = s.hdop;
    r.speedKnots = s.speedKnots;
    r.courseTrueDeg = s.courseTrueDeg;
    r.satellitesUsed = s.satellitesUsed;
  }
}

const reader = new SentenceReader();

/**
 * A sentence that carries a place: latitude and longitude both 0 is what some receivers print before their
 * first fix (status A or not), never a handset's position (0 N 0 E is open sea off West Africa).
 */
const placed = (r: Read): boolean => Number.isFinite(r.latitude) && Number.isFinite(r.longitude) && !(r.latitude === 0 && r.longitude === 0);

const num = (v: number, min: number, max: number): number | null => (Number.isFinite(v) && v >= min && v <= max ? v : null);

/** How far after the SMS's arrival a fix time may lie (the gateway's and the GPS's clocks differ a little). */
const FUTURE_SLACK_MS = 60_000;

/**
 * A fix time up to this far after the SMS's arrival is the gateway's clock lagging GPS time (no NTP, a drifting
 * RTC), not a fix from another day: it is dated at the arrival. Taken for a wrong date instead, a fresh fix
 * went on the day before, and a live alarm's position showed as a day old once the gateway's clock was more
 * than about a minute slow.
 */
const CLOCK_LAG_MS = 3_600_000;

/**
 * GPS week-number rollover: the broadcast week counts in 10 bits, so a receiver whose firmware predates the
 * last rollover (April 2019) dates its fixes exactly 1,024 weeks (19.6 years) early, with the right time of
 * day: a fix of today would show as 19 years old, and a call handler would distrust a good position.
 */
const ROLLOVER_MS = 1024 * 7 * DAY_MS;

function timeOf(rmc: Read | undefined, gga: Read | undefined, receivedAt: number): number {
  // Up to CLOCK_LAG_MS ahead of the arrival: the gateway's clock lags GPS time; the fix is dated at the arrival.
  const lagging = (t: number): boolean => t > receivedAt + FUTURE_SLACK_MS && t <= receivedAt + CLOCK_LAG_MS;
  if (rmc !== undefined && Number.isFinite(rmc.year) && Number.isFinite(rmc.timeOfDayMs)) {
    const t = Date.UTC(rmc.year, rmc.month - 1, rmc.day) + rmc.timeOfDayMs;
    if (lagging(t)) return receivedAt;
    // A fix is never from the future: an RMC date further after the SMS arrived is wrong (a receiver's
    // week-number or almanac fault) and would make a stale fix look fresh; its time of day is kept, on the day below.
    if (t <= receivedAt + FUTURE_SLACK_MS) {
      // One or two rollovers early, and within a day of the arrival once corrected: the rollover fault.
      for (let k = 1; k <= 2; k++) {
        const c = t + k * ROLLOVER_MS;
        if (c <= receivedAt + FUTURE_SLACK_MS && receivedAt - c <= DAY_MS) return c;
      }
      return t;
    }
  }
  const tod = Number.isFinite(rmc?.timeOfDayMs) ? (rmc as Read).timeOfDayMs : gga?.timeOfDayMs;
  if (tod === undefined || !Number.isFinite(tod)) return receivedAt;
  const midnight = Math.floor(receivedAt / DAY_MS) * DAY_MS;
  const t = midnight + tod;
  if (lagging(t)) return receivedAt;
  // A fix is never from the future: just after midnight, a time of day from before midnight is yesterday's.
  return t > receivedAt + FUTURE_SLACK_MS ? t - DAY_MS : t;
}

/** The fix in a report's RMC and GGA, or null when neither carries a position. */
export function gpsFix(rmcText: string, ggaText: string, receivedAt: number): GpsFix | null {
  const r = reader.read(rmcText, 'RMC', reader.rmc);
  const g = reader.read(ggaText, 'GGA', reader.gga);
  const rmc = r.ok ? r : undefined;
  const gga = g.ok ? g : undefined;
  let source: Read | undefined;
  let valid = false;
  // An NMEA 2.0-2.2 receiver (no mode field) keeps RMC status A while dead reckoning or simulating; only its GGA
  // of the same instant says so (quality 6-8): then the RMC's position is not a measured fix either.
  const rmcUnmeasured = rmc?.noMode === true && gga?.unmeasured === true && !(rmc.timeOfDayMs !== gga.timeOfDayMs && Number.isFinite(rmc.timeOfDayMs) && Number.isFinite(gga.timeOfDayMs));
  if (rmc?.positionValid === true && !rmcUnmeasured && placed(rmc)) [source, valid] = [rmc, true];
  else if (gga?.positionValid === true && placed(gga)) [source, valid] = [gga, true];
  else if (rmc !== undefined && placed(rmc)) source = rmc;
  if (source === undefined) return null;
  const hdop = gga === undefined ? null : num(gga.hdop, 0, 100);
  const fixMs = timeOf(rmc, gga, receivedAt);
  return {
    lat: source.latitude,
    lon: source.longitude,
    // HDOP 0 is no geometry at all (receivers write 0.0 for "not known"): no accuracy, never a 0 m circle. 99.9
    // and 99.99 are the other "not known" (u-blox without a fix, BT-451): no accuracy, never a made-up 500 m.
    accuracyM: hdop === null || hdop === 0 || hdop >= 99 ? null : Math.min(1_000_000, Math.round(hdop * UERE_95_M * 10) / 10),
    fixTime: isoTime(fixMs),
    gpsStatus: valid ? 'valid' : 'invalid',
    speedKnots: rmc === undefined ? null : num(rmc.speedKnots, 0, 1000),
    courseDeg: rmc === undefined ? null : num(rmc.courseTrueDeg, 0, 360),
    sats: gga === undefined ? null : num(gga.satellitesUsed, 0, 99),
    hdop,
  };
}
