// Identity (3GPP TS 27.007 clause 5): manufacturer, model, revision, IMEI, IMSI.
//
//   AT+CGMI -> Quectel          OK      (most modems: a bare line)
//   AT+CGMI -> +CGMI: SIMCOM_Ltd OK     (some: prefixed; both accepted)
//   AT+CGSN -> 490154203237518  OK
//   AT+CIMI -> 234150123456789  OK
//
// No prefix is given to the engine: the answer is a bare line, so every non-URC line is taken.

import { atCommand, type AtCommand } from '../command.js';
import { corrupt, notMine, parsedOk, type Parsed } from '../parsed.js';

/** AT+CGMI: manufacturer. */
export const cgmi = (): AtCommand => atCommand('AT+CGMI');
/** AT+CGMM: model. */
export const cgmm = (): AtCommand => atCommand('AT+CGMM');
/** AT+CGMR: firmware revision. */
export const cgmr = (): AtCommand => atCommand('AT+CGMR');
/** AT+CGSN: IMEI. */
export const cgsn = (): AtCommand => atCommand('AT+CGSN');
/** AT+CIMI: IMSI. */
export const cimi = (): AtCommand => atCommand('AT+CIMI');

/** The optional prefix of an identity answer (`+CGMI: SIMCOM_Ltd`). */
const OWN_PREFIX = /^\+CG(MI|MM|MR|SN)\s*:\s*|^\+CIMI\s*:\s*/i;
/**
 * A vendor's unsolicited line that the engine does not know, so it lands among a bare answer's lines:
 * `^RSSI:15`, `^BOOT:...` (Huawei), `+QIND: ...` (Quectel), `+WIND: 4` (Wavecom), `^SYSSTART` (Cinterion),
 * `*PSUTTZ: ...` (SIMCom), `#QSS: 1` (Telit). No manufacturer, model, revision, IMEI or IMSI starts like this.
 */
const VENDOR_URC = /^[+^*#$%][A-Z]/i;

/**
 * The text of an identity answer: the first line that is not an echo or a vendor's unsolicited line, with an
 * optional `+CGMx:` prefix and surrounding quotes removed.
 */
export function parseIdentity(lines: readonly string[]): Parsed<string> {
  for (const raw of lines) {
    const t = raw.trim();
    if (t === '' || /^AT/i.test(t)) continue;
    if (!OWN_PREFIX.test(t) && VENDOR_URC.test(t)) continue;
    const value = t.replace(OWN_PREFIX, '').replace(/^"(.*)"$/, '$1').trim();
    if (value === '') continue;
    return parsedOk(value);
  }
  return notMine('no identity line in the answer');
}

/** An IMEI and whether its Luhn check digit is right. */
export interface Imei {
  readonly imei: string;
  readonly luhnValid: boolean;
}

/** AT+CGSN answer: 15 digits (14 + Luhn digit); a 16-digit IMEISV is accepted with `luhnValid` false. */
export function parseImei(lines: readonly string[]): Parsed<Imei> {
  const id = parseIdentity(lines);
  if (!id.ok) return id;
  if (!/^\d{15,16}$/.test(id.value)) return corrupt(`IMEI must be 15 digits, got "${id.value}"`);
  return parsedOk({ imei: id.value, luhnValid: id.value.length === 15 && luhnOk(id.value) });
}

/** AT+CIMI answer: 6 to 15 digits (MCC, MNC, MSIN). */
export function parseImsi(lines: readonly string[]): Parsed<string> {
  const id = parseIdentity(lines);
  if (!id.ok) return id;
  return /^\d{6,15}$/.test(id.value) ? id : corrupt(`IMSI must be 6-15 digits, got "${id.value}"`);
}

function luhnOk(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
