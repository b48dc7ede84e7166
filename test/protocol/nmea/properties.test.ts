// Property tests (fast-check) on real captures: chunking never changes the output, no input throws, and a
// damaged sentence never turns into a different position.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSentence, NmeaDecoder } from '../../../protocol/nmea/index.js';
import { decodeAll, LOGS, readLog, sentenceLines } from './corpus.js';

/** Captures with damaged and overlong lines, binary UBX packets, and several talkers and NMEA versions. */
const MIXED = Buffer.concat(
  ['gp-320fw-2019-04-07-coldboot.log', 'ublox8-uniqid-monhw.log', 'nmea-fuzzy-cases.log', 'saab-r4.log', 'tcp-torture.log', 'mtk-3301.log'].map(
    readLog,
  ),
);

const POSITION_LINES = LOGS.flatMap((log) => sentenceLines(readLog(log)))
  .filter((l) => /^\$..(GGA|RMC|GLL|GNS),/.test(l))
  .filter((l) => {
    const r = decodeSentence(l);
    return r.ok && Number.isFinite(r.sentence.latitude);
  });

describe('properties', () => {
  it('every log decodes the same byte at a time as in one push', () => {
    for (const log of LOGS) {
      const bytes = readLog(log);
      const whole = decodeAll(bytes);
      const byByte = decodeAll(bytes, 1);
      expect(byByte.sentences, log).toEqual(whole.sentences);
      expect(byByte.decoder.stats, log).toEqual(whole.decoder.stats);
    }
  });

  it('random chunking gives identical sentences and stats', () => {
    const whole = decodeAll(MIXED);
    expect(whole.sentences.length).toBeGreaterThan(100);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: MIXED.length - 1 }), { maxLength: 400 }), (cuts) => {
        const d = new NmeaDecoder();
        const got: string[] = [];
        d.onSentence = (s) => got.push(`${s.type}${s.talker}${s.latitude},${s.longitude},${s.timeOfDayMs},${s.hdop},${s.svCount}`);
        let at = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          d.push(MIXED, at, c);
          at = c;
        }
        d.push(MIXED, at, MIXED.length);
        const want = whole.sentences.map((s) => `${s.type}${s.talker}${s.latitude},${s.longitude},${s.timeOfDayMs},${s.hdop},${s.svCount}`);
        expect(got).toEqual(want);
        expect(d.stats).toEqual(whole.decoder.stats);
      }),
      { numRuns: 60 },
    );
  });

  it('random bytes never throw, and every line lands in one counter', () => {
    const nmeaish = fc.uint8Array({ maxLength: 600 }).map((a) => a);
    const textish = fc
      .array(fc.constantFrom(...'$!*,.\r\n0123456789ABCDEFGPNSEWMKTV-'.split('')), { maxLength: 600 })
      .map((a) => Buffer.from(a.join(''), 'latin1'));
    fc.assert(
      fc.property(fc.oneof(nmeaish, textish), (bytes) => {
        const d = new NmeaDecoder();
        let delivered = 0;
        d.onSentence = (s) => {
          delivered++;
          expect(typeof s.type).toBe('string');
        };
        expect(() => d.push(bytes)).not.toThrow();
        expect(d.stats.sentences).toBe(delivered);
      }),
      { numRuns: 400 },
    );
  });

  it('a flipped byte in a valid sentence never yields a different position', () => {
    expect(POSITION_LINES.length).toBeGreaterThan(3000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: POSITION_LINES.length - 1 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (which, pos, mask) => {
          const line = POSITION_LINES[which] as string;
          const original = decodeSentence(line);
          if (!original.ok) throw new Error('unreachable: lines were filtered');
          const bytes = Buffer.from(`${line}\r\n`, 'latin1');
          const i = pos % line.length;
          bytes[i] = (bytes[i] as number) ^ mask;
          const d = new NmeaDecoder();
          d.onSentence = (s) => {
            if (Number.isNaN(s.latitude) && Number.isNaN(s.longitude)) return;
            expect([s.latitude, s.longitude, s.timeOfDayMs]).toEqual([
              original.sentence.latitude,
              original.sentence.longitude,
              original.sentence.timeOfDayMs,
            ]);
          };
          d.push(bytes);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
