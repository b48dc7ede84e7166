// The speed-minded code paths of the decoder, pinned down byte by byte: the framing loop that takes four bytes
// per turn (a special byte at every offset of a line, against the byte-at-a-time path), the time parser that
// reads its six digits once (every non-digit at every position), and the millisecond fractions it computes
// without a division.
import { describe, expect, it } from 'vitest';
import { NmeaDecoder, NmeaReject, nmeaSentence, type NmeaRejectReason, type NmeaStats } from '../../../protocol/nmea/index.js';

const GGA = nmeaSentence('GPGGA,123519.00,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,').slice(0, -2);

interface Outcome {
  stats: NmeaStats;
  reasons: NmeaRejectReason[];
  positions: string[];
}

/** Feeds `bytes` in one push (chunk 0) or in pieces of `chunk` bytes; returns what a user would see. */
function run(bytes: Uint8Array, chunk = 0): Outcome {
  const d = new NmeaDecoder();
  const reasons: NmeaRejectReason[] = [];
  const positions: string[] = [];
  d.onReject = (r) => reasons.push(r);
  d.onSentence = (s) => positions.push(`${s.type} ${s.latitude} ${s.longitude} ${s.timeOfDayMs}`);
  if (chunk === 0) d.push(bytes);
  else for (let i = 0; i < bytes.length; i += chunk) d.push(bytes, i, Math.min(bytes.length, i + chunk));
  return { stats: { ...d.stats }, reasons, positions };
}

const latin1 = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** The GGA with one byte inserted before offset k, then a clean GGA on the next line. */
const withByte = (k: number, byte: number): Uint8Array =>
  Uint8Array.from([...latin1(GGA.slice(0, k)), byte, ...latin1(`${GGA.slice(k)}\r\n${GGA}\r\n`)]);

describe('framing, four bytes per turn', () => {
  it('a special byte at every offset of a line is handled as by the byte-at-a-time path', () => {
    // A printable byte outside the fast range (space, '"', '#', '+'), a control byte, DEL, a non-ASCII byte,
    // '$' and '!' (resynchronise), '*' (an early checksum marker) and ',' (an extra field).
    const specials = [0x20, 0x22, 0x23, 0x2b, 0x00, 0x09, 0x7f, 0x80, 0xff, 0x24, 0x21, 0x2a, 0x2c];
    for (const byte of specials) {
      for (let k = 1; k <= GGA.length; k++) {
        const bytes = withByte(k, byte);
        const whole = run(bytes);
        expect(run(bytes, 1), `byte ${byte} at ${k}`).toEqual(whole);
        expect(run(bytes, 3), `byte ${byte} at ${k}`).toEqual(whole);
        // The damaged line never yields a sentence (but a '$' right after the first one starts a whole new
        // line: "$$GPGGA..." is a cut line then a good GGA); the clean line after it always does.
        expect(whole.stats.sentences, `byte ${byte} at ${k}`).toBe(byte === 0x24 && k === 1 ? 2 : 1);
        for (const p of whole.positions) expect(p).toBe('GGA 48.1173 11.516666666666667 45319000');
        if (byte < 0x20 || byte >= 0x7f) expect(whole.reasons, `byte ${byte} at ${k}`).toEqual([NmeaReject.BINARY]);
        if (byte === 0x24 || byte === 0x21) expect(whole.reasons[0], `byte ${byte} at ${k}`).toBe(NmeaReject.UNTERMINATED);
      }
    }
  });

  it('lines of every length up to the limit frame the same in one push and byte by byte', () => {
    for (let n = 0; n <= 110; n++) {
      const line = nmeaSentence(`GPXYZ,${'7,'.repeat(n >> 1)}${n & 1 ? 'A' : ''}`);
      const bytes = latin1(`${line}${GGA}\r\n`);
      const whole = run(bytes);
      expect(run(bytes, 1), `length ${line.length}`).toEqual(whole);
      expect(whole.stats.sentences).toBe(1);
    }
  });
});

describe('time of day', () => {
  const ggaAt = (time: string): Outcome => run(latin1(`${nmeaSentence(`GPGGA,${time},4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,`)}`));

  it('refuses every non-digit at each of the six positions', () => {
    for (let pos = 0; pos < 6; pos++) {
      for (let c = 0x20; c < 0x7f; c++) {
        if ((c >= 0x30 && c <= 0x39) || c === 0x2c || c === 0x2a || c === 0x24 || c === 0x21) continue;
        const time = `123519`.slice(0, pos) + String.fromCharCode(c) + `123519`.slice(pos + 1);
        const o = ggaAt(`${time}.00`);
        expect(o.stats.sentences, JSON.stringify(time)).toBe(0);
        expect(o.reasons, JSON.stringify(time)).toEqual([NmeaReject.BAD_FIELD]);
      }
    }
  });

  it('checks hours, minutes and seconds (a leap second is accepted)', () => {
    expect(ggaAt('235960').positions).toEqual([`GGA 48.1173 11.516666666666667 ${(23 * 3600 + 59 * 60 + 60) * 1000}`]);
    expect(ggaAt('000000').positions).toEqual(['GGA 48.1173 11.516666666666667 0']);
    for (const bad of ['240000', '126000', '123561', '12351', '12351.9']) expect(ggaAt(bad).reasons, bad).toEqual([NmeaReject.BAD_FIELD]);
  });

  it('keeps fractions of a second exactly, up to milliseconds and beyond', () => {
    const base = (12 * 3600 + 35 * 60 + 19) * 1000;
    const cases: Array<[string, number]> = [
      ['123519', base],
      ['123519.', base],
      ['123519.5', base + 500],
      ['123519.25', base + 250],
      ['123519.004', base + 4],
      ['123519.0005', base + 0.5],
      ['123519.12345', base + 123.45],
    ];
    for (const [time, ms] of cases) expect(ggaAt(time).positions, time).toEqual([`GGA 48.1173 11.516666666666667 ${ms}`]);
  });
});
