// The one record the decoder fills for every sentence and hands to `onSentence`. It is made once per decoder
// and reused: copy what you keep (see `copySentence`). Every number is NaN when its field is empty or the
// sentence type does not carry it, never 0; one-character fields are '' (ABSENT_CHAR) when absent.
import { ABSENT_CHAR } from './codes.js';

/** The sentence types the decoder understands. */
export type NmeaType = 'GGA' | 'RMC' | 'GLL' | 'VTG' | 'GSA' | 'GSV' | 'ZDA' | 'GNS';

/** Most PRNs a GSA can list (12 in NMEA 0183; some receivers send 24). */
export const GSA_MAX_PRNS = 32;
/** Satellites per GSV sentence. */
export const GSV_MAX_SATS = 4;

/** A decoded sentence. Numbers are NaN when absent; units are in the names. */
export class NmeaSentence {
  /** Sentence type, interned ('GGA', 'RMC', ...). */
  type: NmeaType = 'GGA';
  /** Talker, interned: 'GP', 'GN', 'GL', 'GA', 'GB', 'BD', 'GQ', 'GI', 'PQ', ... or 'unknown' (see talkerCode). */
  talker = 'GP';
  /** The two raw talker bytes, (first << 8) | second: distinguishes talkers that are not two letters. */
  talkerCode = 0;

  /** Latitude in signed decimal degrees (north positive). GGA, RMC, GLL, GNS. */
  latitude = NaN;
  /** Longitude in signed decimal degrees (east positive). GGA, RMC, GLL, GNS. */
  longitude = NaN;
  /** UTC time of day in milliseconds since midnight (fractions kept). GGA, RMC, GLL, GNS, ZDA. */
  timeOfDayMs = NaN;
  /** UTC day of month 1-31. RMC, ZDA. */
  day = NaN;
  /** UTC month 1-12. RMC, ZDA. */
  month = NaN;
  /** UTC year, four digits (RMC's two digits: 80-99 -> 19xx, 00-79 -> 20xx). RMC, ZDA. */
  year = NaN;
  /**
   * True when the sentence itself says its position is a fix: GGA quality > 0, RMC/GLL status 'A' and mode
   * not 'N', GNS a mode letter other than 'N'. False for every other sentence type.
   */
  positionValid = false;

  /** GGA fix quality: 0 invalid, 1 GPS, 2 DGPS, 3 PPS, 4 RTK, 5 float RTK, 6 estimated, 7 manual, 8 simulation. */
  fixQuality = NaN;
  /** GGA/GNS satellites used in the fix. */
  satellitesUsed = NaN;
  /** Horizontal dilution of precision. GGA, GNS, GSA. */
  hdop = NaN;
  /** GGA/GNS antenna altitude above mean sea level, metres. */
  altitudeM = NaN;
  /** GGA/GNS geoid separation (geoid above the WGS-84 ellipsoid), metres. */
  geoidSeparationM = NaN;
  /** GGA/GNS age of the differential correction, seconds. */
  dgpsAgeS = NaN;
  /** GGA/GNS differential reference station id. */
  dgpsStationId = NaN;

  /** RMC/GLL status: 'A' valid, 'V' void. */
  status: string = ABSENT_CHAR;
  /** Speed over ground, knots. RMC, VTG. */
  speedKnots = NaN;
  /** VTG speed over ground, km/h. */
  speedKmh = NaN;
  /** Course over ground relative to true north, degrees. RMC, VTG. */
  courseTrueDeg = NaN;
  /** VTG course over ground relative to magnetic north, degrees. */
  courseMagneticDeg = NaN;
  /** RMC magnetic variation, degrees, east positive. */
  magneticVariationDeg = NaN;
  /** NMEA 2.3+ mode indicator (RMC, GLL, VTG; GNS: see gns.ts): A autonomous, D differential, E estimated, N not valid, F, R, M, S, P. */
  mode: string = ABSENT_CHAR;
  /** NMEA 4.1+ RMC/GNS navigational status: S safe, C caution, U unsafe, V not valid. */
  navigationalStatus: string = ABSENT_CHAR;

  /** GSA selection: 'M' manual, 'A' automatic. */
  selectionMode: string = ABSENT_CHAR;
  /** GSA fix type: 1 none, 2 2D, 3 3D. */
  fixType = NaN;
  /** GSA PRNs used in the fix, the first `usedPrnCount` entries (empty slots skipped). */
  readonly usedPrns = new Int32Array(GSA_MAX_PRNS);
  /** Number of valid entries in `usedPrns`. */
  usedPrnCount = 0;
  /** GSA position dilution of precision. */
  pdop = NaN;
  /** GSA vertical dilution of precision. */
  vdop = NaN;
  /** NMEA 4.10+ GNSS system id: 1 GPS, 2 GLONASS, 3 Galileo, 4 BeiDou, 5 QZSS, 6 NavIC. GSA, GSV (PQGSV). */
  systemId = NaN;

