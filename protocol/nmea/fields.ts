// The byte-level field scanner. The decoder splits a checked line into fields (start offsets into the caller's
// bytes, or into its own buffer for a line cut across pushes); the helpers below parse field i and write the
// value into `NUM[i]` (the scratch slot of that field) and return a small integer status, never a double: a
// double returned from a helper that is not inlined is boxed on the heap (see DESIGN.md, "Zero allocation in V8").
// Every helper treats a field past the end of the sentence as empty. A helper writes its slot once: NaN for an
// empty field, the value for a good one; after FIELD_BAD the slot is not to be read.
//
// The offsets and the scratch values live in typed arrays made once for the module, not per decoder: V8's
// optimising compiler folds a module-level `const` typed array into a constant address, so an access costs a
// bounds check and the load, instead of loading the array from an object, checking its map and loading its
// backing store every time (measured: the framing loop ran a third fewer instructions). They hold one sentence
// at a time: the decoder fills them, the handler reads them, and both are done before `onSentence` is called,
// so decoders may be nested (one decoding inside another's callback) but nothing may keep them across a call.

import { MAX_LINE } from './reject.js';

/** Most fields a line of MAX_LINE characters can hold (so that the framing loop never checks). */
export const MAX_FIELDS = MAX_LINE + 1;

// Module-private names for the statuses too (see below: an exported constant is a cell load in optimised code).
const OK = 0;
const BAD = 1;
/** Helper status: the field parsed (or was empty, value NaN). */
export const FIELD_OK = OK;
/** Helper status: the field is present but malformed. */
export const FIELD_BAD = BAD;

// Each array is made once under a module-private name, used by the code of this module under that name, and
// exported under a second one. V8 (Node 20) folds a private module `const` into a constant address; an exported
// binding lives in a cell that the optimised code loads and checks on every access (seen in --print-opt-code).
const at = new Int32Array(MAX_FIELDS + 1);
const num = new Float64Array(MAX_FIELDS);
// More than 64 bytes each: V8 keeps smaller typed arrays inside its heap, where they move, so their address is
// not folded (their pointers are loaded at every use).
const ymd = new Float64Array(16);
const frame = new Int32Array(32);

/**
 * Field i of the current line spans buf[AT[i]] .. buf[AT[i + 1] - 2], i.e. up to the byte before the comma (or
 * the `*`) that ends it: AT[count] is one past the `*`. Field 0 is the address (talker + type).
 */
export const AT: Int32Array = at;
/** Parsed values, by field index. */
export const NUM: Float64Array = num;
/** Day, month, four-digit year written by {@link date}. */
export const YMD: Float64Array = ymd;
/** What {@link frameLine} found besides the stop: XOR of the bytes after `$`, offset of the first `*` (or -1), commas. */
export const FRAME: Int32Array = frame;

/** Sets where the last field ends: one past the `*` at offset `star`, the field count being commas + 1. */
export function closeFields(commas: number, star: number): void {
  at[commas + 1] = star + 1;
}

/** Where field i starts. */
export function fieldStart(i: number): number {
  return at[i] as number;
}

/** The current line: its bytes and its number of fields (the offsets are in {@link AT}). */
export class NmeaFields {
  /** Number of fields, address included. */
  count = 0;
  /** The bytes the offsets point into: the caller's chunk, or the decoder's line buffer for a carried line. */
  constructor(public buf: Uint8Array) {}
}

/**
 * Frames the line whose `$` (or `!`) is at bytes[i]: looks at bytes[i+1..limit) up to the first byte that cannot
 * be inside a line (CR, LF, `$`, `!`, control, non-ASCII) and returns its offset (or `limit`). On the way it
 * computes the XOR of the bytes, the first `*`, and the start of every field into AT (FRAME holds the rest).
 * Offsets are int32, as AT is (chunks below 2 GiB).
 *
 * Here, beside AT, because the loop must not load AT from another module (see above).
 */
