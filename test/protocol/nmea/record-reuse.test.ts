// The decoder reuses one record and clears only what the previous sentence's type wrote (nothing when the type
// repeats): a sentence read in a stream must still look exactly as it does alone, with nothing left over from
// the sentences before it, whatever their types, variants or failures.
import { describe, expect, it } from 'vitest';
import { copySentence, decodeSentence, NmeaDecoder, nmeaSentence, type NmeaSentenceData } from '../../../protocol/nmea/index.js';
import { LOGS, readLog } from './corpus.js';

/**
 * What a decoder delivers for each of `lines` (CRLF added), as [sentences of that line]: all pushed one after
 * another into one decoder (`shared`), or each into a fresh decoder.
 */
function decodeLines(lines: readonly string[], shared: boolean): NmeaSentenceData[][] {
  let d = new NmeaDecoder();
  const out: NmeaSentenceData[][] = [];
  for (const line of lines) {
    if (!shared) d = new NmeaDecoder();
    const got: NmeaSentenceData[] = [];
    d.onSentence = (s) => got.push(copySentence(s));
    d.push(Uint8Array.from(`${line}\r\n`, (c) => c.charCodeAt(0)));
    out.push(got);
  }
  return out;
}

const inStream = (lines: readonly string[]): NmeaSentenceData[][] => decodeLines(lines, true);
const alone = (lines: readonly string[]): NmeaSentenceData[][] => decodeLines(lines, false);

describe('record reuse', () => {
  it('every sentence of every capture reads the same in the stream as alone', () => {
    let compared = 0;
    for (const log of LOGS) {
      const lines = readLog(log)
        .toString('latin1')
        .split(/\r\n|\r|\n/)
        .filter((l) => l.startsWith('$'));
      const stream = inStream(lines);
      expect(stream, log).toEqual(alone(lines));
      compared += stream.reduce((n, s) => n + s.length, 0);
    }
    expect(compared).toBeGreaterThan(15000);
  });

  it('optional fields of a type are absent again when the next sentence of that type lacks them', () => {
    const lines = [
      nmeaSentence('GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00,1').slice(0, -2), // signal id
      nmeaSentence('GPGSV,3,2,11,14,25,170,00,16,57,208,39,18,67,296,40,19,40,246,00').slice(0, -2), // none
      nmeaSentence('GNGSA,A,3,80,71,73,79,69,,,,,,,,1.83,1.09,1.47,2').slice(0, -2), // system id
      nmeaSentence('GNGSA,A,3,80,71,73,79,69,,,,,,,,1.83,1.09,1.47').slice(0, -2), // none
      nmeaSentence('GPVTG,054.7,T,034.4,M,005.5,N,010.2,K,A').slice(0, -2), // mode
      nmeaSentence('GPVTG,054.7,034.4,005.5,010.2').slice(0, -2), // pre-2.0: no mode
      nmeaSentence('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W,A').slice(0, -2),
      nmeaSentence('GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W,AA').slice(0, -2), // bad mode: refused
      nmeaSentence('GPGGA,123520,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,').slice(0, -2),
    ];
    const stream = inStream(lines);
    expect(stream).toEqual(alone(lines));
    expect(stream[0]?.[0]?.signalId).toBe(1);
    expect(stream[1]?.[0]?.signalId).toBeNaN();
    expect(stream[2]?.[0]?.systemId).toBe(2);
    expect(stream[3]?.[0]?.systemId).toBeNaN();
    expect(stream[4]?.[0]?.mode).toBe('A');
    expect(stream[5]?.[0]?.mode).toBe('');
    expect(stream[7]).toEqual([]);
    expect(stream[8]?.[0]?.speedKnots).toBeNaN(); // the RMC's speed does not leak into the GGA after it
    expect(decodeSentence(lines[6] as string).ok).toBe(true);
  });
});
