// The streaming NMEA 0183 decoder: bytes in, one reused NmeaSentence out per valid sentence.
//
// Framing: a sentence starts at `$` (or `!`, AIS-style encapsulation, framed and checked but not decoded) and
// ends at CR, LF or CRLF. A `$`/`!` inside a line resynchronises (the cut line is a framing error); a line
// longer than MAX_LINE, or holding a control/non-ASCII byte, is dropped up to the next line end or `$`.
// Bytes between a line end and the next `$` are noise: one framing error per run.
// Checks, in order: `*hh` present (missingChecksum), hex and equal to the XOR of the bytes between `$` and `*`
// (badChecksum), nothing after it (framing), a known type (unknown), enough and well-formed fields (framing).
// Only then is the record filled and `onSentence` called: an unchecked line never yields a position.
//
// Zero allocation: the line buffer, the field offsets and the record are made once; push() keeps its state
// in number fields and writes parsed values through typed arrays, so decoding allocates nothing.
import { talkerOf } from './codes.js';
import { NmeaFields } from './fields.js';
import { MAX_LINE, NmeaReject, statOf, type NmeaRejectReason } from './reject.js';
import { NmeaSentence } from './sentence.js';
import { SENTENCES, type SentenceEntry } from './sentences/table.js';

/** Counters since the decoder was made. `sentences` counts those delivered to onSentence. */
export interface NmeaStats {
  sentences: number;
  badChecksum: number;
  missingChecksum: number;
  framing: number;
  unknown: number;
}


/** Byte classes of the framing loop, one table lookup per byte. */
const PLAIN = 0;
const COMMA = 1;
const STAR_CLASS = 2;
const START = 3;
const EOL = 4;
const BINARY = 5;
const CLASS = new Uint8Array(256).fill(BINARY);
for (let c = 32; c < 127; c++) CLASS[c] = PLAIN;
CLASS[44] = COMMA;
CLASS[42] = STAR_CLASS;
CLASS[36] = START; // $
CLASS[33] = START; // !
CLASS[13] = EOL;
CLASS[10] = EOL;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Decodes a byte stream of NMEA 0183 sentences, cut anywhere into chunks. */
export class NmeaDecoder {
  /** Called once per valid sentence with the reused record: read it, or copy it (copySentence), and return. */
  onSentence: ((s: NmeaSentence) => void) | null = null;
  /** Called once per dropped line or noise run with the reason (counted in `stats` as statOf(reason)). */
  onReject: ((reason: NmeaRejectReason) => void) | null = null;
  readonly stats: NmeaStats = { sentences: 0, badChecksum: 0, missingChecksum: 0, framing: 0, unknown: 0 };

  private readonly line = new Uint8Array(MAX_LINE);
  private readonly fields = new NmeaFields(this.line);
  private readonly record = new NmeaSentence();
  // The state of the line being framed, kept across push() calls (all small integers):
  /** Bytes of the current line in `line` (0: between lines). */
  private len = 0;
  /** XOR of every byte after the `$` so far. */
  private xor = 0;
  /** Offset of the first `*`, or -1. */
  private star = -1;
  /** Commas seen so far (the field being filled). */
  private comma = 0;
  /** True while skipping bytes up to the next line end or `$` (noise, overlong or binary line already counted). */
  private skipping = false;

  /** Feeds bytes[start..end); returns the number of valid sentences delivered during this call. */
  push(bytes: Uint8Array, start = 0, end: number = bytes.length): number {
    if (start < 0) start = 0;
    if (end > bytes.length) end = bytes.length;
    const line = this.line;
    const fStart = this.fields.start;
    const fEnd = this.fields.end;
    let len = this.len;
    let x = this.xor;
    let star = this.star;
    let n = this.comma;
    let decoded = 0;
    for (let i = start; i < end; i++) {
      const b = bytes[i] as number;
      const c = CLASS[b] as number;
      if (c <= STAR_CLASS && len !== 0 && len < MAX_LINE) {
        // The common case: a byte inside a line.
        if (c === COMMA) {
          fEnd[n] = len;
          fStart[++n] = len + 1;
        } else if (c === STAR_CLASS && star < 0) {
          star = len;
        }
        line[len++] = b;
        x ^= b;
      } else if (c === START) {
        if (len !== 0) this.reject(NmeaReject.UNTERMINATED);
        this.skipping = false;
        line[0] = b;
        len = 1;
        x = 0;
        star = -1;
        n = 0;
        fStart[0] = 1;
      } else if (c === EOL) {
        this.skipping = false;
        if (len !== 0) {
          this.len = 0;
          decoded += this.finish(len, x, star, n);
          len = 0;
        }
      } else if (len === 0) {
        if (!this.skipping) {
          this.skipping = true;
          this.reject(NmeaReject.NOISE);
        }
      } else {
        len = 0;
        this.skipping = true;
        this.reject(c === BINARY ? NmeaReject.BINARY : NmeaReject.TOO_LONG);
      }
    }
    this.len = len;
    this.xor = x;
    this.star = star;
    this.comma = n;
    return decoded;
  }

  private reject(reason: NmeaRejectReason): number {
    this.stats[statOf(reason)]++;
    const cb = this.onReject;
    if (cb !== null) cb(reason);
    return 0;
  }

  /**
   * Checks and decodes the complete line line[0..len): `x` is the XOR of line[1..len), `star` the offset of the
   * first `*` (or -1), `commas` the number of commas (field offsets already in `fields`). Returns 1 when a
   * sentence was delivered.
   */
  private finish(len: number, x: number, star: number, commas: number): number {
    const line = this.line;
    if (star < 0) return this.reject(NmeaReject.MISSING_CHECKSUM);
    if (len < star + 3) return this.reject(NmeaReject.BAD_CHECKSUM);
    let body = x; // XOR of line[1..star): take the `*` and what follows it back out
    for (let i = star; i < len; i++) body ^= line[i] as number;
    const hi = hexValue(line[star + 1] as number);
    const lo = hexValue(line[star + 2] as number);
    if (hi < 0 || lo < 0 || ((hi << 4) | lo) !== body) return this.reject(NmeaReject.BAD_CHECKSUM);
    if (len > star + 3) return this.reject(NmeaReject.JUNK_AFTER_CHECKSUM);
    const f = this.fields;
    f.end[commas] = star;
    f.count = commas + 1;
    const entry = line[0] === 36 && f.end[0] === 6 ? this.lookup() : null;
    if (entry === null) return this.reject(NmeaReject.UNKNOWN_TYPE);
    if (commas < entry.minFields) return this.reject(NmeaReject.TOO_FEW_FIELDS);
    const s = this.record;
    s.clear();
    const reason = entry.decode(f, s);
    if (reason !== 0) return this.reject(reason as NmeaRejectReason);
    s.type = entry.type;
    const a = line[1] as number;
    const b = line[2] as number;
    s.talker = talkerOf(a, b);
    s.talkerCode = (a << 8) | b;
    this.stats.sentences++;
    const cb = this.onSentence;
    if (cb !== null) cb(s);
    return 1;
  }

  /** The table row for the type letters line[3..5], or null. */
  private lookup(): SentenceEntry | null {
    const line = this.line;
    const code = ((line[3] as number) << 16) | ((line[4] as number) << 8) | (line[5] as number);
    for (let k = 0; k < SENTENCES.length; k++) {
      const e = SENTENCES[k] as SentenceEntry;
      if (e.code === code) return e;
    }
    return null;
  }
}
