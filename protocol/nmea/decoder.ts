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
// Zero allocation: a complete line is framed in place in the caller's bytes (checksum and field offsets in the
// same pass); only a line cut by the end of a push is copied, into a buffer made once, and framed there when it
// is complete. The field offsets, the scratch values and the record are made once too; state is kept in number
// fields and parsed values go through typed arrays, so decoding allocates nothing.
import * as codes from './codes.js';
import * as fields from './fields.js';
import * as reasons from './reject.js';
import type { NmeaRejectReason } from './reject.js';
import { NmeaSentence } from './sentence.js';
import * as table from './sentences/table.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { talkerOf } = codes;
const { FRAME, NmeaFields, closeFields, fieldStart, frameLine } = fields;
const { clearKind, decodeKind, kindFor, minFieldsOf, typeOf } = table;
const { MAX_LINE, NmeaReject } = reasons;

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
const CR = 13;
const LF = 10;
/** MAX_LINE under a module-private name: V8 folds it into the code; an imported binding is a load per use. */
const LINE = MAX_LINE;

/** Value of each byte as a hex digit (either case), -1 when it is not one: one load instead of three tests. */
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) HEX[65 + c] = HEX[97 + c] = 10 + c;

/**
 * The offset of the first CR, LF, `$` or `!` in bytes[i..end), or end: the rest of a noise run or of a dropped
 * line, skipped by a loop with nothing else in it (binary runs and cut lines are a few percent of a capture).
 */
function skipNoise(bytes: Uint8Array, i: number, end: number): number {
  for (; i < end; i++) {
    const b = bytes[i] as number;
    if (b === DOLLAR || b === BANG || b === CR || b === LF) break;
  }
  return i;
}

/** Decodes a byte stream of NMEA 0183 sentences, cut anywhere into chunks. */
export class NmeaDecoder {
  /**
   * Called once per valid sentence with the reused record: read it, or copy it (copySentence), and return.
   * Do not call push() on the same decoder from inside it.
   */
  onSentence: ((s: NmeaSentence) => void) | null = null;
  /** Called once per dropped line or noise run with the reason (counted in `stats` as statOf(reason)). */
  onReject: ((reason: NmeaRejectReason) => void) | null = null;
  readonly stats: NmeaStats = { sentences: 0, badChecksum: 0, missingChecksum: 0, framing: 0, unknown: 0 };

  /**
   * A line cut by the end of a push is copied here, up to the byte that ends it (so one byte more than MAX_LINE
   * plus that byte), then framed by the same code as a line inside a chunk.
   */
  private readonly line = new Uint8Array(MAX_LINE + 2);
  private readonly fields = new NmeaFields(this.line);
  private readonly record = new NmeaSentence();
  /** The kind (sentences/table.ts) whose handler last wrote the record (0: the record is as cleared). */
  private last = 0;
  /** Bytes of the carried line (0: none). */
  private len = 0;
  /**
   * 1 while skipping bytes up to the next line end or `$` (noise, overlong or binary line already counted), else
   * 0 (a number, not a boolean: V8 tests a number field with one comparison, a boolean one as any value).
   */
  private skipping = 0;

  /** Feeds bytes[start..end); returns the number of valid sentences delivered during this call. */
  push(bytes: Uint8Array, start = 0, end: number = bytes.length): number {
    if (start < 0) start = 0;
    if (end > bytes.length) end = bytes.length;
    const before = this.stats.sentences;
    let i = start;
    if (this.len !== 0) i = this.carry(bytes, i, end);
    while (i < end) {
      const b = bytes[i] as number;
      if (b === DOLLAR || b === BANG) {
        this.skipping = 0;
        i = this.scan(bytes, i, end);
      } else if (b === CR || b === LF) {
        this.skipping = 0;
        i++;
      } else {
        if (this.skipping === 0) {
          this.skipping = 1;
          this.reject(NmeaReject.NOISE);
        }
        i = skipNoise(bytes, i + 1, end);
      }
    }
    return this.stats.sentences - before;
  }

  /**
   * The fast path: frames the line starting at bytes[i] (`$` or `!`) in place, without copying, checksum and
   * field offsets computed in the same pass. Returns where the outer loop continues.
   */
  private scan(bytes: Uint8Array, i: number, end: number): number {
    // One byte past MAX_LINE is looked at: a line end there still closes a line of MAX_LINE bytes.
    const limit = end < i + LINE + 1 ? end : i + LINE + 1;
    // A plain loop: four bytes per turn with one range test by OR arithmetic ran more instructions (registers
    // spilled), and so did a second offset array for the field ends.
    const j = frameLine(bytes, i, limit);
    if (j < limit) {
      const b = bytes[j] as number;
      if (b === CR || b === LF) {
        this.finish(bytes, i, j, FRAME[0] as number, FRAME[1] as number, FRAME[2] as number);
        // The line end is consumed here (CRLF whole), saving push's loop a turn or two per line; `skipping` is
        // already 0 (set at the `$`).
        const next = j + 1;
        return b === CR && next < end && bytes[next] === LF ? next + 1 : next;
      }
      if (b === DOLLAR || b === BANG) {
        this.reject(NmeaReject.UNTERMINATED);
        return j;
      }
      this.skipping = 1;
      this.reject(NmeaReject.BINARY);
      return j + 1;
    }
    if (j === end && j - i <= LINE) {
      // Cut by the end of this push: carry it over.
      const line = this.line;
      const len = end - i;
      for (let k = 0; k < len; k++) line[k] = bytes[i + k] as number;
      this.len = len;
      return end;
    }
    this.skipping = 1;
    this.reject(NmeaReject.TOO_LONG);
    return j;
  }

