// Golden tests field by field: every sentence of every gpsd capture that we decode, against the reports gpsd
// printed right after that same sentence in its `.chk` (a TPV and/or a SKY). golden.test.ts checks that every
// gpsd position and time is one we decoded somewhere in the log; this checks the other values a control room
// reads off a fix (altitude, speed, course, HDOP, satellites, fix quality, date) and that our `positionValid`
// agrees with gpsd's fix / no fix, sentence by sentence.
//
// gpsd fuses a cycle's sentences, so only the fields the sentence itself carries are compared, and only where
// gpsd's report carries them. Where gpsd's own rules differ from NMEA's (and from ours) the differences are
// listed below with the reason, and asserted by exact count so that none can hide a regression.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeSentence, type NmeaSentenceData } from '../../../protocol/nmea/index.js';
import { CORPUS_DIR, hasChk, LOGS } from './corpus.js';

const DAY_MS = 86_400_000;
const WEEKS_1024_MS = 1024 * 7 * DAY_MS;
/** gpsd's knots to m/s. */
const KNOTS_TO_MPS = 1852 / 3600;

type Report = Record<string, unknown> & { class: string };

/** Each sentence line of a .chk with the reports gpsd printed after it. */
function chkSentences(log: string): { line: string; tpv?: Report; sky?: Report }[] {
  const lines = readFileSync(path.join(CORPUS_DIR, `${log}.chk`), 'latin1').split(/\r*\n/);
  const out: { line: string; tpv?: Report; sky?: Report }[] = [];
  for (const l of lines) {
    if (l.startsWith('$')) out.push({ line: l });
    else if (l.startsWith('{') && out.length > 0) {
      const r = JSON.parse(l) as Report;
      const last = out[out.length - 1] as { tpv?: Report; sky?: Report };
      if (r.class === 'TPV') last.tpv ??= r;
      if (r.class === 'SKY') last.sky ??= r;
    }
  }
  return out;
}

/** Differences that come from gpsd's rules, per log and kind: the exact count expected. */
const QUIRKS: Record<string, Record<string, number>> = {
  // gpsd reports a 2D fix from a GGA's position when it lists 3 or more satellites, whatever its quality says:
  // quality 0 (mtk-3301) or empty (myguide-3100). NMEA says quality 0 / no quality is no fix.
  'mtk-3301.log': { 'fix-gpsd-only': 1 },
  'myguide-3100.log': { 'fix-gpsd-only': 2 },
  // gpsd takes a GGA with fewer than 3 satellites (00, or an empty count) as no fix, whatever its quality. The
  // receivers meant a fix: hemi's positions move smoothly over 15 s, garmin25lp's GSA says 2D with 3 satellites,
  // saab-r4's GGA (quality 2) carries no count at all.
  'hemi.log': { 'fix-ours-only': 15 },
  'garmin25lp.log': { 'fix-ours-only': 1 },
  'saab-r4.log': { 'fix-ours-only': 1 },
  // gpsd reports the DOPs of another source than the GSA it follows: the capture's UBX-NAV-DOP (binary)
  // and, in quectel-l76k-dual, the more precise HDOP of the GGA before it (0.76 for the GSA's 0.8).
  'ublox8-uniqid-monhw.log': { dop: 1 },
  'quectel-l76k-dual.log': { dop: 1 },
};

