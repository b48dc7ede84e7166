// Registration and signal (3GPP TS 27.007 7.2, 7.3, 8.5, 10.1.20, 10.1.22): AT+CREG, AT+CGREG, AT+CEREG, AT+COPS,
// AT+CSQ.
//
//   AT+CREG?  -> +CREG: 2,1,"1A2B","00C3",0   OK    read form:  <n>,<stat>[,<lac>,<ci>[,<AcT>]]
//   (URC)        +CREG: 1,"1A2B","00C3"             unsolicited: <stat>[,<lac>,<ci>[,<AcT>]]
//   AT+CGREG? -> +CGREG: 2,1,"1A2B","00C3",3,"00"  OK    read: <n>,<stat>[,[<lac>],[<ci>],[<AcT>],[<rac>][,...]]
//   AT+CEREG? -> +CEREG: 2,1,"1F00","0079D903",7  OK    read: <n>,<stat>[,[<tac>],[<ci>],[<AcT>][,...]]
//   AT+CSQ    -> +CSQ: 20,99   OK                   <rssi>,<ber>; rssi 0..31 -> -113..-51 dBm, 99 unknown
//   AT+COPS?  -> +COPS: 0,0,"Vodafone UK",7   OK    <mode>[,<format>,<oper>[,<AcT>]]
//
// Three registration domains, one <stat> table: +CREG is the circuit-switched domain (voice calls and SMS over
// GSM/UMTS, or over LTE by CS fallback), +CGREG the packet-switched one (GPRS/UMTS data), +CEREG the EPS one (LTE).
// A modem registered on LTE alone (no CS fallback: a network that has switched 3G off, VoLTE) answers +CREG
// "not registered" (0), "searching" (2) or "unknown" (4) while +CEREG says 1 or 5. For +CGREG and +CEREG, stats 6,
// 7, 9 and 10 are "not applicable" in 27.007; 8 is "attached for emergency bearer services only".
//
// The two forms of each share a prefix. They differ in the second parameter: a number (stat) in the read form, a
// quoted LAC in the unsolicited form; a lone parameter is the unsolicited stat. Some modems leave the LAC unquoted
// (Huawei E1752: `+CREG: 1, E006B, ABE0016`), and a LAC can be all decimal digits (`+CREG: 1, 1234, ABE0016`): so
// three parameters are always the unsolicited form (the read form has 2, or 4 and more), and with four or more the
// read form's stat is one or two digits, never the four of a LAC or TAC; or three when every integer is padded to
// three digits (Iridium: `+CREG:002,001,"18d8","ffff"`, ModemManager's test_creg2_iridium_solicited). While AT+CREG?
// (AT+CGREG?, AT+CEREG?) is in flight the engine takes only read-form lines as the answer (`isAnswer`), so a
// registration change arriving at that moment still reaches the URC subscribers.
//
// The <stat> is what the line needs; a location that is not hex (Qualcomm Gobi 1000: `+CREG: 2,1,  0 5, 2715`,
// ModemManager's test_creg2_gobi_weird_solicited) is left out, not a reason to refuse the registration with it.

import { atCommand, type AtCommand } from '../command.js';
import { intParam, paramsAfter, strParam, type Param } from '../params.js';
import { corrupt, parsedOk, type Parsed } from '../parsed.js';

/** Registration status names by <stat> (27.007 7.2). */
export const REGISTRATION_STATUS = [
  'not-registered',
  'registered-home',
  'searching',
  'denied',
  'unknown',
  'registered-roaming',
  'registered-home-sms-only',
  'registered-roaming-sms-only',
  'emergency-only',
  'registered-home-csfb-not-preferred',
  'registered-roaming-csfb-not-preferred',
] as const;
/** A registration status name. */
export type RegistrationStatus = (typeof REGISTRATION_STATUS)[number];

/** A registration domain (27.007): circuit-switched (+CREG), packet-switched (+CGREG), EPS (+CEREG, LTE). */
export type RegistrationDomain = 'cs' | 'ps' | 'eps';

/** The response prefix of each domain's command. */
export const REGISTRATION_PREFIX: Readonly<Record<RegistrationDomain, '+CREG:' | '+CGREG:' | '+CEREG:'>> = {
  cs: '+CREG:',
  ps: '+CGREG:',
  eps: '+CEREG:',
};

