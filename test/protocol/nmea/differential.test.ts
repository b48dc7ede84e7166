// Differential test: every GGA and RMC line of the gpsd captures, decoded by us and by nmea-simple (a second,
// independent decoder, test-only). Where both accept a line, position, time and the main fields must agree.
// nmea-simple writes 0 for empty fields where we write NaN; that convention difference is mapped, not hidden.
import { parseNmeaSentence, type GGAPacket, type RMCPacket } from 'nmea-simple';
import { describe, expect, it } from 'vitest';
import { decodeSentence, NmeaReject, type NmeaSentenceData } from '../../../protocol/nmea/index.js';
import { LOGS, readLog, sentenceLines } from './corpus.js';

/** Lines nmea-simple accepts and we refuse, per log, with the reason (the test asserts the exact counts). */
const WE_REFUSE: Record<string, { count: number; why: string }> = {
  'mtk-3301.log': { count: 12, why: 'no-fix placeholder "8960.000000,N": 60 minutes is not a latitude (BAD_FIELD)' },
  'tn200-all.log': { count: 9, why: 'no-fix placeholder "36000.0000,N,72000.0000,E": 360 deg latitude (BAD_FIELD)' },
  'tcp-torture.log': { count: 1, why: 'deliberately damaged "|19322|1.00,|2037.|72792" with a valid checksum (BAD_FIELD)' },
};

const GGA_FIX_TYPES = ['none', 'fix', 'delta', 'pps', 'rtk', 'frtk', 'estimated', 'manual', 'simulation'];

/** nmea-simple's value for a field we decoded: NaN (absent) corresponds to its 0. */
const theirsFor = (ours: number): number => (Number.isNaN(ours) ? 0 : ours);

const todOf = (d: Date): number =>
  ((d.getUTCHours() * 60 + d.getUTCMinutes()) * 60 + d.getUTCSeconds()) * 1000 + d.getUTCMilliseconds();

function compareGga(ours: NmeaSentenceData, theirs: GGAPacket, line: string): void {
  expect(theirs.latitude, line).toBeCloseTo(theirsFor(ours.latitude), 9);
  expect(theirs.longitude, line).toBeCloseTo(theirsFor(ours.longitude), 9);
  if (Number.isFinite(ours.timeOfDayMs)) expect(todOf(theirs.time), line).toBe(Math.round(ours.timeOfDayMs));
  expect(theirs.fixType, line).toBe(Number.isNaN(ours.fixQuality) ? 'none' : GGA_FIX_TYPES[ours.fixQuality]);
  expect(theirs.satellitesInView, line).toBe(theirsFor(ours.satellitesUsed));
  expect(theirs.horizontalDilution, line).toBe(theirsFor(ours.hdop));
  expect(theirs.altitudeMeters, line).toBe(theirsFor(ours.altitudeM));
  expect(theirs.geoidalSeperation, line).toBe(theirsFor(ours.geoidSeparationM));
}

function compareRmc(ours: NmeaSentenceData, theirs: RMCPacket, line: string): void {
  expect(theirs.latitude, line).toBeCloseTo(theirsFor(ours.latitude), 9);
  expect(theirs.longitude, line).toBeCloseTo(theirsFor(ours.longitude), 9);
  expect(theirs.status, line).toBe(ours.status === 'A' ? 'valid' : 'warning');
  expect(theirs.speedKnots, line).toBe(theirsFor(ours.speedKnots));
  expect(theirs.trackTrue, line).toBe(theirsFor(ours.courseTrueDeg));
  expect(theirs.faaMode ?? '', line).toBe(ours.mode);
  const d = theirs.datetime;
  if (Number.isNaN(ours.day) || Number.isNaN(ours.timeOfDayMs)) {
    expect(Number.isNaN(d.getTime()), line).toBe(true); // no date or no time: nmea-simple's Date is invalid
    return;
  }
  // nmea-simple keeps milliseconds only for "hhmmss.ss" and pivots two-digit years at 73 (we pivot at 80).
  const time = line.split(',')[1] as string;
  const ms = time.length === 9 ? Math.round(ours.timeOfDayMs) : Math.floor(ours.timeOfDayMs / 1000) * 1000;
  expect(todOf(d), line).toBe(ms);
  expect([d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear() % 100], line).toEqual([ours.day, ours.month, ours.year % 100]);
}

describe('differential: nmea-simple on every GGA/RMC of the gpsd captures', () => {
  let compared = 0;
  for (const log of LOGS) {
    it(log, () => {
      let refused = 0;
      for (const line of sentenceLines(readLog(log))) {
        if (!/^\$..(GGA|RMC),/.test(line)) continue;
        let theirs: GGAPacket | RMCPacket | null = null;
        try {
          theirs = parseNmeaSentence(line) as GGAPacket | RMCPacket;
        } catch {
          theirs = null; // bad checksum or unparseable: nmea-simple's rejection
        }
        const ours = decodeSentence(line);
        if (!ours.ok) {
          if (theirs !== null) {
            refused++;
            expect(ours.reason, line).toBe(NmeaReject.BAD_FIELD);
          }
          continue;
        }
        expect(theirs, `nmea-simple refused what we decoded: ${line}`).not.toBeNull();
        if (theirs === null) continue;
        compared++;
        expect(theirs.sentenceId).toBe(ours.sentence.type);
        expect(theirs.talkerId).toBe(ours.sentence.talker);
        if (theirs.sentenceId === 'GGA') compareGga(ours.sentence, theirs, line);
        else compareRmc(ours.sentence, theirs, line);
      }
      expect(refused).toBe(WE_REFUSE[log]?.count ?? 0);
    });
  }
  it('compared thousands of sentences', () => {
    expect(compared).toBeGreaterThan(3900);
  });
});
