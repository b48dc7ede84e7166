// SMS (3GPP TS 27.005 3.x), PDU mode as the gateway and the handset use it.
//
//   AT+CMGF=0                      -> OK                                  PDU mode
//   AT+CNMI=2,1,0,0,0              -> OK                                  new SMS -> +CMTI: "SM",3
//   AT+CMGS=28  (then `> `, PDU, Ctrl-Z)  -> +CMGS: 1   OK               28 = TPDU octets, SMSC not counted
//   AT+CMGR=3   -> +CMGR: 0,,24 / <PDU line>   OK                         <stat>,[<alpha>],<length>
//   AT+CMGL=4   -> +CMGL: 1,0,,24 / <PDU line> ... OK                    <index>,<stat>,[<alpha>],<length>
//   AT+CMGD=3   -> OK
//   AT+CPMS?    -> +CPMS: "SM",3,30,"SM",3,30,"SM",3,30   OK              read form (memory, used, total) x3
//   AT+CPMS="SM"-> +CPMS: 3,30,3,30,3,30   OK                             set form (used, total) x3
//   AT+CSCA?    -> +CSCA: "+447785016005",145   OK
//   (URC)          +CMT: ,24 / <PDU line>                                 <alpha>,<length>, PDU on the next line
//
// Some modems leave the optional <alpha> out with its comma: `+CMGR: 0,23`, `+CMGL: 1,0,27`, `+CMT: 25`; read
// as the same answers (the field count tells), since a message refused here would stay on the SIM unread.
// Others leave out the <stat> of +CMGR: `+CMGR: 24` (the length alone, gammu tests/at-sms/38) or `+CMGR: ,,92` (an
// empty <stat>, gammu tests/at-sms/39); the status is then taken from the TPDU's own message type (see
// statFromTpdu). A PDU line with a stray quote before or after the hex (`0791...A301"`, gammu tests/at-sms/04)
// is read without it. gammu's tests/at-sms cases are AT+CMGR answers captured from real phones and modems that
// gammu must read (those it must refuse are in tests/at-sms-failing).
//   (URC)          +CMTI: "SM",3
//
// <length> is the TPDU length in octets: the PDU line also carries the SMSC (its first octet is the SMSC
// length), so hex length = 2 * (1 + smsc octets + length). A PDU line that is not hex is corrupt. A length that
// does not fit is reported (`lengthMatches: false`) but the message is still handed on: losing an alarm SMS
// because a modem miscounted is worse than letting the PDU decoder judge it (it must reject a bad PDU anyway).
// The builder for AT+CMGS, where we produce the PDU, refuses a mismatch outright.

import { atCommand, built, refused, type AtCommand, type BuildResult } from '../command.js';
import { intParam, paramsAfter, quote, strParam } from '../params.js';
import { corrupt, notMine, parsedOk, type Parsed } from '../parsed.js';

/** AT+CMGF=<0|1>: 0 PDU mode, 1 text mode. */
export const cmgf = (mode: 0 | 1): AtCommand => atCommand(`AT+CMGF=${mode}`);

/**
 * AT+CNMI=<mode>,<mt>,<bm>,<ds>,<bfr>. Default 2,1,0,0,0: messages are stored and announced with +CMTI, so
 * nothing is lost if the host is not listening at that instant.
 */
export const cnmi = (mode = 2, mt = 1, bm = 0, ds = 0, bfr = 0): AtCommand =>
  atCommand(`AT+CNMI=${mode},${mt},${bm},${ds},${bfr}`);

/**
 * AT+CMGS=<tpduLength>, then the PDU (with its SMSC prefix) after the `> ` prompt, then Ctrl-Z.
 * 60 s allowed for the network's answer.
 */
export function cmgs(tpduLength: number, pdu: string, options: { timeoutMs?: number; promptTimeoutMs?: number } = {}): BuildResult {
  if (!Number.isInteger(tpduLength) || tpduLength < 1 || tpduLength > 180) return refused(`TPDU length out of range: ${tpduLength}`);
  const check = checkPdu(pdu, tpduLength);
  if (check !== undefined) return refused(check);
  return built(`AT+CMGS=${tpduLength}`, {
    prefixes: ['+CMGS:'],
    body: pdu.toUpperCase(),
    timeoutMs: options.timeoutMs ?? 60_000,
    ...(options.promptTimeoutMs === undefined ? {} : { promptTimeoutMs: options.promptTimeoutMs }),
  });
}

