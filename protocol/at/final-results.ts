// Final result codes: the line that ends a command's answer (ITU-T V.250 5.7.1, 3GPP TS 27.007 9.2,
// 3GPP TS 27.005 3.2.5). One table; the engine and every parser ask it, nothing else matches these words.
//
//   OK                         success
//   CONNECT 9600               success, data mode (text after CONNECT kept in `detail`)
//   ERROR                      failure, no reason
//   COMMAND NOT SUPPORT        the same, as Huawei/ZTE modems spell it (also TOO MANY PARAMETERS)
//   +CME ERROR: 10             failure, 27.007 code (numeric after AT+CMEE=1)
//   +CME ERROR: SIM not inserted   the same, verbose (AT+CMEE=2), mapped back to code 10
//   +CMS ERROR: 330            failure, 27.005 code
//   NO CARRIER / BUSY / NO ANSWER / NO DIALTONE   call progress: final for ATD/ATA/ATO only (`callProgress`);
//                              for any other command in flight, and when idle, they are unsolicited.

import { CME_ERROR_TABLE, type ErrorEntry } from './cme-errors.js';
import { CMS_ERROR_TABLE, cmsRangeName } from './cms-errors.js';

/** Every kind of final result a modem can send. */
export type FinalKind =
  | 'OK'
  | 'CONNECT'
  | 'ERROR'
  | 'CME_ERROR'
  | 'CMS_ERROR'
  | 'NO_CARRIER'
  | 'BUSY'
  | 'NO_ANSWER'
  | 'NO_DIALTONE';

/** A decoded `+CME ERROR` / `+CMS ERROR`. */
export interface ModemError {
  readonly family: 'CME' | 'CMS';
  /** Numeric code; undefined when the modem sent a text the table does not know. */
  readonly code: number | undefined;
  /** Constant name from the table (e.g. `SIM_NOT_INSERTED`), or a range name for unlisted codes. */
  readonly name: string;
  /** The spec's text for a known code, else what the modem sent. */
  readonly text: string;
}

/** A final result line, decoded. */
export interface FinalResult {
  readonly kind: FinalKind;
  /** True for OK and CONNECT. */
  readonly success: boolean;
  /** The line as received. */
  readonly line: string;
  /** Present for CME_ERROR and CMS_ERROR. */
  readonly error?: ModemError;
  /** Text after `CONNECT ` (e.g. a rate), if any. */
  readonly detail?: string;
}

/** One row of the final-result table. */
export interface FinalResultRow {
  readonly kind: FinalKind;
  /** The word(s) as the modem spells them. */
  readonly token: string;
  /** `exact`: the whole line; `prefix`: the line starts with the token (the rest is a parameter). */
  readonly match: 'exact' | 'prefix';
  readonly success: boolean;
  /** Final only while a dial/answer command is in flight; otherwise an unsolicited call-progress report. */
  readonly callProgress: boolean;
}

/** The one table of final results, in match order. */
export const FINAL_RESULT_TABLE: readonly FinalResultRow[] = [
  { kind: 'OK', token: 'OK', match: 'exact', success: true, callProgress: false },
  { kind: 'ERROR', token: 'ERROR', match: 'exact', success: false, callProgress: false },
  // Huawei (E173, E1752, MU709) and ZTE end a command they do not know with these words instead of ERROR
  // (gammu treats them as errors too): read as ERROR, so the caller hears "refused" at once, not a 5 s timeout.
  { kind: 'ERROR', token: 'COMMAND NOT SUPPORT', match: 'exact', success: false, callProgress: false },
  { kind: 'ERROR', token: 'TOO MANY PARAMETERS', match: 'exact', success: false, callProgress: false },
  { kind: 'CME_ERROR', token: '+CME ERROR:', match: 'prefix', success: false, callProgress: false },
  { kind: 'CMS_ERROR', token: '+CMS ERROR:', match: 'prefix', success: false, callProgress: false },
  { kind: 'CONNECT', token: 'CONNECT', match: 'exact', success: true, callProgress: true },
  { kind: 'CONNECT', token: 'CONNECT ', match: 'prefix', success: true, callProgress: true },
  { kind: 'NO_CARRIER', token: 'NO CARRIER', match: 'exact', success: false, callProgress: true },
  { kind: 'BUSY', token: 'BUSY', match: 'exact', success: false, callProgress: true },
  { kind: 'NO_ANSWER', token: 'NO ANSWER', match: 'exact', success: false, callProgress: true },
  { kind: 'NO_DIALTONE', token: 'NO DIALTONE', match: 'exact', success: false, callProgress: true },
  { kind: 'NO_DIALTONE', token: 'NO DIAL TONE', match: 'exact', success: false, callProgress: true },
];

