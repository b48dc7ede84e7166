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
import { MAX_FIELDS, NmeaFields } from './fields.js';
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

const DOLLAR = 36;
const BANG = 33;
const STAR = 42;
const COMMA = 44;
const CR = 13;
const LF = 10;

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
  /** Bytes of the current line in `line` (0: between lines). */
  private len = 0;
  /** True while skipping bytes up to the next line end or `$` (noise, overlong or binary line already counted). */
  private skipping = false;

  /** Feeds bytes[start..end); returns the number of valid sentences delivered during this call. */
  push(bytes: Uint8Array, start = 0, end: number = bytes.length): number {
    if (start < 0) start = 0;
    if (end > bytes.length) end = bytes.length;
    const line = this.line;
    let len = this.len;
    let decoded = 0;
    for (let i = start; i < end; i++) {
      const b = bytes[i] as number;
      if (b === DOLLAR || b === BANG) {
        if (len > 0) this.reject(NmeaReject.UNTERMINATED);
        this.skipping = false;
        line[0] = b;
        len = 1;
      } else if (b === CR || b === LF) {
        this.skipping = false;
        if (len > 0) {
          this.len = 0;
          decoded += this.finish(len);
          len = 0;
        }
      } else if (len === 0) {
        if (!this.skipping) {
          this.skipping = true;
          this.reject(NmeaReject.NOISE);
        }
      } else if (b < 32 || b > 126) {
        len = 0;
        this.skipping = true;
        this.reject(NmeaReject.BINARY);
      } else if (len === MAX_LINE) {
        len = 0;
        this.skipping = true;
        this.reject(NmeaReject.TOO_LONG);
      } else {
        line[len++] = b;
      }
    }
    this.len = len;
    return decoded;
  }

  private reject(reason: NmeaRejectReason): number {
    this.stats[statOf(reason)]++;
    const cb = this.onReject;
    if (cb !== null) cb(reason);
    return 0;
  }

  /** Checks and decodes the complete line line[0..len); returns 1 when a sentence was delivered. */
  private finish(len: number): number {
    const line = this.line;
    const f = this.fields;
    const start = f.start;
    const end = f.end;
    let x = 0;
    let star = -1;
    let n = 0;
    start[0] = 1;
    for (let i = 1; i < len; i++) {
      const b = line[i] as number;
      if (b === STAR) {
        star = i;
        break;
      }
      x ^= b;
      if (b === COMMA) {
        end[n] = i;
        if (++n === MAX_FIELDS) return this.reject(NmeaReject.BAD_FIELD);
        start[n] = i + 1;
      }
    }
    if (star < 0) return this.reject(NmeaReject.MISSING_CHECKSUM);
    end[n] = star;
    f.count = n + 1;
    if (len < star + 3) return this.reject(NmeaReject.BAD_CHECKSUM);
    const hi = hexValue(line[star + 1] as number);
    const lo = hexValue(line[star + 2] as number);
    if (hi < 0 || lo < 0 || ((hi << 4) | lo) !== x) return this.reject(NmeaReject.BAD_CHECKSUM);
    if (len > star + 3) return this.reject(NmeaReject.JUNK_AFTER_CHECKSUM);
    const entry = line[0] === DOLLAR && end[0] === 6 ? this.lookup() : null;
    if (entry === null) return this.reject(NmeaReject.UNKNOWN_TYPE);
    if (n < entry.minFields) return this.reject(NmeaReject.TOO_FEW_FIELDS);
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
