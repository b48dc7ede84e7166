// Replays what real AT clients sent (../shared/corpus/at: gammu 1.42 and smstools 3.1.21 against a logging
// stand-in modem) through the engine, against a fake modem giving the answers those programs accepted
// (corpus README): the same command sequences must run here, and those answers must parse.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AtEngine,
  cmgl,
  cmgr,
  cmgs,
  cpmsRead,
  cregRead,
  cscaRead,
  csq,
  parseClip,
  parseCmgl,
  parseCmgs,
  parseCmt,
  parseCmti,
  parseCpms,
  parseCreg,
  parseCsca,
  parseCsq,
  parseIdentity,
  parseImei,
  parseImsi,
  type AtResult,
  type CommandOptions,
  type Urc,
} from '../../../protocol/at/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { FakeModem } from './fake-modem.js';

const CORPUS = join(process.cwd(), '..', 'shared', 'corpus', 'at');

type Step = { kind: 'CMD' | 'UNKNOWN' | 'PDU' | 'INJECT' | 'ESC'; text: string };

/** Decodes the python-style quoted strings of the corpus files ('\r\n', '\x1b'). */
const unquote = (s: string): string =>
  s.replace(/\\(r|n|t|\\|'|x[0-9a-fA-F]{2})/g, (_, e: string) =>
    e === 'r' ? '\r' : e === 'n' ? '\n' : e === 't' ? '\t' : e.startsWith('x') ? String.fromCharCode(parseInt(e.slice(1), 16)) : e,
  );

function steps(file: string): Step[] {
  return readFileSync(join(CORPUS, file), 'utf8')
    .split('\n')
    .map((l) => /^\s*(CMD|UNKNOWN|PDU|INJECT|ESC) '(.*)'$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ kind: m[1] as Step['kind'], text: unquote(m[2] as string) }));
}

// SMS-DELIVER from +447700900456, "hello" (checked with node-pdu): TPDU 24 octets after an 8-octet SMSC.
const STORED_PDU = '0791447758100650040C9144770009406500006210100100000005E8329BFD06';

/** The stand-in modem's answers, as listed in the corpus README. */
function answer(cmd: string, unknown: boolean): string {
  if (unknown) return cmd.includes('CHUP') ? '\r\n+CME ERROR: 4\r\n' : '\r\nERROR\r\n';
  const ok = '\r\nOK\r\n';
  if (cmd === 'AT+CGMI') return '\r\nTecSOS Sim\r\n' + ok;
  if (cmd === 'AT+CGMM') return '\r\nTS-GSM-1\r\n' + ok;
  if (cmd === 'AT+CGMR') return '\r\n1.0.0\r\n' + ok;
  if (cmd === 'AT+CGSN') return '\r\n490154203237518\r\n' + ok;
  if (cmd === 'AT+CIMI') return '\r\n234150123456789\r\n' + ok;
  if (cmd === 'AT+CSCA?') return '\r\n+CSCA: "+447785016005",145\r\n' + ok;
  if (cmd === 'AT+CSQ') return '\r\n+CSQ: 20,99\r\n' + ok;
  if (cmd === 'AT+CREG?') return '\r\n+CREG: 2,1,"1A2B","00C3"\r\n' + ok;
  if (cmd === 'AT+CPIN?') return '\r\n+CPIN: READY\r\n' + ok;
  if (cmd === 'AT+CPMS?') return '\r\n+CPMS: "SM",1,30,"SM",1,30,"SM",1,30\r\n' + ok;
  if (cmd.startsWith('AT+CPMS="')) return '\r\n+CPMS: 1,30,1,30,1,30\r\n' + ok;
  if (cmd === 'AT+CMGL=4') return `\r\n+CMGL: 1,1,,24\r\n${STORED_PDU}\r\n` + ok;
  if (cmd === 'AT+CMGR=1') return `\r\n+CMGR: 1,,24\r\n${STORED_PDU}\r\n` + ok;
  if (cmd.startsWith('AT+CMGS=')) return '\r\n> ';
  return ok;
}

/** The builders' options for the commands whose answers are prefixed. */
const OPTIONS: Record<string, CommandOptions> = {
  'AT+CSCA?': cscaRead().options,
  'AT+CSQ': csq().options,
  'AT+CREG?': cregRead().options,
  'AT+CPIN?': { prefixes: ['+CPIN:'] },
  'AT+CPMS?': cpmsRead().options,
  'AT+CMGL=4': cmgl(4).options,
  'AT+CMGR=1': cmgr(1).options,
};

