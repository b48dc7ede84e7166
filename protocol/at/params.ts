// Parameters of an information response (ITU-T V.250 5.7.2, 3GPP TS 27.007 4.1):
//
//   +CLIP: "+447700900456",145,,,"Smith, Jane",0
//          ^ quoted string     ^ ^ empty          ^ number
//
// Commas inside double quotes do not split; an empty parameter (",,") is kept as empty so positions stay right.
// V.250 escapes inside strings (`\22` for a quote) are decoded.

import { corrupt, notMine, parsedOk, type Parsed } from './parsed.js';

/** One parameter of a response line. */
export interface Param {
  /** The value without quotes (escapes decoded). */
  readonly value: string;
  readonly quoted: boolean;
  /** True for a parameter with nothing between the commas. */
  readonly empty: boolean;
}

/** Splits a parameter list; undefined when a quote is never closed. */
export function splitParams(text: string): Param[] | undefined {
  const out: Param[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && text[i] === ' ') i++;
    if (i < n && text[i] === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) return undefined;
      out.push({ value: unescape(text.slice(i + 1, close)), quoted: true, empty: false });
      i = close + 1;
      while (i < n && text[i] === ' ') i++;
      if (i < n && text[i] !== ',') return undefined;
    } else {
      const comma = text.indexOf(',', i);
      const raw = (comma < 0 ? text.slice(i) : text.slice(i, comma)).trim();
      out.push({ value: raw, quoted: false, empty: raw === '' });
      i = comma < 0 ? n : comma;
    }
    if (i >= n) return out;
    i++; // the comma
  }
}

function unescape(s: string): string {
  return s.includes('\\') ? s.replace(/\\([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))) : s;
}

/**
 * Strips an information response prefix (e.g. `+CSQ:`) and splits the rest. "not-mine" when the line does not
 * start with the prefix, "corrupt" on an unclosed quote.
 */
export function paramsAfter(line: string, prefix: string): Parsed<Param[]> {
  const t = line.trim();
  if (!t.toUpperCase().startsWith(prefix.toUpperCase())) return notMine(`not a ${prefix} line`);
  const params = splitParams(t.slice(prefix.length));
  return params === undefined ? corrupt(`${prefix} unclosed quote`) : parsedOk(params);
}

/** A parameter as a non-negative decimal integer, or undefined (absent, empty or not a number). */
export function intParam(params: readonly Param[], i: number): number | undefined {
  const p = params[i];
  if (p === undefined || p.empty || !/^\d{1,9}$/.test(p.value)) return undefined;
  return Number(p.value);
}

/** A parameter's text, or undefined when absent or empty. */
export function strParam(params: readonly Param[], i: number): string | undefined {
  const p = params[i];
  return p === undefined || p.empty ? undefined : p.value;
}

/** Quotes a string argument for a command line, refusing characters a command line cannot carry. */
export function quote(s: string): string | undefined {
  return /^[^"\r\n\x00-\x1f]*$/.test(s) ? `"${s}"` : undefined;
}