/** A decoded +CREG, +CGREG or +CEREG line (either form). */
export interface Registration {
  /** `read`: the answer to AT+CREG? (AT+CGREG?, AT+CEREG?); `unsolicited`: a URC. */
  readonly form: 'read' | 'unsolicited';
  /** The URC mode set with AT+CREG=<n> (read form only). */
  readonly n?: number;
  readonly stat: number;
  readonly status: RegistrationStatus;
  /** Registered on the home network or roaming (stat 1, 5, 6, 7, 9, 10). */
  readonly registered: boolean;
  /** Location area code (tracking area code for +CEREG), hex as sent. */
  readonly lac?: string;
  /** Cell id, hex as sent. */
  readonly ci?: string;
  /** Access technology (0 GSM, 2 UTRAN, 7 E-UTRAN, ...). */
  readonly act?: number;
}

/**
 * AT+CREG=<n>: 0 no URCs, 1 URC on status change, 2 with location. No answer lines (`prefixes: []`): a `+CREG:`
 * arriving meanwhile is a registration change, delivered as a URC.
 */
export const cregSet = (n: 0 | 1 | 2): AtCommand => atCommand(`AT+CREG=${n}`, { prefixes: [] });

/** AT+CREG?, AT+CGREG? or AT+CEREG? (only read-form lines of that domain are its answer). */
export const registrationRead = (domain: RegistrationDomain): AtCommand => {
  const prefix = REGISTRATION_PREFIX[domain];
  return atCommand(`AT${prefix.slice(0, -1)}?`, { prefixes: [prefix], isAnswer: (line) => registrationForm(domain, line) === 'read' });
};
/** AT+CREG? (circuit-switched registration). */
export const cregRead = (): AtCommand => registrationRead('cs');
/** AT+CGREG? (packet-switched registration, 27.007 10.1.20). */
export const cgregRead = (): AtCommand => registrationRead('ps');
/** AT+CEREG? (EPS registration: LTE, 27.007 10.1.22). */
export const ceregRead = (): AtCommand => registrationRead('eps');

/** Which form a line of the domain has, or undefined if it is not that domain's line. */
export function registrationForm(domain: RegistrationDomain, line: string): 'read' | 'unsolicited' | undefined {
  const p = paramsAfter(line, REGISTRATION_PREFIX[domain]);
  if (!p.ok) return undefined;
  return formOf(p.value);
}

/** Which +CREG form a line has, or undefined if it is not a +CREG line. */
export const cregForm = (line: string): 'read' | 'unsolicited' | undefined => registrationForm('cs', line);

function formOf(p: readonly Param[]): 'read' | 'unsolicited' {
  if (p.length === 1 || p.length === 3) return 'unsolicited';
  const [first, second] = p as [Param, Param];
  if (second.quoted) return 'unsolicited';
  if (p.length === 2 || /^\d{1,2}$/.test(second.value)) return /^\d+$/.test(second.value) ? 'read' : 'unsolicited';
  // Every integer padded to three digits (Iridium): `002,001,...` is <n>,<stat>.
  return !first.quoted && /^0\d\d$/.test(first.value) && /^0\d\d$/.test(second.value) ? 'read' : 'unsolicited';
}

/** Decodes `+CREG:`, `+CGREG:` or `+CEREG:` (as `domain` says) in the read or the unsolicited form. */
export function parseRegistration(domain: RegistrationDomain, line: string): Parsed<Registration> {
  const name = REGISTRATION_PREFIX[domain].slice(0, -1);
  const p = paramsAfter(line, REGISTRATION_PREFIX[domain]);
  if (!p.ok) return p;
  const form = formOf(p.value);
  const at = form === 'read' ? 1 : 0;
  const stat = intParam(p.value, at);
  if (stat === undefined || stat >= REGISTRATION_STATUS.length) return corrupt(`${name} stat out of range: ${line}`);
  const n = form === 'read' ? intParam(p.value, 0) : undefined;
  // n is 0..3 for +CREG and +CGREG; +CEREG adds 4 and 5 (PSM timers in the URC).
  if (form === 'read' && (n === undefined || n > (domain === 'eps' ? 5 : 3))) return corrupt(`${name} mode out of range: ${line}`);
  // An empty quoted field (`+CREG: 2,1,"","605F"`: gammu tests/at-creg-corner/empty-lac.dump) is a location not
  // given, not a corrupt line: the registration it reports is what matters.
  // A location that is not hex (see the file comment) is left out: the registration is still read.
  const hex = (s: string | undefined): string | undefined => (s !== undefined && /^[0-9A-Fa-f]{1,8}$/.test(s) ? s : undefined);
  const lac = hex(strParam(p.value, at + 1));
  const ci = hex(strParam(p.value, at + 2));
  const act = intParam(p.value, at + 3);
  return parsedOk({
    form,
    ...(n === undefined ? {} : { n }),
    stat,
    status: REGISTRATION_STATUS[stat] as RegistrationStatus,
    registered: [1, 5, 6, 7, 9, 10].includes(stat),
    ...(lac === undefined ? {} : { lac }),
    ...(ci === undefined ? {} : { ci }),
    ...(act === undefined ? {} : { act }),
  });
}

