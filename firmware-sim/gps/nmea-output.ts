// The receiver's sentence set per epoch, through protocol/nmea's encoder: RMC, GGA, GSA, then the GSV group,
// the order a u-blox receiver uses (gpsd takes RMC as the start of a cycle). Satellites in view are a fixed,
// plausible constellation (PRN, elevation, azimuth); the first `satellites` of them are the ones used.

import { encodeGga, encodeGsa, encodeGsv, encodeRmc, type NmeaFix, type NmeaSatellite } from '../../protocol/nmea/index.js';
import type { EpochEncoder, GpsEpoch } from './epoch.js';

const MPS_TO_KNOTS = 3600 / 1852;

const SKY: readonly NmeaSatellite[] = [
  { prn: 2, elevationDeg: 62, azimuthDeg: 48, snrDb: 44 },
  { prn: 5, elevationDeg: 41, azimuthDeg: 287, snrDb: 41 },
  { prn: 7, elevationDeg: 55, azimuthDeg: 131, snrDb: 43 },
  { prn: 9, elevationDeg: 23, azimuthDeg: 198, snrDb: 36 },
  { prn: 13, elevationDeg: 34, azimuthDeg: 75, snrDb: 39 },
  { prn: 15, elevationDeg: 71, azimuthDeg: 305, snrDb: 45 },
  { prn: 18, elevationDeg: 17, azimuthDeg: 240, snrDb: 33 },
  { prn: 20, elevationDeg: 48, azimuthDeg: 12, snrDb: 42 },
  { prn: 24, elevationDeg: 12, azimuthDeg: 160, snrDb: 30 },
  { prn: 26, elevationDeg: 29, azimuthDeg: 345, snrDb: 37 },
  { prn: 29, elevationDeg: 38, azimuthDeg: 101, snrDb: 40 },
  { prn: 30, elevationDeg: 9, azimuthDeg: 221, snrDb: 28 },
];

/** The protocol/nmea fix object of one epoch. */
export function epochToNmeaFix(epoch: GpsEpoch): NmeaFix {
  if (!epoch.fix) return { timeMs: epoch.timeMs, latitude: NaN, longitude: NaN, valid: false, satellitesUsed: epoch.satellites };
  return {
    timeMs: epoch.timeMs,
    latitude: epoch.lat,
    longitude: epoch.lon,
    valid: true,
    fixQuality: 1,
    mode: 'A',
    satellitesUsed: epoch.satellites,
    hdop: epoch.hdop,
    pdop: Math.round(epoch.hdop * 1.6 * 100) / 100,
    vdop: Math.round(epoch.hdop * 1.3 * 100) / 100,
    altitudeM: epoch.altitudeM,
    geoidSeparationM: 47,
    speedKnots: epoch.speedMps * MPS_TO_KNOTS,
    courseTrueDeg: epoch.courseDeg,
    usedPrns: SKY.slice(0, epoch.satellites).map((s) => s.prn),
  };
}

/** RMC, GGA, GSA and GSV for one epoch (the default encoder of SimGps). */
export const nmeaEpochEncoder: EpochEncoder = (epoch) => {
  const fix = epochToNmeaFix(epoch);
  // Without a fix (tunnel, cold start) the receiver still tracks a few weak satellites it cannot use.
  const inView = epoch.fix ? SKY : SKY.slice(0, 3).map((s) => ({ prn: s.prn, elevationDeg: s.elevationDeg, azimuthDeg: s.azimuthDeg }));
  return [encodeRmc(fix), encodeGga(fix), encodeGsa(fix), ...encodeGsv(inView)];
};

/** RMC (status V) and GGA (quality 0) at `timeMs`, for a report when the receiver never produced a reading. */
export function noFixReading(timeMs: number): { rmc: string; gga: string } {
  const fix = epochToNmeaFix({ timeMs: Math.floor(timeMs / 1000) * 1000, fix: false, lat: 0, lon: 0, altitudeM: 0, speedMps: 0, courseDeg: 0, satellites: 0, hdop: 0 });
  return { rmc: encodeRmc(fix).trimEnd(), gga: encodeGga(fix).trimEnd() };
}
