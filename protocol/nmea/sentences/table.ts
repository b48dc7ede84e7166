// The sentence table (gpsd's: name, minimum fields, handler). Adding a sentence = one file + one line here.
// `minFields` counts the data fields after the address; shorter sentences are rejected as TOO_FEW_FIELDS.
import { typeCode } from '../codes.js';
import type { NmeaFields } from '../fields.js';
import type { NmeaSentence, NmeaType } from '../sentence.js';
import { decodeGga } from './gga.js';
import { decodeGll } from './gll.js';
import { decodeGns } from './gns.js';
import { decodeGsa } from './gsa.js';
import { decodeGsv } from './gsv.js';
import { decodeRmc } from './rmc.js';
import { decodeVtg } from './vtg.js';
import { decodeZda } from './zda.js';

/** Fills `s` from the fields; returns 0 or an NmeaReject reason. */
export type SentenceHandler = (f: NmeaFields, s: NmeaSentence) => number;

/** One row of the table. */
export interface SentenceEntry {
  readonly type: NmeaType;
  /** The three type letters packed by typeCode(). */
  readonly code: number;
  readonly minFields: number;
  readonly decode: SentenceHandler;
}

const row = (type: NmeaType, minFields: number, decode: SentenceHandler): SentenceEntry => ({
  type,
  code: typeCode(type),
  minFields,
  decode,
});

/** Most frequent first: the lookup is a linear scan. */
export const SENTENCES: readonly SentenceEntry[] = [
  row('GSV', 3, decodeGsv),
  row('GGA', 9, decodeGga),
  row('RMC', 11, decodeRmc),
  row('GSA', 17, decodeGsa),
  row('VTG', 4, decodeVtg),
  row('GLL', 6, decodeGll),
  row('ZDA', 4, decodeZda),
  row('GNS', 12, decodeGns),
];
