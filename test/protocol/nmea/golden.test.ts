// Golden tests: every capture of gpsd's regression suite, decoded by us, against gpsd's own decoding (.chk).
// gpsd fuses the sentences of a cycle into one TPV report, so the comparison is per fix: every TPV that
// carries a position must match (1e-6 deg, and its UTC time of day to the millisecond) a position that our
// decoder produced from one sentence of the same log; every TPV that carries only a time must match a time
// we decoded. Dates are not compared: gpsd's GPS-week-rollover logic moves some old captures' dates
// (neo-m8n's 2015 capture is reported in 2034), while the time of day is what the receiver said.
import { describe, expect, it } from 'vitest';
import { decodeAll, hasChk, LOGS, readLog, readTpvs, type Tpv } from './corpus.js';

const DAY_MS = 86_400_000;
const DEG_TOLERANCE = 1e-6;

/**
 * Per-log quirks: TPVs of gpsd that no NMEA sentence of ours can match, each with the reason. The test
 * asserts the exact count, so a quirk cannot hide a regression or outlive its cause.
 */
const UNMATCHED_TPVS: Record<string, { count: number; why: string }> = {
  'ericsson-gru04-02-70sec.log': {
    count: 2,
    why: 'gpsd also reports the position of the proprietary $PERC,GPavp (Ericsson/Trimble averaged position), a sentence outside our table',
  },
  'ublox8-uniqid-monhw.log': {
    count: 4,
    why: 'the capture mixes u-blox binary UBX-NAV messages with NMEA; gpsd reports their positions too, which are not in any NMEA sentence',
  },
};

/** Captures without a .chk: decoded (must not crash, must yield sentences) but not compared. */
const NO_CHK: Record<string, string> = {
  'ublox-zed-f9p_hpg1.11.log': 'the corpus ships this capture without gpsd output (.chk)',
};

const timeOfDay = (iso: string): number => ((Date.parse(iso) % DAY_MS) + DAY_MS) % DAY_MS;

describe('golden: gpsd captures against gpsd .chk output', () => {
  it('covers every log of the corpus', () => {
    expect(LOGS.length).toBeGreaterThan(70);
    for (const log of LOGS) if (!hasChk(log)) expect(NO_CHK[log], `${log} has no .chk and no documented reason`).toBeDefined();
  });

  for (const log of LOGS) {
    it(log, () => {
      const { sentences, decoder } = decodeAll(readLog(log));
      expect(decoder.stats.sentences).toBe(sentences.length);
      expect(sentences.length).toBeGreaterThan(0);
      if (!hasChk(log)) return;

      const positions = sentences.filter((s) => Number.isFinite(s.latitude) && Number.isFinite(s.longitude));
      const times = new Set(sentences.filter((s) => Number.isFinite(s.timeOfDayMs)).map((s) => Math.round(s.timeOfDayMs)));
      const matches = (t: Tpv): boolean => {
        if (t.lat === undefined || t.lon === undefined) return t.time === undefined || times.has(timeOfDay(t.time));
        const tod = t.time === undefined ? NaN : timeOfDay(t.time);
        return positions.some(
          (p) =>
            Math.abs(p.latitude - (t.lat as number)) <= DEG_TOLERANCE &&
            Math.abs(p.longitude - (t.lon as number)) <= DEG_TOLERANCE &&
            (t.time === undefined || Math.abs(p.timeOfDayMs - tod) <= 1),
        );
      };
      const tpvs = readTpvs(log);
      const unmatched = tpvs.filter((t) => !matches(t));
      expect(unmatched.length, JSON.stringify(unmatched.slice(0, 3))).toBe(UNMATCHED_TPVS[log]?.count ?? 0);

      // Where gpsd saw no fix at all, we must not claim one either.
      if (!tpvs.some((t) => t.lat !== undefined)) expect(sentences.filter((s) => s.positionValid)).toEqual([]);
    });
  }
});
