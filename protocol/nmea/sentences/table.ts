// The sentence table (gpsd's: name, minimum fields, handler). Adding a sentence = one file + one line here.
// `minFields` counts the data fields after the address; shorter sentences are rejected as TOO_FEW_FIELDS.
import { typeCode } from '../codes.js';
import type { NmeaFields } from '../fields.js';
import type { NmeaSentence, NmeaType } from '../sentence.js';
import { clearGga, decodeGga } from './gga.js';
import { clearGll, decodeGll } from './gll.js';
import { clearGns, decodeGns } from './gns.js';
import { clearGsa, decodeGsa } from './gsa.js';
import { clearGsv, decodeGsv } from './gsv.js';
import { clearRmc, decodeRmc } from './rmc.js';
import { clearVtg, decodeVtg } from './vtg.js';
import { clearZda, decodeZda } from './zda.js';

/** Fills `s` from the fields; returns 0 or an NmeaReject reason. */
export type SentenceHandler = (f: NmeaFields, s: NmeaSentence) => number;

/** One row of the table. */
export interface SentenceEntry {
  readonly type: NmeaType;
  /** The three type letters packed by typeCode(). */
  readonly code: number;
  readonly minFields: number;
  readonly decode: SentenceHandler;
  /** Sets every field `decode` may write back to absent. */
  readonly clear: (s: NmeaSentence) => void;
}

const row = (type: NmeaType, minFields: number, decode: SentenceHandler, clear: (s: NmeaSentence) => void): SentenceEntry => ({
  type,
  code: typeCode(type),
  minFields,
  decode,
  clear,
});

// Under a module-private name for sentenceFor (an exported binding is a cell load in V8's optimised code).
const rows: readonly SentenceEntry[] = [
  row('GSV', 3, decodeGsv, clearGsv),
  row('GGA', 9, decodeGga, clearGga),
  row('RMC', 11, decodeRmc, clearRmc),
  row('GSA', 17, decodeGsa, clearGsa),
  row('VTG', 4, decodeVtg, clearVtg),
  row('GLL', 6, decodeGll, clearGll),
  row('ZDA', 4, decodeZda, clearZda),
  row('GNS', 12, decodeGns, clearGns),
];

/** The decoded sentence types (looked up through {@link sentenceFor}, not by scanning). */
export const SENTENCES: readonly SentenceEntry[] = rows;

/** Index into SENTENCES + 1 for every three-letter type 'AAA'..'ZZZ' ((a * 26 + b) * 26 + c), 0 for none. */
const BY_LETTERS = new Uint8Array(26 * 26 * 26);
SENTENCES.forEach((e, k) => {
  const a = e.type.charCodeAt(0) - 65;
  const b = e.type.charCodeAt(1) - 65;
  const c = e.type.charCodeAt(2) - 65;
  BY_LETTERS[(a * 26 + b) * 26 + c] = k + 1;
});

/**
 * The table row for the three type letters (byte values), or null: one load from a table made at start-up
 * instead of a scan of the rows (a third of the lines of a capture are types we do not decode, which scanned
 * every row).
 */
export function sentenceFor(x: number, y: number, z: number): SentenceEntry | null {
  const a = x - 65;
  const b = y - 65;
  const c = z - 65;
  if (a < 0 || a > 25 || b < 0 || b > 25 || c < 0 || c > 25) return null;
  const k = BY_LETTERS[(a * 26 + b) * 26 + c] as number;
  return k === 0 ? null : (rows[k - 1] as SentenceEntry);
}