/** `+CMGS: 12` -> message reference 12. */
export function parseCmgs(line: string): Parsed<{ readonly mr: number }> {
  const p = paramsAfter(line, '+CMGS:');
  if (!p.ok) return p;
  const mr = intParam(p.value, 0);
  return mr === undefined || mr > 255 ? corrupt(`+CMGS reference out of range: ${line}`) : parsedOk({ mr });
}

/** Message status in PDU mode (27.005 3.1 <stat>). */
export const SMS_STATUS = ['received-unread', 'received-read', 'stored-unsent', 'stored-sent'] as const;
/** A stored message status name. */
export type SmsStatus = (typeof SMS_STATUS)[number];
/** Text-mode spellings of the same statuses. */
const TEXT_STATUS: Record<string, number> = { 'REC UNREAD': 0, 'REC READ': 1, 'STO UNSENT': 2, 'STO SENT': 3 };

/** One stored message (from +CMGR or +CMGL). */
export interface StoredSms {
  /** Storage index (+CMGL only; for +CMGR it is the index asked for, not in the answer). */
  readonly index?: number;
  readonly stat: number;
  readonly status: SmsStatus;
  readonly alpha?: string;
  /** TPDU length in octets, as the modem stated it. */
  readonly length: number;
  /** The PDU line, hex, with its SMSC prefix. */
  readonly pdu: string;
  /** The PDU line's size fits the stated length (see {@link checkPdu}); false means suspect, decode with care. */
  readonly lengthMatches: boolean;
}

/** AT+CMGR=<index>; its answer is a +CMGR: line and the PDU line after it. */
export const cmgr = (index: number): AtCommand =>
  atCommand(`AT+CMGR=${Math.max(0, Math.trunc(index))}`, { prefixes: ['+CMGR:'], bodyAfterPrefix: true });

/**
 * Decodes the answer lines of AT+CMGR (PDU mode). An empty slot (OK with no lines) is "not-mine".
 * Besides 27.005's `<stat>,[<alpha>],<length>`, real modems send `<stat>,<length>` (no <alpha> field at all:
 * gammu tests/at-sms/07..11), `<index>,<stat>,[<alpha>],<length>` (the index in front: gammu tests/at-sms/26), and
 * no <stat>: `<length>` alone (gammu tests/at-sms/38) or `,,<length>` (gammu tests/at-sms/39).
 */
export function parseCmgr(lines: readonly string[]): Parsed<StoredSms> {
  const at = lines.findIndex((l) => l.startsWith('+CMGR:'));
  if (at < 0) return notMine('no +CMGR line (empty slot?)');
  const p = paramsAfter(lines[at] as string, '+CMGR:');
  if (!p.ok) return p;
  const v = p.value;
  // `+CMGR: 0,,0`: an empty slot (Siemens MC35, as gammu's atgen.c and smstools note): no TPDU has 0 octets. A
  // +CMTI whose message another program read first gets this; it is not a corrupt message to rescan for. Only
  // without a PDU line: a 0 followed by one is a miscounted length, handed on like any other (file comment).
  if (v.length === 3 && intParam(v, 2) === 0 && lines[at + 1] === undefined) return notMine('empty slot (+CMGR: <stat>,,0)');
  // `<length>` alone (gammu at-sms/38) or `,,<length>` (gammu at-sms/39): no <stat>.
  if (v.length === 1 || (v.length === 3 && v[0]?.empty === true)) return storedSms(undefined, strParam(v, 1), intParam(v, v.length - 1), lines[at + 1], undefined);
  if (v.length === 2) return storedSms(v[0], undefined, intParam(v, 1), lines[at + 1], undefined);
  if (v.length === 4) return storedSms(v[1], strParam(v, 2), intParam(v, 3), lines[at + 1], undefined);
  return storedSms(v[0], strParam(v, 1), intParam(v, 2), lines[at + 1], undefined);
}

/** AT+CMGL=<stat>; 4 lists all (PDU mode). Each +CMGL: line is followed by its PDU line. */
export const cmgl = (stat: 0 | 1 | 2 | 3 | 4 = 4): AtCommand =>
  atCommand(`AT+CMGL=${stat}`, { prefixes: ['+CMGL:'], bodyAfterPrefix: true, timeoutMs: 30_000 });