describe('golden, field by field: each sentence against the gpsd report that follows it', () => {
  let compared = 0;

  for (const log of LOGS.filter(hasChk)) {
    it(log, () => {
      const found: Record<string, number> = {};
      const diffs: string[] = [];
      const quirk = (kind: string, line: string) => {
        found[kind] = (found[kind] ?? 0) + 1;
        if ((QUIRKS[log]?.[kind] ?? 0) === 0) diffs.push(`${kind}: ${line}`);
      };
      const check = (ok: boolean, what: string, line: string, ours: unknown, gpsd: unknown) => {
        compared++;
        if (!ok) diffs.push(`${what}: ${line} ours=${String(ours)} gpsd=${String(gpsd)}`);
      };
      const near = (a: number, b: unknown, tol: number) => typeof b === 'number' && Math.abs(a - b) <= tol;

      for (const { line, tpv, sky } of chkSentences(log)) {
        const r = decodeSentence(line);
        if (!r.ok) continue; // refusals are golden.test.ts's and bad-input's business
        const s: NmeaSentenceData = r.sentence;
        const positional = s.type === 'GGA' || s.type === 'RMC' || s.type === 'GLL' || s.type === 'GNS';
        if (tpv !== undefined) {
          if (positional && typeof tpv.lat === 'number') {
            check(near(s.latitude, tpv.lat, 1e-8) && near(s.longitude, tpv.lon, 1e-8), 'position', line, [s.latitude, s.longitude], [tpv.lat, tpv.lon]);
            if (!s.positionValid) quirk('fix-gpsd-only', line);
          } else if (positional && s.positionValid) {
            quirk('fix-ours-only', line);
          }
          // gpsd keeps the previous time for an RMC with status V.
          const timed = s.type === 'GGA' || s.type === 'GLL' || s.type === 'GNS' || s.type === 'ZDA' || (s.type === 'RMC' && s.status === 'A');
          if (timed && typeof tpv.time === 'string' && Number.isFinite(s.timeOfDayMs)) {
            const t = Date.parse(tpv.time);
            check(near(s.timeOfDayMs, ((t % DAY_MS) + DAY_MS) % DAY_MS, 0.5), 'time of day', line, s.timeOfDayMs, tpv.time);
            if ((s.type === 'RMC' || s.type === 'ZDA') && Number.isFinite(s.year)) {
              // gpsd moves dates of old captures forward by 1,024 GPS weeks (its rollover guess).
              const ours = Date.UTC(s.year, s.month - 1, s.day);
              const theirs = Math.floor(t / DAY_MS) * DAY_MS;
              check(theirs === ours || theirs === ours + WEEKS_1024_MS, 'date', line, `${s.year}-${s.month}-${s.day}`, tpv.time);
            }
          }
          if ((s.type === 'RMC' || s.type === 'VTG') && typeof tpv.speed === 'number') {
            check(near(s.speedKnots * KNOTS_TO_MPS, tpv.speed, 0.0011), 'speed', line, s.speedKnots, tpv.speed);
          }
          if ((s.type === 'RMC' || s.type === 'VTG') && typeof tpv.track === 'number') {
            check(near(s.courseTrueDeg, tpv.track, 1e-4), 'course', line, s.courseTrueDeg, tpv.track);
          }
          if (s.type === 'GGA' || s.type === 'GNS') {
            if (typeof tpv.altMSL === 'number') check(near(s.altitudeM, tpv.altMSL, 1e-4), 'altitude', line, s.altitudeM, tpv.altMSL);
            // gpsd computes a geoid separation of its own when the field is empty.
            if (typeof tpv.geoidSep === 'number' && Number.isFinite(s.geoidSeparationM)) check(near(s.geoidSeparationM, tpv.geoidSep, 1e-3), 'geoid separation', line, s.geoidSeparationM, tpv.geoidSep);
            if (typeof tpv.dgpsAge === 'number') check(near(s.dgpsAgeS, tpv.dgpsAge, 0.05), 'DGPS age', line, s.dgpsAgeS, tpv.dgpsAge);
            if (typeof tpv.dgpsSta === 'number') check(s.dgpsStationId === tpv.dgpsSta, 'DGPS station', line, s.dgpsStationId, tpv.dgpsSta);
          }
          if (s.type === 'GGA' && s.fixQuality > 0) {
            // gpsd's TPV status for GGA qualities (1, plain GPS, is not printed).
            const status: Record<number, number | undefined> = { 1: undefined, 2: 2, 4: 3, 5: 4, 6: 5, 7: 7, 8: 8 };
            if (s.fixQuality in status) check(tpv.status === status[s.fixQuality], 'fix quality', line, s.fixQuality, tpv.status);
          }
        }
        if (sky !== undefined) {
          if (s.type === 'GGA') {
            // gpsd ignores an HDOP of 99 or more (receivers' "not known").
            if (typeof sky.hdop === 'number' && Number.isFinite(s.hdop) && s.hdop < 99) check(near(s.hdop, sky.hdop, 0.0051), 'HDOP', line, s.hdop, sky.hdop);
            if (typeof sky.uSat === 'number') check(s.satellitesUsed === sky.uSat, 'satellites used', line, s.satellitesUsed, sky.uSat);
          }
          if (s.type === 'GSA') {
            const dops = [
              [s.pdop, sky.pdop],
              [s.hdop, sky.hdop],
              [s.vdop, sky.vdop],
            ] as const;
            if (dops.some(([o, g]) => typeof g === 'number' && Number.isFinite(o) && !near(o, g, 0.0051))) quirk('dop', line);
          }
        }
      }
      expect(diffs, diffs.slice(0, 5).join('\n')).toEqual([]);
      expect(found).toEqual(QUIRKS[log] ?? {});
    });
  }

  it('compared thousands of values (the comparison is not vacuous)', () => {
    expect(compared).toBeGreaterThan(8_000);
  });
});