export function frameLine(bytes: Uint8Array, i: number, limit: number): number {
  let x = 0;
  let star = -1;
  let n = 0;
  at[0] = i + 1;
  let j = i + 1;
  // Two bytes per turn: one loop check, one interrupt check and one map check of `bytes` for two bytes. The
  // usual bytes ('-'..'~': digits, letters, '.', '-') pass one unsigned test each; a pair holding anything else
  // (a comma, the `*`, the line end) is looked at byte by byte inside the same turn.
  const last = limit - 1;
  for (; j < last; j = (j + 2) | 0) {
    const b0 = bytes[j] as number;
    const b1 = bytes[(j + 1) | 0] as number;
    const o0 = b0 - 45 >>> 0 > 81;
    const o1 = b1 - 45 >>> 0 > 81;
    if (o0 || o1) {
      // Each byte's special tests only when that byte failed the range test: in GSV and GSA a comma comes every
      // two or three bytes, and the other byte of its pair is usually a digit.
      if (o0) {
        if (b0 === 44) {
          n = (n + 1) | 0;
          at[n] = (j + 1) | 0; // ','
        } else if (b0 === 42) {
          if (star < 0) star = j; // '*'
        } else if (b0 < 32 || b0 > 126 || b0 === 36 || b0 === 33) {
          break; // CR, LF, '$', '!', control or non-ASCII
        }
      }
      if (o1) {
        if (b1 === 44) {
          n = (n + 1) | 0;
          at[n] = (j + 2) | 0;
        } else if (b1 === 42) {
          if (star < 0) star = (j + 1) | 0;
        } else if (b1 < 32 || b1 > 126 || b1 === 36 || b1 === 33) {
          x ^= b0;
          j = (j + 1) | 0;
          break;
        }
      }
    }
    x ^= b0 ^ b1;
  }
  // The last byte before the limit (or the line end found above: then j is on it and this stops at once).
  if (j < limit) {
    const b = bytes[j] as number;
    if (b - 45 >>> 0 > 81) {
      if (b === 44) {
        at[++n] = j + 1;
        x ^= b;
        j++;
      } else if (b === 42) {
        if (star < 0) star = j;
        x ^= b;
        j++;
      } else if (!(b < 32 || b > 126 || b === 36 || b === 33)) {
        x ^= b;
        j++;
      }
    } else {
      x ^= b;
      j++;
    }
  }
  frame[0] = x;
  frame[1] = star;
  frame[2] = n;
  return j;
}

const POW10 = new Float64Array(23);
for (let i = 0, p = 1; i < 23; i++, p *= 10) POW10[i] = p;

/** Decimal number, optional sign: "12.5", "-0.3", "005", ".5", "5.". Writes num[i]. */
export function decimal(f: NmeaFields, i: number): number {
  const out = num;
  if (i >= f.count) {
    out[i] = NaN;
    return OK;
  }
  const b = f.buf;
  let p = at[i] as number;
  const e = (at[i + 1] as number) - 1;
  if (p === e) {
    out[i] = NaN;
    return OK;
  }
  const c = b[p] as number;
  const neg = c === 45;
  if (neg || c === 43) p++;
  const first = p;
  if (e - first > 15) return longDecimal(b, first, e, neg, i);
  // Two characters per turn (half the loop overhead): two digits, or a digit and the point. With at most 15
  // digits every step is exact, so v is the value of the digits whatever the grouping.
  let v = 0;
  let dot = -1;
  for (; p + 1 < e; p += 2) {
    const d0 = (b[p] as number) - 48;
    const d1 = (b[p + 1] as number) - 48;
    if ((d0 | d1) >= 0 && ((d0 + 6) | (d1 + 6)) <= 15) {
      v = v * 100 + (d0 * 10 + d1);
    } else if (d0 === -2 && dot < 0 && d1 >>> 0 <= 9) {
      dot = p; // '.' then a digit
      v = v * 10 + d1;
    } else if (d1 === -2 && dot < 0 && d0 >>> 0 <= 9) {
      dot = p + 1; // a digit then '.'
      v = v * 10 + d0;
    } else {
      return BAD;
    }
  }
  if (p < e) {
    const d0 = (b[p] as number) - 48;
    if (d0 >>> 0 <= 9) v = v * 10 + d0;
    else if (d0 === -2 && dot < 0) dot = p;
    else return BAD;
  }
  if (dot >= 0) {
    if (e - first === 1) return BAD; // '.' alone
    const scale = e - dot - 1;
    if (scale !== 0) v = v / (POW10[scale] as number); // at most 15 decimals here
  } else if (e === first) {
    return BAD; // a sign alone
  }
  out[i] = neg ? -v : v;
  return OK;
}