  /**
   * The slow path: adds bytes to a carried-over line up to the byte that ends it (CR, LF, `$`, `!`, control,
   * non-ASCII) or one byte past MAX_LINE, then frames the line with scan(), which decides as it would have
   * with the whole line in one chunk. Returns where the outer loop continues.
   */
  private carry(bytes: Uint8Array, i: number, end: number): number {
    const line = this.line;
    const carried = this.len;
    const from = i;
    let len = carried;
    for (; i < end && len <= LINE; i++) {
      const b = bytes[i] as number;
      line[len++] = b;
      if (b < 32 || b > 126 || b === DOLLAR || b === BANG) break; // i stays on it: the line is complete
    }
    if (i === end && len <= LINE) {
      this.len = len; // still cut: wait for the next push
      return end;
    }
    this.len = 0;
    // line[carried..len) are bytes[from..): where scan() stops in `line` is that far into this chunk.
    return from + this.scan(line, 0, len) - carried;
  }

  private reject(reason: NmeaRejectReason): number {
    const stats = this.stats;
    // Named stores (not stats[statOf(reason)]): a keyed store with a computed key is slow in V8.
    if (reason === NmeaReject.UNKNOWN_TYPE) stats.unknown++;
    else if (reason === NmeaReject.BAD_CHECKSUM) stats.badChecksum++;
    else if (reason === NmeaReject.MISSING_CHECKSUM) stats.missingChecksum++;
    else stats.framing++; // statOf() maps every other reason to framing (test/protocol/nmea checks they agree)
    const cb = this.onReject;
    if (cb !== null) cb(reason);
    return 0;
  }

  /**
   * Checks and decodes the complete line buf[base..lineEnd) (`$` at base, line end excluded). `x` is the XOR
   * of buf[base+1..lineEnd), `star` the offset of the first `*` (or -1), `commas` the number of commas, whose
   * field offsets are already in `fields`. Delivers the sentence or counts the rejection.
   */
  private finish(buf: Uint8Array, base: number, lineEnd: number, x: number, star: number, commas: number): void {
    if (star < 0) {
      this.reject(NmeaReject.MISSING_CHECKSUM);
      return;
    }
    // XOR of buf[base+1..star): take the `*` and what follows it back out (usually just `*hh`). The two digits
    // are read once (each read of the caller's array is a map check, two pointer loads and a bounds check).
    const h = star + 2 < lineEnd ? (buf[star + 1] as number) : 0;
    const l = star + 2 < lineEnd ? (buf[star + 2] as number) : 0;
    let body = x;
    if (lineEnd === star + 3) body ^= STAR ^ h ^ l;
    else for (let k = star; k < lineEnd; k++) body ^= buf[k] as number;
    const hi = HEX[h] as number; // HEX[0] is -1
    const lo = HEX[l] as number;
    if (hi < 0 || lo < 0 || ((hi << 4) | lo) !== body) {
      this.reject(NmeaReject.BAD_CHECKSUM);
      return;
    }
    if (lineEnd > star + 3) {
      this.reject(NmeaReject.JUNK_AFTER_CHECKSUM);
      return;
    }
    const f = this.fields;
    if (f.buf !== buf) f.buf = buf; // a store of an object costs a write barrier: only when it changes
    closeFields(commas, star); // the last field ends at the `*`
    f.count = commas + 1;
    const k =
      buf[base] === DOLLAR && fieldStart(1) === base + 7
        ? kindFor(buf[base + 3] as number, buf[base + 4] as number, buf[base + 5] as number)
        : 0;
    if (k === 0) {
      this.reject(NmeaReject.UNKNOWN_TYPE);
      return;
    }
    if (commas < minFieldsOf(k)) {
      this.reject(NmeaReject.TOO_FEW_FIELDS);
      return;
    }
    const s = this.record;
    // A handler writes only fields of its own type, and on success every one of them (absent ones as absent):
    // so when the type changes only the previous type's fields need clearing (GGA and RMC alternate: about 12
    // stores instead of 35), and none when it repeats (GSV comes in runs of 3-4). `last` is the kind whose
    // handler wrote the record last, whether it succeeded or not; `type` is written with it (a string store
    // costs a write barrier), since the record is only seen after a success of that same kind.
    const last = this.last;
    if (k !== last) {
      clearKind(last, s);
      this.last = k;
      s.type = typeOf(k);
    }
    const reason = decodeKind(k, f, s);
    if (reason !== 0) {
      this.reject(reason as NmeaRejectReason);
      return;
    }
    // The talker string only when the two talker bytes change (they are the same for runs of sentences).
    const talker = ((buf[base + 1] as number) << 8) | (buf[base + 2] as number);
    if (talker !== s.talkerCode) {
      s.talker = talkerOf(talker >> 8, talker & 255);
      s.talkerCode = talker;
    }
    this.stats.sentences++;
    const cb = this.onSentence;
    if (cb !== null) cb(s);
  }
}