  /** GSV number of sentences in this group. */
  gsvTotal = NaN;
  /** GSV number of this sentence in the group, from 1. */
  gsvIndex = NaN;
  /** GSV satellites in view. */
  satellitesInView = NaN;
  /** GSV satellite blocks in this sentence (0-4), i.e. valid entries of the four arrays below. */
  svCount = 0;
  /** GSV satellite PRN per block (NaN when empty). */
  readonly svPrn = new Float64Array(GSV_MAX_SATS);
  /** GSV elevation per block, degrees. */
  readonly svElevationDeg = new Float64Array(GSV_MAX_SATS);
  /** GSV azimuth per block, degrees true. */
  readonly svAzimuthDeg = new Float64Array(GSV_MAX_SATS);
  /** GSV signal to noise per block, dB-Hz (NaN when not tracking). */
  readonly svSnrDb = new Float64Array(GSV_MAX_SATS);
  /** NMEA 4.10+ GSV signal id (e.g. 1 = GPS L1 C/A). */
  signalId = NaN;

  /** ZDA local zone hours (-13..13). */
  localZoneHours = NaN;
  /** ZDA local zone minutes. */
  localZoneMinutes = NaN;

  /** Resets every field to absent; called by the decoder before each sentence. */
  clear(): void {
    this.latitude = NaN;
    this.longitude = NaN;
    this.timeOfDayMs = NaN;
    this.day = NaN;
    this.month = NaN;
    this.year = NaN;
    this.positionValid = false;
    this.fixQuality = NaN;
    this.satellitesUsed = NaN;
    this.hdop = NaN;
    this.altitudeM = NaN;
    this.geoidSeparationM = NaN;
    this.dgpsAgeS = NaN;
    this.dgpsStationId = NaN;
    this.status = ABSENT_CHAR;
    this.speedKnots = NaN;
    this.speedKmh = NaN;
    this.courseTrueDeg = NaN;
    this.courseMagneticDeg = NaN;
    this.magneticVariationDeg = NaN;
    this.mode = ABSENT_CHAR;
    this.navigationalStatus = ABSENT_CHAR;
    this.selectionMode = ABSENT_CHAR;
    this.fixType = NaN;
    this.usedPrnCount = 0;
    this.pdop = NaN;
    this.vdop = NaN;
    this.systemId = NaN;
    this.gsvTotal = NaN;
    this.gsvIndex = NaN;
    this.satellitesInView = NaN;
    this.svCount = 0;
    this.signalId = NaN;
    this.localZoneHours = NaN;
    this.localZoneMinutes = NaN;
  }
}

/** A plain, independent copy of a sentence (arrays trimmed to their counts), for code off the hot path. */
export type NmeaSentenceData = Omit<
  NmeaSentence,
  'clear' | 'usedPrns' | 'svPrn' | 'svElevationDeg' | 'svAzimuthDeg' | 'svSnrDb'
> & {
  usedPrns: number[];
  svPrn: number[];
  svElevationDeg: number[];
  svAzimuthDeg: number[];
  svSnrDb: number[];
};

/** Copies the reused record into a plain object (allocates: not for the hot path). */
export function copySentence(s: NmeaSentence): NmeaSentenceData {
  return {
    type: s.type,
    talker: s.talker,
    talkerCode: s.talkerCode,
    latitude: s.latitude,
    longitude: s.longitude,
    timeOfDayMs: s.timeOfDayMs,
    day: s.day,
    month: s.month,
    year: s.year,
    positionValid: s.positionValid,
    fixQuality: s.fixQuality,
    satellitesUsed: s.satellitesUsed,
    hdop: s.hdop,
    altitudeM: s.altitudeM,
    geoidSeparationM: s.geoidSeparationM,
    dgpsAgeS: s.dgpsAgeS,
    dgpsStationId: s.dgpsStationId,
    status: s.status,
    speedKnots: s.speedKnots,
    speedKmh: s.speedKmh,
    courseTrueDeg: s.courseTrueDeg,
    courseMagneticDeg: s.courseMagneticDeg,
    magneticVariationDeg: s.magneticVariationDeg,
    mode: s.mode,
    navigationalStatus: s.navigationalStatus,
    selectionMode: s.selectionMode,
    fixType: s.fixType,
    usedPrns: Array.from(s.usedPrns.subarray(0, s.usedPrnCount)),
    usedPrnCount: s.usedPrnCount,
    pdop: s.pdop,
    vdop: s.vdop,
    systemId: s.systemId,
    gsvTotal: s.gsvTotal,
    gsvIndex: s.gsvIndex,
    satellitesInView: s.satellitesInView,
    svCount: s.svCount,
    svPrn: Array.from(s.svPrn.subarray(0, s.svCount)),
    svElevationDeg: Array.from(s.svElevationDeg.subarray(0, s.svCount)),
    svAzimuthDeg: Array.from(s.svAzimuthDeg.subarray(0, s.svCount)),
    svSnrDb: Array.from(s.svSnrDb.subarray(0, s.svCount)),
    signalId: s.signalId,
    localZoneHours: s.localZoneHours,
    localZoneMinutes: s.localZoneMinutes,
  };
}