/** decimal() for more than 15 characters after the sign (never seen in practice): one digit per step. */
function longDecimal(b: Uint8Array, p: number, e: number, neg: boolean, i: number): number {
  let v = 0;
  let digits = 0;
  let scale = 0;
  let dot = false;
  for (; p < e; p++) {
    const c = b[p] as number;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (dot) scale++;
    } else if (c === 46 && !dot) {
      dot = true;
    } else {
      return BAD;
    }
  }
  if (digits === 0 || scale > 22) return BAD;
  if (scale !== 0) v = v / (POW10[scale] as number); // v / 1 is v: an integer needs no division
  num[i] = neg ? -v : v;
  return OK;
}

/** Unsigned integer (digits only): "07", "12". Writes num[i]. */
export function integer(f: NmeaFields, i: number): number {
  const out = num;
  if (i >= f.count) {
    out[i] = NaN;
    return OK;
  }
  const b = f.buf;
  const s = at[i] as number;
  const e = (at[i + 1] as number) - 1;
  if (s === e) {
    out[i] = NaN;
    return OK;
  }
  if (e - s > 9) return BAD;
  let v = 0;
  for (let p = s; p < e; p++) {
    const c = b[p] as number;
    if (c - 48 >>> 0 > 9) return BAD; // not a digit (one unsigned test)
    v = v * 10 + (c - 48);
  }
  out[i] = v;
  return OK;
}

/**
 * Fields from .. to-1 as numbers into num[]: each an unsigned integer of one to three digits (satellite numbers,
 * elevations, azimuths, SNR, counts: read here, in one loop, without a call per field), or else parsed by
 * integer(), or by decimal() where bit (i - from) of `decimals` is set (so the results are those helpers').
 * Returns the OR of the statuses. GSV and GSA are mostly such fields (19 in a full GSV).
 */
export function numbers(f: NmeaFields, from: number, to: number, decimals: number): number {
  const out = num;
  const b = f.buf;
  const present = to < f.count ? to : f.count;
  let bad = OK;
  let i = from;
  let next = at[i] as number; // field i starts here; it ends one before where field i + 1 starts
  for (; i < present; i++) {
    const s = next;
    next = at[i + 1] as number;
    // `| 0`: int32 arithmetic without overflow checks (offsets are below 2^31).
    const n = (next - 1 - s) | 0;
    if (n === 0) {
      out[i] = NaN;
      continue;
    }
    if (n <= 3) {
      // The three bytes are read whatever the length: a field is followed by its comma or the `*`, and the `*`
      // by two checked digits, so s + 2 is inside the line. d is a digit when d >= 0 (no sign bit in the OR)
      // and d + 6 <= 15 (no bit above the low four); the bytes past the field are left out of the tests.
      const d0 = (b[s] as number) - 48;
      const d1 = (b[(s + 1) | 0] as number) - 48;
      const d2 = (b[(s + 2) | 0] as number) - 48;
      if (n === 2) {
        if ((d0 | d1) >= 0 && ((d0 + 6) | (d1 + 6)) <= 15) {
          out[i] = d0 * 10 + d1;
          continue;
        }
      } else if (n === 3) {
        if ((d0 | d1 | d2) >= 0 && ((d0 + 6) | (d1 + 6) | (d2 + 6)) <= 15) {
          out[i] = (d0 * 10 + d1) * 10 + d2;
          continue;
        }
      } else if (d0 >>> 0 <= 9) {
        out[i] = d0;
        continue;
      }
    }
    bad |= ((decimals >>> (i - from)) & 1) !== 0 ? decimal(f, i) : integer(f, i);
  }
  for (; i < to; i++) out[i] = NaN; // past the end of the sentence: empty
  return bad;
}

/**
 * Latitude (max 90) or longitude (max 180) as "(d)ddmm.mmmm" in field i and its hemisphere letter in field i+1
 * (N/E positive, S/W negative). Writes signed decimal degrees to num[i]. A value without a hemisphere is bad.
 */