/** Decodes the answer lines of AT+CMGL (PDU mode); corrupt if any entry is. */
export function parseCmgl(lines: readonly string[]): Parsed<StoredSms[]> {
  const out: StoredSms[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (!line.startsWith('+CMGL:')) continue;
    const p = paramsAfter(line, '+CMGL:');
    if (!p.ok) return p;
    const index = intParam(p.value, 0);
    if (index === undefined) return corrupt(`+CMGL index missing: ${line}`);
    // An entry whose PDU line was empty (empty lines are dropped) is followed at once by the next entry.
    const next = lines[i + 1];
    const pdu = next === undefined || next.startsWith('+CMGL:') ? undefined : next;
    // `<index>,<stat>,<length>`: a modem that leaves out the <alpha> field (atcommander's test data).
    const noAlpha = p.value.length === 3;
    const sms = storedSms(p.value[1], noAlpha ? undefined : strParam(p.value, 2), intParam(p.value, noAlpha ? 2 : 3), pdu, index);
    if (!sms.ok) return sms;
    out.push(sms.value);
    i++;
  }
  return parsedOk(out);
}

/** `statParam` undefined: the answer has no <stat> (see the file comment); it is taken from the TPDU. */
function storedSms(
  statParam: { value: string } | undefined,
  alpha: string | undefined,
  length: number | undefined,
  pduLine: string | undefined,
  index: number | undefined,
): Parsed<StoredSms> {
  const raw = statParam?.value ?? '';
  const pdu = pduLine === undefined ? undefined : unquotePdu(pduLine);
  let stat = /^\d$/.test(raw) ? Number(raw) : TEXT_STATUS[raw.toUpperCase()];
  if (statParam === undefined && pdu !== undefined && isHexOctets(pdu)) stat = statFromTpdu(pdu);
  if (stat === undefined || stat > 3) return corrupt(`SMS status invalid: "${raw}"`);
  if (length === undefined) return corrupt('SMS length missing (text mode answers are not decoded here)');
  if (pdu === undefined) return corrupt('SMS PDU line missing');
  if (!isHexOctets(pdu)) return corrupt('SMS PDU line is not an even number of hex digits');
  return parsedOk({
    ...(index === undefined ? {} : { index }),
    stat,
    status: SMS_STATUS[stat] as SmsStatus,
    ...(alpha === undefined ? {} : { alpha }),
    length,
    pdu: pdu.toUpperCase(),
    lengthMatches: checkPdu(pdu, length) === undefined,
  });
}

const isHexOctets = (s: string): boolean => /^(?:[0-9A-Fa-f]{2})+$/.test(s);

/** A PDU line without a stray quote before or after its hex (gammu tests/at-sms/04 ends `...A301"`); else as it is. */
const unquotePdu = (line: string): string => /^"?([0-9A-Fa-f]+)"?$/.exec(line)?.[1] ?? line;

/**
 * The <stat> of a stored message whose answer left it out, from its TPDU's TP-MTI (23.040 9.2.3.1, the low two
 * bits of the first octet after the SMSC): a SUBMIT (1) is one we stored (2, unsent: which of 2 and 3 cannot be
 * told); anything else, a DELIVER (0) or a STATUS-REPORT (2), was received (0, unread: likewise a guess). A PDU too
 * short to carry that octet is taken as received, for the PDU decoder to judge.
 */
function statFromTpdu(pdu: string): number {
  const first = parseInt(pdu.slice(2 + 2 * parseInt(pdu.slice(0, 2), 16)).slice(0, 2), 16);
  return Number.isNaN(first) || (first & 3) !== 1 ? 0 : 2;
}

/**
 * Checks a PDU line (hex, SMSC prefix first) against the TPDU length: even-length hex, and
 * 2 * (1 + smsc octets + length) digits. Undefined when it fits, else the reason.
 */
export function checkPdu(pdu: string, tpduLength: number): string | undefined {
  if (!isHexOctets(pdu)) return 'PDU is not an even number of hex digits';
  const smsc = parseInt(pdu.slice(0, 2), 16);
  const expected = 2 * (1 + smsc + tpduLength);
  if (pdu.length !== expected) {
    return `PDU has ${pdu.length / 2} octets, expected ${expected / 2} (SMSC ${smsc} + 1, TPDU ${tpduLength})`;
  }
  return undefined;
}

/** AT+CMGD=<index>[,<delflag>]. */
export const cmgd = (index: number, delflag?: 0 | 1 | 2 | 3 | 4): AtCommand =>
  atCommand(`AT+CMGD=${Math.max(0, Math.trunc(index))}${delflag === undefined ? '' : `,${delflag}`}`, { timeoutMs: 25_000 });