/** Decodes `+CREG:` (circuit-switched) in the read or the unsolicited form. */
export const parseCreg = (line: string): Parsed<Registration> => parseRegistration('cs', line);
/** Decodes `+CGREG:` (packet-switched, 27.007 10.1.20) in the read or the unsolicited form. */
export const parseCgreg = (line: string): Parsed<Registration> => parseRegistration('ps', line);
/** Decodes `+CEREG:` (EPS, 27.007 10.1.22) in the read or the unsolicited form. */
export const parseCereg = (line: string): Parsed<Registration> => parseRegistration('eps', line);

/** AT+CSQ. */
export const csq = (): AtCommand => atCommand('AT+CSQ', { prefixes: ['+CSQ:'] });

/** A decoded +CSQ answer. */
export interface SignalQuality {
  /** 0..31, or 99 (not known). */
  readonly rssi: number;
  /** Received power in dBm (0 -> -113 or less, 31 -> -51 or more); null when rssi is 99. */
  readonly dbm: number | null;
  /** Bit error rate class 0..7, or null when 99 (not known). */
  readonly ber: number | null;
}

/** rssi (0..31) -> dBm per 27.007 8.5 (2 dB steps from -113); null for 99 or anything out of range. */
export function rssiToDbm(rssi: number): number | null {
  return Number.isInteger(rssi) && rssi >= 0 && rssi <= 31 ? -113 + 2 * rssi : null;
}

/** `+CSQ: 20,99` -> rssi 20 (-73 dBm), ber unknown. */
export function parseCsq(line: string): Parsed<SignalQuality> {
  const p = paramsAfter(line, '+CSQ:');
  if (!p.ok) return p;
  const rssi = intParam(p.value, 0);
  const ber = intParam(p.value, 1);
  if (rssi === undefined || (rssi > 31 && rssi !== 99)) return corrupt(`+CSQ rssi out of range: ${line}`);
  if (ber === undefined || (ber > 7 && ber !== 99)) return corrupt(`+CSQ ber out of range: ${line}`);
  return parsedOk({ rssi, dbm: rssiToDbm(rssi), ber: ber === 99 ? null : ber });
}

/** AT+COPS? */
export const copsRead = (): AtCommand => atCommand('AT+COPS?', { prefixes: ['+COPS:'] });
/** AT+COPS=<mode>[,<format>]: 0 automatic, 2 deregister, 3 set the format only. */
export const copsSet = (mode: 0 | 2 | 3, format?: 0 | 1 | 2): AtCommand =>
  atCommand(format === undefined ? `AT+COPS=${mode}` : `AT+COPS=${mode},${format}`, { timeoutMs: 180_000 });

/** A decoded +COPS read answer. */
export interface Operator {
  /** 0 automatic, 1 manual, 2 deregistered, 3 format only, 4 manual/automatic. */
  readonly mode: number;
  /** 0 long alphanumeric, 1 short alphanumeric, 2 numeric (MCC+MNC). */
  readonly format?: number;
  readonly operator?: string;
  readonly act?: number;
}

/** `+COPS: 0,0,"Vodafone UK",7` or `+COPS: 0` (not registered). */
export function parseCops(line: string): Parsed<Operator> {
  const p = paramsAfter(line, '+COPS:');
  if (!p.ok) return p;
  if (p.value[0]?.value.startsWith('(')) return corrupt('+COPS test form (operator list) is not decoded here');
  const mode = intParam(p.value, 0);
  if (mode === undefined || mode > 4) return corrupt(`+COPS mode out of range: ${line}`);
  const format = intParam(p.value, 1);
  const operator = strParam(p.value, 2);
  const act = intParam(p.value, 3);
  return parsedOk({
    mode,
    ...(format === undefined ? {} : { format }),
    ...(operator === undefined ? {} : { operator }),
    ...(act === undefined ? {} : { act }),
  });
}
