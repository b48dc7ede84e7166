// The encoder: a plain fix object -> NMEA 0183 sentences, each "$...*hh\r\n" with a correct checksum, in the
// field layout gpsd expects (RMC in the NMEA 2.3 form with the mode field, 12 data fields; GGA 14). It feeds the
// handset simulator's GPS, off the hot path, so it builds strings freely.
// Positions are written as ddmm.mmmmm / dddmm.mmmmm (1e-5 minute, about 2 cm); times as hhmmss.ss, so a
// time that is a multiple of 10 ms round-trips exactly.

/** What a GPS knows at one instant. Optional numbers left out (or NaN) become empty fields. */
export interface NmeaFix {
  /** UTC instant of the fix, milliseconds since the Unix epoch. */
  timeMs: number;
  /** Signed decimal degrees; NaN when there is no position. */
  latitude: number;
  /** Signed decimal degrees; NaN when there is no position. */
  longitude: number;
  /** Whether the position is a fix (RMC/GLL status A, GGA quality >= 1). Default: latitude and longitude finite. */
  valid?: boolean;
  /** GGA quality when valid (default 1, GPS fix). */
  fixQuality?: number;
  /** NMEA 2.3 mode letter when valid (default 'A', autonomous; 'D' differential, 'E' estimated, 'S' simulator). */
  mode?: 'A' | 'D' | 'E' | 'F' | 'R' | 'M' | 'S' | 'P';
  /** Satellites used. Give it for a valid fix: gpsd takes a GGA with an empty count as no fix. */
  satellitesUsed?: number;
  hdop?: number;
  pdop?: number;
  vdop?: number;
  /** Above mean sea level, metres. */
  altitudeM?: number;
  /** Geoid above the WGS-84 ellipsoid, metres. */
  geoidSeparationM?: number;
  speedKnots?: number;
  courseTrueDeg?: number;
  /** East positive. */
  magneticVariationDeg?: number;
  /** GSA: PRNs used in the fix (at most 12 are written). */
  usedPrns?: readonly number[];
  /** Talker id, default 'GP'. */
  talker?: string;
}

/** One satellite of a GSV group. */
export interface NmeaSatellite {
  prn: number;
  elevationDeg?: number;
  azimuthDeg?: number;
  snrDb?: number;
}

const KNOTS_TO_KMH = 1.852;

/** The two hex digits of the XOR of every character of `body` (the text between `$` and `*`). */
export function nmeaChecksum(body: string): string {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return x.toString(16).toUpperCase().padStart(2, '0');
}

/** Wraps data fields into a sentence: `$` + body + `*hh` + CRLF. */
export function nmeaSentence(body: string): string {
  return `$${body}*${nmeaChecksum(body)}\r\n`;
}

const has = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
const fixed = (v: number | undefined, digits: number): string => (has(v) ? v.toFixed(digits) : '');
const pad = (v: number, width: number): string => String(v).padStart(width, '0');
const isValid = (fix: NmeaFix): boolean =>
  fix.valid ?? (Number.isFinite(fix.latitude) && Number.isFinite(fix.longitude));

/** Rounds to 10 ms so that the time and the date written never disagree. */
const roundedTime = (fix: NmeaFix): Date => new Date(Math.round(fix.timeMs / 10) * 10);

function hhmmss(d: Date): string {
  return `${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}.${pad(Math.floor(d.getUTCMilliseconds() / 10), 2)}`;
}

/** [value, hemisphere] in NMEA (d)ddmm.mmmmm form, or two empty fields. */
function angle(deg: number, degWidth: number, pos: string, neg: string): [string, string] {
  if (!Number.isFinite(deg)) return ['', ''];
  const scaled = Math.round(Math.abs(deg) * 60 * 1e5); // 1e-5 minutes
  const d = Math.floor(scaled / 6e6);
  const m = scaled - d * 6e6;
  const mm = Math.floor(m / 1e5);
  const frac = m - mm * 1e5;
  return [`${pad(d, degWidth)}${pad(mm, 2)}.${pad(frac, 5)}`, deg < 0 ? neg : pos];
}

const lat = (fix: NmeaFix): [string, string] => angle(fix.latitude, 2, 'N', 'S');
const lon = (fix: NmeaFix): [string, string] => angle(fix.longitude, 3, 'E', 'W');
const talker = (fix: NmeaFix): string => fix.talker ?? 'GP';
const mode = (fix: NmeaFix): string => (isValid(fix) ? (fix.mode ?? 'A') : 'N');

