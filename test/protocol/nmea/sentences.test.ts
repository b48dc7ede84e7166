// One real sentence per type and NMEA version variant, with the values a reader of the record would see.
import { describe, expect, it } from 'vitest';
import { decodeSentence, UNKNOWN_TALKER, type NmeaSentenceData } from '../../../protocol/nmea/index.js';
import { SENTENCES } from '../../../protocol/nmea/sentences/table.js';

function decode(text: string): NmeaSentenceData {
  const r = decodeSentence(text);
  if (!r.ok) throw new Error(`refused (${r.reason}): ${text}`);
  return r.sentence;
}

describe('sentence decoders', () => {
  it('the table holds exactly the types tested below (a new row needs its cases in decodeKind and clearKind, and a test here)', () => {
    // decodeKind's last case takes every kind it does not name: a row added without its own case would be
    // decoded as the last type. The type-specific checks below catch that for every row they cover.
    expect(SENTENCES.map((r) => r.type).sort()).toEqual(['GGA', 'GLL', 'GNS', 'GSA', 'GSV', 'RMC', 'VTG', 'ZDA']);
  });

  it('GGA (neo-m8n)', () => {
    const s = decode('$GNGGA,171926.00,4404.14063,N,12118.85478,W,1,12,0.91,1147.2,M,-21.3,M,,*44');
    expect(s).toMatchObject({ type: 'GGA', talker: 'GN', fixQuality: 1, satellitesUsed: 12, hdop: 0.91, altitudeM: 1147.2 });
    expect(s.geoidSeparationM).toBe(-21.3);
    expect(s.latitude).toBeCloseTo(44 + 4.14063 / 60, 12);
    expect(s.longitude).toBeCloseTo(-(121 + 18.85478 / 60), 12);
    expect(s.timeOfDayMs).toBe(((17 * 60 + 19) * 60 + 26) * 1000);
    expect(s.dgpsAgeS).toBeNaN();
    expect(s.positionValid).toBe(true);
  });

  it('GGA without a fix: empty fields are NaN, never 0', () => {
    const s = decode('$GPGGA,,,,,,0,,,,,,,,*66');
    expect([s.latitude, s.longitude, s.timeOfDayMs, s.satellitesUsed, s.hdop, s.altitudeM]).toEqual([NaN, NaN, NaN, NaN, NaN, NaN]);
    expect(s.fixQuality).toBe(0);
    expect(s.positionValid).toBe(false);
  });

  it('GGA with DGPS age and station (nmea-fuzzy-cases)', () => {
    const s = decode('$GPGGA,132820.60,4134.49821229,N,09345.03351845,W,2,09,1.0,278.020,M,-31.442,M,7.6,0133*7E');
    expect(s).toMatchObject({ fixQuality: 2, dgpsAgeS: 7.6, dgpsStationId: 133, timeOfDayMs: 48500600 });
  });

  it('RMC, NMEA 2.3 with mode; date and magnetic variation', () => {
    const s = decode('$GPRMC,132820.60,A,4134.49821229,N,09345.03351845,W,3.252,92.308,180320,11.5985,E,D*1A');
    expect(s).toMatchObject({ type: 'RMC', status: 'A', mode: 'D', navigationalStatus: '', speedKnots: 3.252, courseTrueDeg: 92.308 });
    expect([s.day, s.month, s.year]).toEqual([18, 3, 2020]);
    expect(s.magneticVariationDeg).toBe(11.5985);
  });

  it('RMC, NMEA 4.1 with navigational status; west variation is negative', () => {
    const s = decode('$GPRMC,205150.00,V,,,,,,,,,,,V*4a');
    expect(s).toMatchObject({ status: 'V', mode: '', navigationalStatus: 'V', positionValid: false });
    expect(decode('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A').magneticVariationDeg).toBe(-3.1);
  });

  it('RMC with mode N is not a fix even with status A', () => {
    const s = decode('$GPRMC,000425.00,A,0000.0000,N,00000.0000,E,,,220899,,,N*5A');
    expect(s.positionValid).toBe(false);
    expect(s.year).toBe(1999);
  });

  it('GLL, NMEA 2.0 (no mode) and 2.3', () => {
    const old = decode('$GPGLL,4527.458,S,16709.165,E,225309,A*3E');
    expect(old.latitude).toBeCloseTo(-(45 + 27.458 / 60), 12);
    expect(old).toMatchObject({ type: 'GLL', status: 'A', mode: '', positionValid: true });
    expect(decode('$GNGLL,4404.14066,N,12118.85481,W,171925.00,A,A*66').mode).toBe('A');
  });

  it('VTG, new form and the pre-2.0 form without unit letters', () => {
    expect(decode('$GNVTG,,T,,M,0.117,N,0.216,K,A*3F')).toMatchObject({ type: 'VTG', courseTrueDeg: NaN, speedKnots: 0.117, speedKmh: 0.216, mode: 'A' });
    expect(decode('$GPVTG,054.7,034.4,005.5,010.2*54')).toMatchObject({ courseTrueDeg: 54.7, courseMagneticDeg: 34.4, speedKnots: 5.5, speedKmh: 10.2 });
  });

  it('GSA, classic and NMEA 4.10 with system id', () => {
    const s = decode('$GNGSA,A,3,01,11,31,14,22,32,04,25,03,,,,1.56,0.91,1.27*15');
    expect(s).toMatchObject({ type: 'GSA', selectionMode: 'A', fixType: 3, pdop: 1.56, hdop: 0.91, vdop: 1.27, systemId: NaN });
    expect(s.usedPrns).toEqual([1, 11, 31, 14, 22, 32, 4, 25, 3]);
    expect(decode('$GNGSA,A,3,67,83,76,82,68,,,,,,,,1.56,0.91,1.27,2*03')).toMatchObject({ systemId: 2, usedPrnCount: 5 });
  });

  it('GSA with 24 PRN slots (saab-r4): DOPs are the last three fields', () => {
    const s = decode('$GPGSA,A,3,23,13,07,25,,,,,,,,,,,,,,,,,,,,,09.1,07.2,05.6*0F');
    expect(s).toMatchObject({ pdop: 9.1, hdop: 7.2, vdop: 5.6 });
    expect(s.usedPrns).toEqual([23, 13, 7, 25]);
  });

  it('GSV, with an empty SNR and with a NMEA 4.11 hex signal id', () => {
    const s = decode('$GLGSV,3,3,10,83,27,309,29,84,01,353,*63');
    expect(s).toMatchObject({ type: 'GSV', talker: 'GL', gsvTotal: 3, gsvIndex: 3, satellitesInView: 10, svCount: 2, signalId: NaN });
    expect(s.svPrn).toEqual([83, 84]);
    expect(s.svSnrDb).toEqual([29, NaN]);
    expect(decode('$GBGSV,1,1,01,30,08,254,10,B*3D')).toMatchObject({ talker: 'GB', signalId: 11, svCount: 1 });
    expect(decode('$GLGSV,3,3,11,86,68,359,45,87,30,276,45,94,68,359,,0*45').signalId).toBe(0);
  });

  it('GSV with a satellite just below the horizon (quectel-l76k-dual: elevation -3, as gpsd reports it)', () => {
    const s = decode('$GPGSV,7,5,25,66,26,284,36,86,17,174,33,77,-3,293,23,76,39,307,24*67');
    expect(s).toMatchObject({ svCount: 4, satellitesInView: 25 });
    expect(s.svPrn).toEqual([66, 86, 77, 76]);
    expect(s.svElevationDeg).toEqual([26, 17, -3, 39]);
    expect(s.svAzimuthDeg).toEqual([284, 174, 293, 307]);
  });

  it('ZDA', () => {
    const s = decode('$GNZDA,213712.000,12,02,2026,,*4B');
    expect(s).toMatchObject({ type: 'ZDA', day: 12, month: 2, year: 2026, localZoneHours: NaN, timeOfDayMs: 77832000 });
  });

  it('GNS, multi-constellation mode', () => {
    const s = decode('$GNGNS,213712.000,4111.59903,N,11156.54809,W,AANN,13,0.93,01482.5,-016.5,,*52');
    expect(s).toMatchObject({ type: 'GNS', mode: 'A', satellitesUsed: 13, hdop: 0.93, altitudeM: 1482.5, geoidSeparationM: -16.5, positionValid: true });
  });

  it('every talker: BeiDou BD, Quectel PQ, and a talker that is not two letters', () => {
    expect(decode('$BDGSA,A,3,02,03,04,,,,,,,,,,2.1,1.1,1.8,1.2*2D')).toMatchObject({ talker: 'BD', systemId: NaN });
    expect(decode('$PQGSV,2,1,08,02,20,116,,03,,,,05,34,137,,07,06,045,,0,4*52')).toMatchObject({ talker: 'PQ', signalId: 0, systemId: 4 });
    const odd = decode('$G1GLL,4527.458,S,16709.165,E,225309,A*5F');
    expect(odd.talker).toBe(UNKNOWN_TALKER);
    expect(odd.talkerCode).toBe(('G'.charCodeAt(0) << 8) | '1'.charCodeAt(0));
  });
});