async function replay(file: string): Promise<{ results: Map<string, AtResult>; urcs: Urc[] }> {
  const clock = new ManualClock(0);
  const modem = new FakeModem();
  modem.chunk = 1; // answer one byte at a time, as a slow line would
  const engine = new AtEngine(modem, { clock });
  const urcs: Urc[] = [];
  engine.onUrc((u) => urcs.push(u));
  const strays: string[] = [];
  engine.onStray((l) => strays.push(l));
  const all = steps(file);
  const unknown = new Set(all.filter((s) => s.kind === 'UNKNOWN').map((s) => s.text));
  let echo = false;
  modem.respond = (w) => {
    if (w.endsWith('\x1a')) return `${echo ? w : ''}\r\n+CMGS: 1\r\n\r\nOK\r\n`;
    const cmd = w.replace(/\r$/, '');
    const reply = answer(cmd, unknown.has(cmd));
    if (/^ATE[01]$/.test(cmd)) echo = cmd === 'ATE1';
    return (echo ? w : '') + reply;
  };
  const results = new Map<string, AtResult>();
  let sent = 0;
  for (let i = 0; i < all.length; i++) {
    const step = all[i] as Step;
    if (step.kind === 'INJECT') modem.feed(step.text);
    if (step.kind !== 'CMD') continue;
    const next = all[i + 1];
    let r: AtResult;
    if (next?.kind === 'PDU') {
      const built = cmgs(Number(step.text.split('=')[1]), next.text.replace('<CTRL-Z>', ''));
      expect(built.ok, `${file}: ${step.text} with its PDU`).toBe(true);
      if (!built.ok) continue;
      r = await engine.send(built.command);
    } else {
      r = await engine.send(step.text, OPTIONS[step.text] ?? {});
    }
    sent++;
    expect(r.status, `${file}: ${step.text}`).toBe('final');
    expect(r.ok, `${file}: ${step.text}`).toBe(!unknown.has(step.text));
    results.set(step.text, r);
  }
  expect(strays).toEqual([]);
  expect(engine.stats.timeouts).toBe(0);
  expect(sent).toBe(all.filter((s) => s.kind === 'CMD').length);
  return { results, urcs };
}

const lines = (r: AtResult | undefined): readonly string[] => r?.lines ?? [];

describe('real client sessions (gammu, smstools) replayed through the engine', () => {
  it('gammu sendsms: echo after ATE1, identity bare lines, vendor probes refused, +CSCA, two-step +CMGS', async () => {
    const { results } = await replay('gammu-sendsms.txt');
    expect(parseIdentity(lines(results.get('AT+CGMI')))).toEqual({ ok: true, value: 'TecSOS Sim' });
    expect(parseIdentity(lines(results.get('AT+CGMR')))).toEqual({ ok: true, value: '1.0.0' });
    expect(parseCsca(lines(results.get('AT+CSCA?'))[0] as string)).toEqual({ ok: true, value: { number: '+447785016005', type: 145 } });
    const chup = results.get('AT+CHUP=?');
    expect(chup?.status === 'final' && chup.final.error?.name).toBe('OPERATION_NOT_SUPPORTED');
    expect(parseCmgs(lines(results.get('AT+CMGS=28'))[0] as string)).toEqual({ ok: true, value: { mr: 1 } });
  });

  it('gammu getallsms: +CPMS set form and +CMGL with its PDU line', async () => {
    const { results } = await replay('gammu-getallsms.txt');
    const list = parseCmgl(lines(results.get('AT+CMGL=4')));
    expect(list).toMatchObject({ ok: true, value: [{ index: 1, status: 'received-read', length: 24, pdu: STORED_PDU, lengthMatches: true }] });
    expect(parseCpms(lines(results.get('AT+CPMS="SM"'))[0] as string)).toMatchObject({ ok: true, value: [{ used: 1, total: 30 }, {}, {}] });
  });

  it('smstools: ATE0, chained commands, +CREG status 1, +CSQ, IMEI/IMSI, +CPMS read form, +CMTI while idle', async () => {
    const { results, urcs } = await replay('smsd-modem.txt');
    expect(parseCreg(lines(results.get('AT+CREG?'))[0] as string)).toMatchObject({ ok: true, value: { form: 'read', registered: true } });
    expect(parseCsq(lines(results.get('AT+CSQ'))[0] as string)).toMatchObject({ ok: true, value: { dbm: -73 } });
    expect(parseImei(lines(results.get('AT+CGSN')))).toMatchObject({ ok: true, value: { imei: '490154203237518' } });
    expect(parseImsi(lines(results.get('AT+CIMI')))).toEqual({ ok: true, value: '234150123456789' });
    expect(parseCpms(lines(results.get('AT+CPMS?'))[0] as string)).toMatchObject({ ok: true, value: [{ memory: 'SM', used: 1 }, {}, {}] });
    expect(results.get('AT+CMEE=1;+CREG=2')?.ok).toBe(true);
    expect(urcs.map((u) => u.line)).toEqual(['+CMTI: "SM",1']);
  });

  it('gammu monitor: injected RING, +CLIP, +CMT with its PDU line, +CMTI and NO CARRIER reach subscribers', async () => {
    const { urcs } = await replay('gammu-monitor.txt');
    expect(urcs.map((u) => u.name)).toEqual(['RING', '+CLIP', '+CMT', '+CMTI', 'NO CARRIER']);
    expect(parseClip(urcs[1]?.line as string)).toEqual({ ok: true, value: { number: '+447700900456', type: 145, validity: 'valid' } });
    const cmt = parseCmt(urcs[2]?.line as string, urcs[2]?.body);
    // The corpus PDU states 24 TPDU octets but carries 25: handed on, flagged.
    expect(cmt).toMatchObject({ ok: true, value: { length: 24, pdu: '0791447758100650040C914477000970980000627032214150000005E8329BFD06', lengthMatches: false } });
    expect(parseCmti(urcs[3]?.line as string)).toEqual({ ok: true, value: { memory: 'SM', index: 1 } });
  });
});
