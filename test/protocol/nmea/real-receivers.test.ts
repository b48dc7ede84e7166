// Odd but real sentences from gpsd's regression captures that are not in ../shared/corpus (test/daemon/ of the
// gpsd repository, read for the review of 2026-11-24; only these lines are quoted, the captures are not kept).
// Each row: the sentence as the receiver (or gpsd's own NMEA output) wrote it, and what a reader of the record
// must see. gpsd's decoding of the same line is given where it differs from the naive reading.
import { describe, expect, it } from 'vitest';
import { decodeSentence, type NmeaSentenceData } from '../../../protocol/nmea/index.js';

function decode(text: string): NmeaSentenceData {
  const r = decodeSentence(text);
  if (!r.ok) throw new Error(`refused (${r.reason}): ${text}`);
  return r.sentence;
}

type Row = { from: string; line: string; expect: Partial<NmeaSentenceData> };

// Magnetic variation: the E/W letter gives the direction. gpsd's pseudo-NMEA (the RMC it writes for a binary
// receiver) keeps the minus sign of a west variation; read as -(-15.9) it came out as 15.9 degrees east.
const VARIATION: Row[] = [
  { from: 'u-blox-m8t-time (gpsd pseudo-NMEA, 11 fields)', line: '$GPRMC,180430.00,A,4445.9264300,N,6848.3999060,W,0.0000,,230221,-15.9,W*6D', expect: { magneticVariationDeg: -15.9 } },
  { from: 'skytraq-A8 (gpsd pseudo-NMEA)', line: '$GPRMC,195349.00,A,3854.4411680,N,7702.8549320,W,,,180423,-10.8,W*74', expect: { magneticVariationDeg: -10.8 } },
  { from: 'magellan315 ("01." with a trailing point)', line: '$GPRMC,120824.76,A,3908.8199,N,00023.0832,W,00.0,000.0,130305,01.,W*62', expect: { magneticVariationDeg: -1 } },
  { from: 'navisys-gr8013 (east)', line: '$GPRMC,155737.00,A,4624.2757360,N,11701.2438120,W,0.4918,67.538,280324,13.9,E*79', expect: { magneticVariationDeg: 13.9 } },
];

// Shapes the captures showed that must keep decoding (each was checked against gpsd's report for it).
const SHAPES: Row[] = [
  // gpsd pseudo-NMEA writes the longitude without its leading zero (4 digits before the point): 68 deg 48'.
  { from: 'u-blox-m8t-time', line: '$GPRMC,180430.00,A,4445.9264300,N,6848.3999060,W,0.0000,,230221,-15.9,W*6D', expect: { longitude: -68.8066651, positionValid: true, mode: '' } },
  // Status V with mode A (Haicom 305N before its first fix): no fix, position kept as the last known.
  { from: 'haicom-305N', line: '$GPRMC,095303.808,V,2712.6404,S,15303.1201,E,0.00,0.00,080407,,,A*65', expect: { status: 'V', mode: 'A', positionValid: false } },
  // Empty position with the hemisphere letters present (Navisys GR-701W cold start).
  { from: 'navisys-gr701w', line: '$GPRMC,,V,,S,,W,,,,,*35', expect: { status: 'V', latitude: NaN, longitude: NaN, positionValid: false } },
  // A fifteenth GGA field (SiRF/BeiDou: a VDOP after the station id), and an empty sixteenth-field form.
  { from: 'beidou (SiRF)', line: '$GNGGA,074155.799,3114.8770,N,12135.2463,E,1,05,1.3,156.9,M,8.3,M,,0000,4.9*77', expect: { fixQuality: 1, satellitesUsed: 5, hdop: 1.3, dgpsStationId: 0, positionValid: true } },
  { from: 'beidou (SiRF)', line: '$GNGGA,074150.799,,,,,0,00,,,M,0.0,M,,0000,*64', expect: { fixQuality: 0, positionValid: false } },
  // GNS with one mode letter per constellation: GPS A, GLONASS/Galileo/BeiDou N is a fix.
  { from: 'beidou (SiRF)', line: '$GNGNS,074155.799,3114.8770,N,12135.2463,E,ANNA,05,1.3,156.9,8.3,,0000*52', expect: { mode: 'A', positionValid: true } },
  { from: 'beidou (SiRF)', line: '$GNGNS,074150.799,,,,,NNNN,00,,,0.0,,0000*63', expect: { positionValid: false } },
  // A fourth DOP after the VDOP (SiRF): PDOP/HDOP/VDOP stay the first three, no system id.
  { from: 'beidou (SiRF)', line: '$GPGSA,A,3,25,32,,,,,,,,,,,5.1,1.3,4.9,3.3*3D', expect: { pdop: 5.1, hdop: 1.3, vdop: 4.9, systemId: NaN, usedPrnCount: 2 } },
  // Negative integer altitude, no point (a yacht's Zeus 9 plotter at sea level).
  { from: 'bundg_zeus_9', line: '$GPGGA,094736,5251.0094,N,00518.8172,E,1,12,0.60,-4,M,46.8,M,,*4B', expect: { altitudeM: -4, geoidSeparationM: 46.8 } },
  // ZDA with both local-zone fields empty.
  { from: 'gp-320fw-2019-03-28', line: '$GPZDA,164520.99,28,03,2019,,*61', expect: { timeOfDayMs: 60320990, day: 28, month: 3, year: 2019, localZoneHours: NaN } },
  // Three-digit PRNs (SBAS 136, Galileo 102 in Quectel's numbering) in GSV.
  { from: 'eXplorist210', line: '$GPGSV,3,3,10,14,09,319,,11,03,016,,136,27,157,,124,28,162,*71', expect: { svCount: 4 } },
  { from: 'quectelLC79D', line: '$GAGSV,2,2,04,102,,,40,103,,,29,1*7F', expect: { svCount: 2, signalId: 1 } },
];

describe('sentences from real receivers (gpsd captures outside our corpus)', () => {
  it.each(VARIATION)('magnetic variation takes its direction from the letter: $from', ({ line, expect: e }) => {
    expect(decode(line).magneticVariationDeg).toBeCloseTo(e.magneticVariationDeg as number, 12);
  });

  it.each(SHAPES)('$from: $line', ({ line, expect: e }) => {
    const s = decode(line);
    for (const [k, v] of Object.entries(e)) {
      const got = (s as unknown as Record<string, unknown>)[k];
      if (typeof v === 'number' && !Number.isNaN(v)) expect(got as number, k).toBeCloseTo(v, 7);
      else expect(got, k).toEqual(v);
    }
  });
});
