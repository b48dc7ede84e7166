// The sentence table (gpsd's: name, minimum fields, handler). Adding a sentence = one file, one row here and one
// case in each of decodeKind and clearKind.
// `minFields` counts the data fields after the address; shorter sentences are rejected as TOO_FEW_FIELDS.
//
// A sentence type is known by its row number from 1 (its "kind"; 0 is none), and the handlers are reached
// through a switch on it, not through a function stored in the row: a call through a property whose value
// differs from sentence to sentence is a generic call in V8's optimised code (the Call builtin, about 30
// instructions per sentence), while a switch gives each call site one target, which V8 calls directly or
// inlines.
import type { NmeaFields } from '../fields.js';
import type { NmeaSentence, NmeaType } from '../sentence.js';
import * as gga from './gga.js';
import * as gll from './gll.js';
import * as gns from './gns.js';
import * as gsa from './gsa.js';
import * as gsv from './gsv.js';
import * as rmc from './rmc.js';
import * as vtg from './vtg.js';
import * as zda from './zda.js';

// Imported values under module-private names: V8 folds a module `const` into the optimised code (a direct
// call, a constant address), while an imported binding is a cell load and check at every use.
const { clearGga, decodeGga } = gga;
const { clearGll, decodeGll } = gll;
const { clearGns, decodeGns } = gns;
const { clearGsa, decodeGsa } = gsa;
const { clearGsv, decodeGsv } = gsv;
const { clearRmc, decodeRmc } = rmc;
const { clearVtg, decodeVtg } = vtg;
const { clearZda, decodeZda } = zda;

/** One row of the table. */
export interface SentenceRow {
  readonly type: NmeaType;
  readonly minFields: number;
}

// Under a module-private name (an exported binding is a cell load in V8's optimised code). The kind of a row
// is its index + 1; the switches below must follow the same order.
const rows: readonly SentenceRow[] = [
  { type: 'GSV', minFields: 3 },
  { type: 'GGA', minFields: 9 },
  { type: 'RMC', minFields: 11 },
  { type: 'GSA', minFields: 17 },
  { type: 'VTG', minFields: 4 },
  { type: 'GLL', minFields: 6 },
  { type: 'ZDA', minFields: 4 },
  { type: 'GNS', minFields: 12 },
];

/** The decoded sentence types; row k - 1 is kind k. */
export const SENTENCES: readonly SentenceRow[] = rows;

/** Fills `s` from the fields of a sentence of kind k (1..8); returns 0 or an NmeaReject reason. */
export function decodeKind(k: number, f: NmeaFields, s: NmeaSentence): number {
  switch (k) {
    case 1:
      return decodeGsv(f, s);
    case 2:
      return decodeGga(f, s);
    case 3:
      return decodeRmc(f, s);
    case 4:
      return decodeGsa(f, s);
    case 5:
      return decodeVtg(f, s);
    case 6:
      return decodeGll(f, s);
    case 7:
      return decodeZda(f, s);
    default:
      return decodeGns(f, s);
  }
}

/** Sets every field decodeKind(k) may write back to absent (k = 0: nothing). */
export function clearKind(k: number, s: NmeaSentence): void {
  switch (k) {
    case 0:
      return;
    case 1:
      return clearGsv(s);
    case 2:
      return clearGga(s);
    case 3:
      return clearRmc(s);
    case 4:
      return clearGsa(s);
    case 5:
      return clearVtg(s);
    case 6:
      return clearGll(s);
    case 7:
      return clearZda(s);
    default:
      return clearGns(s);
  }
}

/** Minimum data fields by kind (index 0 unused), and the type strings by kind. */
const MIN_FIELDS = new Uint8Array(128);
const TYPES: NmeaType[] = ['GGA'];
rows.forEach((r, k) => {
  MIN_FIELDS[k + 1] = r.minFields;
  TYPES.push(r.type);
});

/** The least number of data fields of kind k. */
export function minFieldsOf(k: number): number {
  return MIN_FIELDS[k] as number;
}

/** The type string of kind k (interned). */
export function typeOf(k: number): NmeaType {
  return TYPES[k] as NmeaType;
}

/** For every three-letter type 'AAA'..'ZZZ' ((a * 26 + b) * 26 + c): its kind, 0 for none. */
const BY_LETTERS = new Uint8Array(26 * 26 * 26);
rows.forEach((e, k) => {
  const a = e.type.charCodeAt(0) - 65;
  const b = e.type.charCodeAt(1) - 65;
  const c = e.type.charCodeAt(2) - 65;
  BY_LETTERS[(a * 26 + b) * 26 + c] = k + 1;
});

/**
 * The kind of the three type letters (byte values), or 0: one load from a table made at start-up instead of a
 * scan of the rows (a third of the lines of a capture are types we do not decode, which scanned every row).
 */
export function kindFor(x: number, y: number, z: number): number {
  const a = x - 65;
  const b = y - 65;
  const c = z - 65;
  if (a < 0 || a > 25 || b < 0 || b > 25 || c < 0 || c > 25) return 0;
  return BY_LETTERS[(a * 26 + b) * 26 + c] as number;
}