/** GGA: time, position, quality, satellites, HDOP, altitude, geoid separation (14 data fields). */
export function encodeGga(fix: NmeaFix): string {
  const valid = isValid(fix);
  const [la, ns] = lat(fix);
  const [lo, ew] = lon(fix);
  const quality = valid ? (fix.fixQuality ?? 1) : 0;
  const sats = has(fix.satellitesUsed) ? pad(fix.satellitesUsed, 2) : '';
  const f = [
    `${talker(fix)}GGA`, hhmmss(roundedTime(fix)), la, ns, lo, ew, String(quality), sats, fixed(fix.hdop, 2),
    fixed(fix.altitudeM, 1), 'M', fixed(fix.geoidSeparationM, 1), 'M', '', '',
  ];
  return nmeaSentence(f.join(','));
}

/** RMC, NMEA 2.3 form: time, status, position, speed, course, date, magnetic variation, mode (12 data fields). */
export function encodeRmc(fix: NmeaFix): string {
  const d = roundedTime(fix);
  const [la, ns] = lat(fix);
  const [lo, ew] = lon(fix);
  const date = `${pad(d.getUTCDate(), 2)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCFullYear() % 100, 2)}`;
  const mv = fix.magneticVariationDeg;
  const f = [
    `${talker(fix)}RMC`, hhmmss(d), isValid(fix) ? 'A' : 'V', la, ns, lo, ew, fixed(fix.speedKnots, 3),
    fixed(fix.courseTrueDeg, 2), date, has(mv) ? Math.abs(mv).toFixed(1) : '', has(mv) ? (mv < 0 ? 'W' : 'E') : '',
    mode(fix),
  ];
  return nmeaSentence(f.join(','));
}

/** GLL: position, time, status, mode (7 data fields). */
export function encodeGll(fix: NmeaFix): string {
  const [la, ns] = lat(fix);
  const [lo, ew] = lon(fix);
  const f = [`${talker(fix)}GLL`, la, ns, lo, ew, hhmmss(roundedTime(fix)), isValid(fix) ? 'A' : 'V', mode(fix)];
  return nmeaSentence(f.join(','));
}

/** VTG: course true, course magnetic (empty), speed in knots and km/h, mode (9 data fields). */
export function encodeVtg(fix: NmeaFix): string {
  const kmh = has(fix.speedKnots) ? fix.speedKnots * KNOTS_TO_KMH : undefined;
  const f = [
    `${talker(fix)}VTG`, fixed(fix.courseTrueDeg, 2), 'T', '', 'M', fixed(fix.speedKnots, 3), 'N', fixed(kmh, 3), 'K',
    mode(fix),
  ];
  return nmeaSentence(f.join(','));
}

/** GSA: automatic selection, fix type (3 when an altitude is known, else 2; 1 without fix), PRNs, DOPs. */
export function encodeGsa(fix: NmeaFix): string {
  const type = !isValid(fix) ? 1 : has(fix.altitudeM) ? 3 : 2;
  const prns = (fix.usedPrns ?? []).slice(0, 12).map((p) => pad(p, 2));
  while (prns.length < 12) prns.push('');
  const f = [
    `${talker(fix)}GSA`, 'A', String(type), ...prns, fixed(fix.pdop, 2), fixed(fix.hdop, 2), fixed(fix.vdop, 2),
  ];
  return nmeaSentence(f.join(','));
}

/** ZDA: time, day, month, four-digit year, local zone 00,00 (6 data fields). */
export function encodeZda(fix: NmeaFix): string {
  const d = roundedTime(fix);
  const f = [
    `${talker(fix)}ZDA`, hhmmss(d), pad(d.getUTCDate(), 2), pad(d.getUTCMonth() + 1, 2), String(d.getUTCFullYear()),
    '00', '00',
  ];
  return nmeaSentence(f.join(','));
}

/** GSV: the satellites in view, four per sentence; returns the whole group (at least one sentence). */
export function encodeGsv(satellites: readonly NmeaSatellite[], talkerId = 'GP'): string[] {
  const total = Math.max(1, Math.ceil(satellites.length / 4));
  const out: string[] = [];
  for (let k = 0; k < total; k++) {
    const f = [`${talkerId}GSV`, String(total), String(k + 1), pad(satellites.length, 2)];
    for (const s of satellites.slice(k * 4, k * 4 + 4)) {
      f.push(pad(s.prn, 2), has(s.elevationDeg) ? pad(Math.round(s.elevationDeg), 2) : '');
      f.push(has(s.azimuthDeg) ? pad(Math.round(s.azimuthDeg), 3) : '', has(s.snrDb) ? pad(Math.round(s.snrDb), 2) : '');
    }
    out.push(nmeaSentence(f.join(',')));
  }
  return out;
}