export function angle(f: NmeaFields, i: number, maxDeg: number): number {
  const out = num;
  if (i >= f.count) {
    out[i] = NaN;
    return OK;
  }
  const b = f.buf;
  const s = at[i] as number;
  const e = (at[i + 1] as number) - 1;
  if (s === e) {
    out[i] = NaN;
    return OK;
  }
  // Degrees and whole minutes are 3 to 5 digits, then a point or the end: find which, then read them without
  // a loop (see shortDigits). Any other shape (fewer or more digits, another character) is bad.
  const n = e - s;
  let w = n; // digits before the point
  if (n > 4 && b[s + 4] === 46) w = 4;
  else if (n > 5 && b[s + 5] === 46) w = 5;
  else if (n > 3 && b[s + 3] === 46) w = 3;
  else if (n > 5) return BAD; // no point where one can be, and too long to be all degrees and minutes
  if (w < 3) return BAD;
  const d0 = (b[s] as number) - 48;
  const d1 = (b[s + 1] as number) - 48;
  const d2 = (b[s + 2] as number) - 48;
  const d3 = w > 3 ? (b[s + 3] as number) - 48 : 0;
  const d4 = w > 4 ? (b[s + 4] as number) - 48 : 0;
  if ((d0 | d1 | d2 | d3 | d4) < 0 || ((d0 + 6) | (d1 + 6) | (d2 + 6) | (d3 + 6) | (d4 + 6)) > 15) return BAD;
  // dd mm / ddd mm / d mm
  const deg = w === 4 ? d0 * 10 + d1 : w === 5 ? (d0 * 10 + d1) * 10 + d2 : d0;
  const minInt = w === 4 ? d2 * 10 + d3 : w === 5 ? d3 * 10 + d4 : d1 * 10 + d2;
  if (minInt >= 60) return BAD;
  // The fraction of a minute, at most 15 digits (an exact integer below 2^53), two digits per turn.
  let frac = 0;
  let scale = 0;
  if (w < n) {
    let p = s + w + 1;
    scale = e - p;
    if (scale > 15) return BAD;
    for (; p + 1 < e; p += 2) {
      const f0 = (b[p] as number) - 48;
      const f1 = (b[p + 1] as number) - 48;
      if ((f0 | f1) < 0 || ((f0 + 6) | (f1 + 6)) > 15) return BAD;
      frac = frac * 100 + (f0 * 10 + f1);
    }
    if (p < e) {
      const f0 = (b[p] as number) - 48;
      if (f0 >>> 0 > 9) return BAD;
      frac = frac * 10 + f0;
    }
  }
  // deg + (minInt + frac / 10^scale) / 60 as one division of two exact integers (below 2^53 up to 11 decimals of
  // a minute): the double nearest the exact value, and one division where the sum of parts took two (a division
  // is the slowest step here). Longer fractions (never seen) take the sum of parts.
  const p10 = POW10[scale] as number;
  const v = scale <= 11 ? ((deg * 60 + minInt) * p10 + frac) / (60 * p10) : deg + (minInt + frac / p10) / 60;
  if (v > maxDeg) return BAD;
  const h = i + 1 < f.count && at[i + 2] === (at[i + 1] as number) + 2 ? (b[at[i + 1] as number] as number) : 0;
  if (h === 78 || h === 69) out[i] = v; // N, E
  else if (h === 83 || h === 87) out[i] = -v; // S, W
  else return BAD;
  return OK;
}