/** The table row a line matches, or undefined when the line is not a final result. */
export function finalResultRow(line: string): FinalResultRow | undefined {
  const t = line.trim();
  for (const row of FINAL_RESULT_TABLE) {
    if (row.match === 'exact' ? t === row.token : t.startsWith(row.token)) return row;
  }
  return undefined;
}

/** Decodes a final result line; undefined when the line is not one (it never throws). */
export function parseFinalResult(line: string): FinalResult | undefined {
  const row = finalResultRow(line);
  if (row === undefined) return undefined;
  const rest = line.trim().slice(row.token.length).trim();
  switch (row.kind) {
    case 'CME_ERROR':
      return { kind: row.kind, success: false, line, error: decodeModemError('CME', rest) };
    case 'CMS_ERROR':
      return { kind: row.kind, success: false, line, error: decodeModemError('CMS', rest) };
    case 'CONNECT':
      return rest === '' ? { kind: row.kind, success: true, line } : { kind: row.kind, success: true, line, detail: rest };
    case 'OK':
    case 'ERROR':
    case 'NO_CARRIER':
    case 'BUSY':
    case 'NO_ANSWER':
    case 'NO_DIALTONE':
      return { kind: row.kind, success: row.success, line };
    default: {
      const never: never = row.kind;
      return never;
    }
  }
}

const normalise = (s: string): string =>
  s.toLowerCase().replace(/\(u\)/g, '').replace(/[^a-z0-9]+/g, ' ').trim();

const byCode = (table: readonly ErrorEntry[]): Map<number, ErrorEntry> => new Map(table.map((e) => [e.code, e]));
const byText = (table: readonly ErrorEntry[]): Map<string, ErrorEntry> =>
  new Map(table.map((e) => [normalise(e.text), e]));

const CME_BY_CODE = byCode(CME_ERROR_TABLE);
const CME_BY_TEXT = byText(CME_ERROR_TABLE);
const CMS_BY_CODE = byCode(CMS_ERROR_TABLE);
const CMS_BY_TEXT = byText(CMS_ERROR_TABLE);

/**
 * Decodes the parameter of `+CME ERROR:` / `+CMS ERROR:`: a number (looked up by code) or a verbose text
 * (looked up by the spec's text, ignoring case, punctuation and "(U)"). Unknown values keep what the modem sent.
 */
export function decodeModemError(family: 'CME' | 'CMS', param: string): ModemError {
  const p = param.trim().replace(/^"(.*)"$/, '$1');
  const [codes, texts] = family === 'CME' ? [CME_BY_CODE, CME_BY_TEXT] : [CMS_BY_CODE, CMS_BY_TEXT];
  if (/^\d{1,5}$/.test(p)) {
    const code = Number(p);
    const entry = codes.get(code);
    if (entry !== undefined) return { family, code, name: entry.name, text: entry.text };
    return { family, code, name: family === 'CMS' ? cmsRangeName(code) : 'UNLISTED', text: p };
  }
  const entry = texts.get(normalise(p));
  if (entry !== undefined) return { family, code: entry.code, name: entry.name, text: entry.text };
  return { family, code: undefined, name: 'UNRECOGNISED', text: p };
}
