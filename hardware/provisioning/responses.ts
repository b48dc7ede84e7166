// Parsers for the information lines of the handset's USB console (docs/firmware-sim-handset.md). Each returns
// protocol/at's Parsed<T>: the value, `not-mine` for a line of another command, or `corrupt` with a reason.
//
//   +TSINFO: "TS-0001","1.0.0","356938035643809",0        id, firmware, IMEI, provisioned 0/1
//   +TSAUTH: "9f86d081884c7d659a2feaa0c55ad015"            the nonce, 32 lower-case hex digits
//   +TSCFG: "interval","30"                                one setting (staged view)
//   +TSSELFTEST: "gps",1,"fix, 9 satellites, HDOP 0.9"    part, pass 1 / fail 0, detail (never a position)
//   +TSREASON: "signature refused (1 of 3)"                what to do, before a +CME ERROR
//   +TSLOCK: 897                                           seconds the port stays locked

import { corrupt, paramsAfter, parsedOk, type Parsed } from '../../protocol/at/index.js';

/** What AT+TSINFO? says: who the handset is. No secrets. */
export type HandsetInfo = {
  readonly id: string;
  readonly firmware: string;
  readonly imei: string;
  /** A report key and a gateway number are committed. */
  readonly provisioned: boolean;
};

/** One line of AT+TSSELFTEST's answer. */
export type SelfTestItem = { readonly part: string; readonly ok: boolean; readonly detail: string };

/** The fields after `prefix`, quotes removed (or the rejection: another command's line, an unclosed quote). */
function fields(line: string, prefix: string): Parsed<string[]> {
  const p = paramsAfter(line, prefix);
  return p.ok ? parsedOk(p.value.map((f) => f.value)) : p;
}

export function parseTsInfo(line: string): Parsed<HandsetInfo> {
  const r = fields(line, '+TSINFO:');
  if (!r.ok) return r;
  const f = r.value;
  const [id, firmware, imei, provisioned] = f;
  if (f.length !== 4 || !id || firmware === undefined || imei === undefined) return corrupt(`+TSINFO needs 4 fields: ${line}`);
  if (provisioned !== '0' && provisioned !== '1') return corrupt(`+TSINFO provisioned flag is not 0 or 1: ${line}`);
  return parsedOk({ id, firmware, imei, provisioned: provisioned === '1' });
}

export function parseTsAuthNonce(line: string): Parsed<string> {
  const r = fields(line, '+TSAUTH:');
  if (!r.ok) return r;
  const f = r.value;
  const nonce = f[0] ?? '';
  return f.length === 1 && /^[0-9a-f]{32}$/.test(nonce) ? parsedOk(nonce) : corrupt(`+TSAUTH nonce is not 32 lower-case hex digits: ${line}`);
}

export function parseTsCfg(line: string): Parsed<readonly [string, string]> {
  const r = fields(line, '+TSCFG:');
  if (!r.ok) return r;
  const f = r.value;
  return f.length === 2 && f[0] ? parsedOk([f[0], f[1] ?? ''] as const) : corrupt(`+TSCFG needs a name and a value: ${line}`);
}

export function parseTsSelfTest(line: string): Parsed<SelfTestItem> {
  const r = fields(line, '+TSSELFTEST:');
  if (!r.ok) return r;
  const f = r.value;
  const [part, pass, detail] = f;
  if (f.length !== 3 || !part || (pass !== '0' && pass !== '1')) return corrupt(`+TSSELFTEST needs "part",0|1,"detail": ${line}`);
  return parsedOk({ part, ok: pass === '1', detail: detail ?? '' });
}

/** `+TSKEY: "<check value>"` (AT+TSKEY='s answer: protocol/report/key-check.ts), never the key. */
export function parseTsKey(line: string): Parsed<string> {
  const r = fields(line, '+TSKEY:');
  if (!r.ok) return r;
  const f = r.value;
  const v = f[0] ?? '';
  return f.length === 1 && /^[0-9a-f]{8}$/.test(v) ? parsedOk(v) : corrupt('+TSKEY check value is not 8 lower-case hex digits');
}

export function parseTsReason(line: string): Parsed<string> {
  const r = fields(line, '+TSREASON:');
  if (!r.ok) return r;
  const f = r.value;
  return parsedOk(f.join(','));
}

export function parseTsLock(line: string): Parsed<number> {
  const r = fields(line, '+TSLOCK:');
  if (!r.ok) return r;
  const f = r.value;
  const n = Number(f[0]);
  return f.length === 1 && Number.isInteger(n) && n >= 0 ? parsedOk(n) : corrupt(`+TSLOCK is not a number of seconds: ${line}`);
}