/** AT+CPMS? */
export const cpmsRead = (): AtCommand => atCommand('AT+CPMS?', { prefixes: ['+CPMS:'] });
/** AT+CPMS="<mem1>"[,"<mem2>"[,"<mem3>"]] (memories: SM, ME, MT, BM, SR). */
export function cpms(mem1: string, mem2?: string, mem3?: string): BuildResult {
  const mems = [mem1, mem2, mem3].filter((m): m is string => m !== undefined);
  if (!mems.every((m) => /^[A-Z]{2}$/.test(m))) return refused(`memory names are two capitals: ${mems.join(',')}`);
  return built(`AT+CPMS=${mems.map((m) => `"${m}"`).join(',')}`, { prefixes: ['+CPMS:'] });
}

/** One storage's counts from +CPMS. */
export interface MemoryUsage {
  /** Memory name (read form only). */
  readonly memory?: string;
  readonly used: number;
  readonly total: number;
}

/** `+CPMS: "SM",3,30,"SM",3,30,"SM",3,30` (read) or `+CPMS: 3,30,3,30,3,30` (set): one entry per memory. */
export function parseCpms(line: string): Parsed<MemoryUsage[]> {
  const p = paramsAfter(line, '+CPMS:');
  if (!p.ok) return p;
  const v = p.value;
  const read = v[0]?.quoted === true;
  const step = read ? 3 : 2;
  if (v.length === 0 || v.length % step !== 0) return corrupt(`+CPMS form not recognised: ${line}`);
  const out: MemoryUsage[] = [];
  for (let i = 0; i < v.length; i += step) {
    const used = intParam(v, i + (read ? 1 : 0));
    const total = intParam(v, i + (read ? 2 : 1));
    if (used === undefined || total === undefined || used > total) return corrupt(`+CPMS counts invalid: ${line}`);
    out.push(read ? { memory: (v[i] as { value: string }).value, used, total } : { used, total });
  }
  return parsedOk(out);
}

/** AT+CSCA? */
export const cscaRead = (): AtCommand => atCommand('AT+CSCA?', { prefixes: ['+CSCA:'] });
/** AT+CSCA="<number>"[,<type>]. */
export function cscaSet(number: string, type?: number): BuildResult {
  const q = /^\+?\d{1,20}$/.test(number) ? quote(number) : undefined;
  if (q === undefined) return refused(`not an SMSC number: "${number}"`);
  return built(type === undefined ? `AT+CSCA=${q}` : `AT+CSCA=${q},${type}`);
}

/** `+CSCA: "+447785016005",145`. */
export function parseCsca(line: string): Parsed<{ readonly number: string; readonly type?: number }> {
  const p = paramsAfter(line, '+CSCA:');
  if (!p.ok) return p;
  const number = strParam(p.value, 0);
  if (number === undefined) return corrupt(`+CSCA without number: ${line}`);
  const type = intParam(p.value, 1);
  return parsedOk(type === undefined ? { number } : { number, type });
}

/** A +CMT URC with its PDU line. */
export interface DeliveredSms {
  readonly alpha?: string;
  readonly length: number;
  readonly pdu: string;
  /** See {@link StoredSms.lengthMatches}. */
  readonly lengthMatches: boolean;
}

/** `+CMT: ,24` + PDU line (the engine's {@link Urc} gives both as `line` and `body`). */
export function parseCmt(line: string, body: string | undefined): Parsed<DeliveredSms> {
  const p = paramsAfter(line, '+CMT:');
  if (!p.ok) return p;
  // `+CMT: <length>`: no <alpha> field at all (Cinterion PHS8-P).
  const noAlpha = p.value.length === 1;
  const length = intParam(p.value, noAlpha ? 0 : 1);
  if (length === undefined) return corrupt(`+CMT length missing (text mode is not decoded here): ${line}`);
  if (body === undefined) return corrupt('+CMT without its PDU line');
  const pdu = unquotePdu(body);
  if (!isHexOctets(pdu)) return corrupt('+CMT PDU line is not an even number of hex digits');
  const alpha = noAlpha ? undefined : strParam(p.value, 0);
  return parsedOk({
    ...(alpha === undefined ? {} : { alpha }),
    length,
    pdu: pdu.toUpperCase(),
    lengthMatches: checkPdu(pdu, length) === undefined,
  });
}

/** `+CMTI: "SM",3` -> memory SM, index 3. */
export function parseCmti(line: string): Parsed<{ readonly memory: string; readonly index: number }> {
  const p = paramsAfter(line, '+CMTI:');
  if (!p.ok) return p;
  const memory = strParam(p.value, 0);
  const index = intParam(p.value, 1);
  if (memory === undefined || index === undefined) return corrupt(`+CMTI needs memory and index: ${line}`);
  return parsedOk({ memory, index });
}