/** UTC time "hhmmss" or "hhmmss.sss" -> milliseconds since midnight in num[i]. */
export function timeOfDay(f: NmeaFields, i: number): number {
  const out = num;
  if (i >= f.count) {
    out[i] = NaN;
    return OK;
  }
  const b = f.buf;
  const s = at[i] as number;
  const e = (at[i + 1] as number) - 1;
  if (s === e) {
    out[i] = NaN;
    return OK;
  }
  if (e - s < 6) return BAD;
  // The six digits read once each. d is a digit when d >= 0 (no sign bit in the OR) and d + 6 <= 15 (no bit
  // above the low four in the OR of the d + 6).
  const d0 = (b[s] as number) - 48;
  const d1 = (b[s + 1] as number) - 48;
  const d2 = (b[s + 2] as number) - 48;
  const d3 = (b[s + 3] as number) - 48;
  const d4 = (b[s + 4] as number) - 48;
  const d5 = (b[s + 5] as number) - 48;
  if ((d0 | d1 | d2 | d3 | d4 | d5) < 0 || ((d0 + 6) | (d1 + 6) | (d2 + 6) | (d3 + 6) | (d4 + 6) | (d5 + 6)) > 15) {
    return BAD;
  }
  const hh = d0 * 10 + d1;
  const mm = d2 * 10 + d3;
  const ss = d4 * 10 + d5;
  if (hh > 23 || mm > 59 || ss > 60) return BAD;
  let frac = 0;
  let scale = 0;
  if (e > s + 6) {
    if (b[s + 6] !== 46) return BAD;
    scale = e - s - 7;
    if (scale > 15) return BAD;
    // Two digits per turn (exact: at most 15 digits).
    let p = s + 7;
    for (; p + 1 < e; p += 2) {
      const f0 = (b[p] as number) - 48;
      const f1 = (b[p + 1] as number) - 48;
      if ((f0 | f1) < 0 || ((f0 + 6) | (f1 + 6)) > 15) return BAD;
      frac = frac * 100 + (f0 * 10 + f1);
    }
    if (p < e) {
      const f0 = (b[p] as number) - 48;
      if (f0 >>> 0 > 9) return BAD;
      frac = frac * 10 + f0;
    }
  }
  // Up to milliseconds the fraction is an exact integer number of ms: no division (the same value).
  const ms = scale <= 3 ? frac * (POW10[3 - scale] as number) : (frac * 1000) / (POW10[scale] as number);
  out[i] = ((hh * 60 + mm) * 60 + ss) * 1000 + ms;
  return OK;
}

/**
 * RMC date "ddmmyy" in field i: writes day, month and four-digit year to ymd[0..2].
 * Two-digit years: 80-99 -> 19xx, 00-79 -> 20xx.
 */
export function date(f: NmeaFields, i: number): number {
  const out = ymd;
  out[0] = NaN;
  out[1] = NaN;
  out[2] = NaN;
  if (i >= f.count) return OK;
  const b = f.buf;
  const s = at[i] as number;
  const e = (at[i + 1] as number) - 1;
  if (s === e) return OK;
  if (e - s !== 6) return BAD;
  for (let p = s; p < e; p++) {
    const c = b[p] as number;
    if (c - 48 >>> 0 > 9) return BAD; // not a digit (one unsigned test)
  }
  const dd = ((b[s] as number) - 48) * 10 + ((b[s + 1] as number) - 48);
  const mo = ((b[s + 2] as number) - 48) * 10 + ((b[s + 3] as number) - 48);
  const yy = ((b[s + 4] as number) - 48) * 10 + ((b[s + 5] as number) - 48);
  if (dd < 1 || dd > 31 || mo < 1 || mo > 12) return BAD;
  out[0] = dd;
  out[1] = mo;
  out[2] = yy >= 80 ? 1900 + yy : 2000 + yy;
  return OK;
}

/**
 * A one-letter field: returns its byte, 0 when empty or past the end, -1 when it is longer than one
 * character or not a letter or digit.
 */
export function letter(f: NmeaFields, i: number): number {
  if (i >= f.count) return 0;
  const s = at[i] as number;
  const e = (at[i + 1] as number) - 1;
  if (s === e) return 0;
  if (e - s !== 1) return -1;
  const c = f.buf[s] as number;
  if ((c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return c;
  return -1;
}

/** True when field i is empty or exactly the one character `c` (unit fields such as 'M', 'T', 'N', 'K'). */
export function unitIs(f: NmeaFields, i: number, c: number): boolean {
  const l = letter(f, i);
  return l === 0 || l === c;
}

/** One hexadecimal digit (NMEA 4.11 signal id, 0-F). Writes num[i]. */
export function hexDigit(f: NmeaFields, i: number): number {
  const out = num;
  if (i >= f.count) {
    out[i] = NaN;
    return OK;
  }
  const s = at[i] as number;
  const e = (at[i + 1] as number) - 1;
  if (s === e) {
    out[i] = NaN;
    return OK;
  }
  if (e - s !== 1) return BAD;
  const c = f.buf[s] as number;
  if (c >= 48 && c <= 57) out[i] = c - 48;
  else if (c >= 65 && c <= 70) out[i] = c - 55;
  else return BAD;
  return OK;
}
