import { describe, expect, it } from 'vitest';
import {
  AtEngine,
  clcc,
  cmgl,
  cmgs,
  clip,
  cregRead,
  cregSet,
  csq,
  cgmi,
  cmgr,
  dial,
  parseCmgl,
  parseCmgr,
  parseCmt,
  parseCreg,
  parseCsq,
  type AtCommand,
  type AtResult,
  type BuildResult,
  type Urc,
} from '../../../protocol/at/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { FakeModem, flush, track } from './fake-modem.js';

function setup(options: ConstructorParameters<typeof AtEngine>[1] = {}) {
  const clock = new ManualClock(0);
  const modem = new FakeModem();
  const engine = new AtEngine(modem, { clock, ...options });
  const urcs: Urc[] = [];
  const strays: string[] = [];
  engine.onUrc((u) => urcs.push(u));
  engine.onStray((l) => strays.push(l));
  return { clock, modem, engine, urcs, strays };
}

const cmd = (b: BuildResult): AtCommand => {
  if (!b.ok) throw new Error(b.reason);
  return b.command;
};

function expectFinal(r: AtResult): Extract<AtResult, { status: 'final' }> {
  expect(r.status).toBe('final');
  return r as Extract<AtResult, { status: 'final' }>;
}

const PDU = '0791447758100650040C914477000970980000627032214150000005E8329BFD06';

describe('AtEngine: answers', () => {
  it('runs a command with echo off and returns its prefixed lines', async () => {
    const { modem, engine } = setup();
    const p = engine.send(csq());
    expect(modem.written).toEqual(['AT+CSQ\r']);
    modem.feed('\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
    const r = expectFinal(await p);
    expect(r.ok).toBe(true);
    expect(r.lines).toEqual(['+CSQ: 20,99']);
    const q = parseCsq(r.lines[0] as string);
    expect(q.ok && q.value.dbm).toBe(-73);
  });

  it('a raw AT+CSQ without declared prefixes still owns its +CSQ: line, while a RING meanwhile is a URC', async () => {
    const { modem, engine, urcs } = setup();
    const p = engine.send('AT+CSQ');
    modem.feed('\r\nRING\r\n\r\n+CSQ: 17,99\r\n\r\nOK\r\n');
    const r = expectFinal(await p);
    expect(r.lines).toEqual(['+CSQ: 17,99']);
    expect(urcs.map((u) => u.line)).toEqual(['RING']);
  });

  it('drops the echo (ATE1) and reads a bare identity line, byte at a time', async () => {
    const { modem, engine, strays } = setup();
    modem.chunk = 1;
    const p = engine.send(cgmi());
    modem.feed('AT+CGMI\r\r\nTecSOS Sim Modems Ltd\r\n\r\nOK\r\n');
    const r = expectFinal(await p);
    expect(r.lines).toEqual(['TecSOS Sim Modems Ltd']);
    expect(engine.stats.echoes).toBe(1);
    expect(strays).toEqual([]);
  });

  it('delivers RING and +CLIP arriving between the echo and the OK of another command', async () => {
    const { modem, engine, urcs } = setup();
    const p = engine.send(csq());
    modem.feed('AT+CSQ\r\r\nRING\r\n\r\n+CLIP: "+447700900456",145,,,,0\r\n\r\n+CSQ: 15,0\r\n\r\nOK\r\n\r\nRING\r\n', 3);
    const r = expectFinal(await p);
    expect(r.lines).toEqual(['+CSQ: 15,0']);
    expect(urcs.map((u) => u.name)).toEqual(['RING', '+CLIP', 'RING']);
    expect(urcs[1]?.line).toBe('+CLIP: "+447700900456",145,,,,0');
  });

  it('takes +CMT and its PDU line out of the middle of a +CSQ answer', async () => {
    const { modem, engine, urcs } = setup();
    const p = engine.send(csq());
    modem.feed(`\r\n+CSQ: 20,99\r\n\r\n+CMT: ,24\r\n${PDU}\r\n\r\nOK\r\n`);
    const r = expectFinal(await p);
    expect(r.lines).toEqual(['+CSQ: 20,99']);
    expect(urcs).toEqual([{ name: '+CMT', line: '+CMT: ,24', body: PDU }]);
    const sms = parseCmt(urcs[0]?.line as string, urcs[0]?.body);
    expect(sms.ok && sms.value.length).toBe(24);
  });

  it('a RING between a PDU-mode +CMT: line and its PDU is a URC; the PDU is still the +CMT body', async () => {
    const { modem, engine, urcs, strays } = setup();
    const p = engine.send(csq());
    modem.feed(`\r\n+CMT: ,24\r\nRING\r\n${PDU}\r\n\r\n+CSQ: 20,99\r\n\r\nOK\r\n`);
    expect(expectFinal(await p).lines).toEqual(['+CSQ: 20,99']);
    expect(urcs).toEqual([
      { name: 'RING', line: 'RING' },
      { name: '+CMT', line: '+CMT: ,24', body: PDU },
    ]);
    expect(strays).toEqual([]);
  });

  it("a vendor's unsolicited line (Huawei ^RSSI) between a PDU-mode +CMT: line and its PDU is not the body", async () => {
    const { modem, urcs, strays } = setup();
    modem.feed(`\r\n+CMT: ,24\r\n^RSSI:15\r\n${PDU}\r\n`);
    expect(urcs).toEqual([{ name: '+CMT', line: '+CMT: ,24', body: PDU }]);
    expect(strays).toEqual(['^RSSI:15']);
  });

  it('a +CMT PDU line damaged by noise is still its body: the next PDU line, another command\'s, is not taken', async () => {
    const { modem, engine, urcs } = setup();
    const damaged = `${PDU.slice(0, 20)}#${PDU.slice(21)}`;
    modem.feed(`\r\n+CMT: ,24\r\n${damaged}\r\n`);
    expect(urcs).toEqual([{ name: '+CMT', line: '+CMT: ,24', body: damaged }]);
    const p = engine.send(cmgr(2));
    modem.feed(`\r\n+CMGR: 0,,24\r\n${PDU}\r\n\r\nOK\r\n`);
    const r = parseCmgr(expectFinal(await p).lines);
    expect(r.ok && r.value.pdu).toBe(PDU);
    expect(urcs).toHaveLength(1);
  });

  it('takes the line after +CMT as its body even if it looks like a final result (text mode "OK")', async () => {
    const { modem, engine, urcs } = setup();
    const p = track(engine.send('AT'));
    modem.feed('\r\n+CMT: "+447700900456",,"26/01/01,10:00:00+00"\r\nOK\r\n');
    await flush();
    expect(p.done).toBe(false);
    expect(urcs[0]?.body).toBe('OK');
    modem.feed('\r\nOK\r\n');
    await flush();
    expect(p.done).toBe(true);
  });

  it('sends an SMS in two steps: prompt split across chunks, PDU + Ctrl-Z, +CMGS reference', async () => {
    const { modem, engine } = setup();
    const pdu = '0011000C914477000910320000FF0FC8329BFD0699E5EF3668DE9E9301';
    const p = engine.send(cmd(cmgs(28, pdu)));
    expect(modem.written).toEqual(['AT+CMGS=28\r']);
    modem.feed('AT+CMGS=28\r\r\n>');
    expect(modem.written.length).toBe(1);
    modem.feed(' ');
    expect(modem.written[1]).toBe(pdu + '\x1a');
    modem.feed(`${pdu}\x1a\r\n+CMGS: 1\r\n\r\nOK\r\n`);
    const r = expectFinal(await p);
    expect(r.lines).toEqual(['+CMGS: 1']);
  });

  it('sends ESC when the prompt never comes, then resynchronises', async () => {
    const { clock, modem, engine } = setup({ promptTimeoutMs: 2000 });
    const p = track(engine.send(cmd(cmgs(28, '0011000C914477000910320000FF0FC8329BFD0699E5EF3668DE9E9301'))));
    clock.advance(1999);
    await flush();
    expect(p.done).toBe(false);
    clock.advance(1);
    await flush();
    expect(p.value).toMatchObject({ status: 'timeout', phase: 'prompt' });
    expect(modem.written.slice(1)).toEqual(['\x1b', '\x1bAT\r']);
  });

  it('answers a late prompt with ESC so the modem does not swallow the next command as message text', async () => {
    const { clock, modem, engine } = setup({ promptTimeoutMs: 1000 });
    const p = track(engine.send(cmd(cmgs(28, '0011000C914477000910320000FF0FC8329BFD0699E5EF3668DE9E9301'))));
    clock.advance(1000);
    await flush();
    expect(p.value).toMatchObject({ status: 'timeout', phase: 'prompt' });
    modem.feed('\r\n> ');
    expect(modem.written.slice(1)).toEqual(['\x1b', '\x1bAT\r', '\x1b']);
    expect(engine.stats.strayPrompts).toBe(1);
  });

  it('does not write ESC on a stray prompt while a dial is in flight (any byte would abort it)', async () => {
    const { modem, engine } = setup();
    const d = engine.send(cmd(dial('999')));
    modem.feed('\r\n> ');
    expect(modem.written).toEqual(['ATD999;\r']);
    modem.feed('\r\nOK\r\n');
    expect(expectFinal(await d).ok).toBe(true);
  });

  it('decodes +CME and +CMS errors to named codes', async () => {
    const { modem, engine } = setup();
    const a = engine.send('AT+CPIN?', { prefixes: ['+CPIN:'] });
    modem.feed('\r\n+CME ERROR: 10\r\n');
    const ra = expectFinal(await a);
    expect(ra.ok).toBe(false);
    expect(ra.final.error).toMatchObject({ family: 'CME', code: 10, name: 'SIM_NOT_INSERTED' });
    const b = engine.send('AT+CMGD=99');
    modem.feed('\r\n+CMS ERROR: 321\r\n');
    expect(expectFinal(await b).final.error).toMatchObject({ family: 'CMS', code: 321, name: 'INVALID_MEMORY_INDEX' });
    const c = engine.send('AT+CPIN?', { prefixes: ['+CPIN:'] });
    modem.feed('\r\n+CME ERROR: SIM PIN required\r\n');
    expect(expectFinal(await c).final.error).toMatchObject({ code: 11, name: 'SIM_PIN_REQUIRED' });
  });

  it('ends a command at once on the Huawei/ZTE finals COMMAND NOT SUPPORT and TOO MANY PARAMETERS', async () => {
    const { modem, engine } = setup();
    const a = track(engine.send('AT+CBC', { prefixes: ['+CBC:'] }));
    modem.feed('\r\nCOMMAND NOT SUPPORT\r\n');
    await flush();
    expect(a.done).toBe(true);
    expect(a.value).toMatchObject({ status: 'final', ok: false, final: { kind: 'ERROR', line: 'COMMAND NOT SUPPORT' } });
    const b = track(engine.send('AT+CNMI=2,1,0,0,0'));
    modem.feed('\r\nTOO MANY PARAMETERS\r\n');
    await flush();
    expect(b.value).toMatchObject({ status: 'final', ok: false, final: { kind: 'ERROR' } });
    expect(modem.written).toEqual(['AT+CBC\r', 'AT+CNMI=2,1,0,0,0\r']); // no timeout, no resync probe
  });

  it('skips noise bytes and CR CR LF inside an answer', async () => {
    const { modem, engine } = setup();
    const p = engine.send(csq());
    modem.feed('\x00\xff\r\r\n+CSQ:\x00 1\xff8,99\r\r\n\r\r\n\xffO\x00K\r\r\n');
    expect(expectFinal(await p).lines).toEqual(['+CSQ: 18,99']);
    expect(engine.stats.splitter.noiseBytes).toBe(6);
  });

  it('reads +CMGL entries with their PDU lines, with a +CMTI arriving in between', async () => {
    const { modem, engine, urcs } = setup();
    const p = engine.send(cmgl());
    modem.feed(`\r\n+CMGL: 1,0,,24\r\n${PDU}\r\n+CMTI: "SM",2\r\n+CMGL: 2,1,,24\r\n${PDU}\r\n\r\nOK\r\n`);
    const r = expectFinal(await p);
    const list = parseCmgl(r.lines);
    expect(list.ok && list.value.map((s) => [s.index, s.status])).toEqual([
      [1, 'received-unread'],
      [2, 'received-read'],
    ]);
    expect(urcs.map((u) => u.line)).toEqual(['+CMTI: "SM",2']);
  });

  it('a RING or +CMTI between the +CMGR: line and its PDU is a URC, and the PDU is still the body', async () => {
    for (const urc of ['RING', '+CMTI: "SM",4']) {
      const { modem, engine, urcs, strays } = setup();
      const p = engine.send(cmgr(3));
      modem.feed(`\r\n+CMGR: 0,,24\r\n${urc}\r\n${PDU}\r\n\r\nOK\r\n`);
      const r = parseCmgr(expectFinal(await p).lines);
      expect(r.ok && r.value.pdu).toBe(PDU);
      expect(urcs.map((u) => u.line)).toEqual([urc]);
      expect(strays).toEqual([]);
    }
  });

  it("a vendor's unsolicited line the table does not know (Huawei ^RSSI, ^BOOT) before a PDU line is not the PDU", async () => {
    const { modem, engine, strays } = setup();
    const a = engine.send(cmgr(3));
    modem.feed(`\r\n+CMGR: 0,,24\r\n^RSSI:15\r\n${PDU}\r\n\r\nOK\r\n`);
    const r = parseCmgr(expectFinal(await a).lines);
    expect(r.ok && r.value.pdu).toBe(PDU);
    const b = engine.send(cmgl());
    modem.feed(`\r\n+CMGL: 1,0,,24\r\n^BOOT:20952548,0,0,0,6\r\n${PDU}\r\n+CMGL: 2,0,,24\r\n^MODE:5,4\r\n${PDU}\r\n\r\nOK\r\n`);
    const list = parseCmgl(expectFinal(await b).lines);
    expect(list.ok && list.value.map((s) => [s.index, s.pdu])).toEqual([
      [1, PDU],
      [2, PDU],
    ]);
    expect(strays).toEqual(['^RSSI:15', '^BOOT:20952548,0,0,0,6', '^MODE:5,4']);
  });

  it('a +CMGL entry whose PDU line is empty does not take the next entry for its PDU', async () => {
    const { modem, engine, strays } = setup();
    const p = engine.send(cmgl());
    modem.feed(`\r\n+CMGL: 1,0,,0\r\n\r\n+CMGL: 2,0,,24\r\n${PDU}\r\n\r\nOK\r\n`);
    expect(expectFinal(await p).lines).toEqual(['+CMGL: 1,0,,0', '+CMGL: 2,0,,24', PDU]);
    expect(strays).toEqual([]);
  });

  it('+CMGR: 0,,0 then OK (an empty slot on some modems) ends the command at the OK', async () => {
    const { modem, engine } = setup();
    const p = track(engine.send(cmgr(3)));
    modem.feed('\r\n+CMGR: 0,,0\r\n\r\nOK\r\n');
    await flush();
    expect(p.done).toBe(true);
    expect(p.value?.status).toBe('final');
    expect(p.value?.lines).toEqual(['+CMGR: 0,,0']);
  });
});

describe('AtEngine: ambiguous lines', () => {
  it('NO CARRIER ends ATD, but is a URC during another command and when idle', async () => {
    const { modem, engine, urcs } = setup();
    const d = engine.send(cmd(dial('999')));
    expect(modem.last).toBe('ATD999;\r');
    modem.feed('\r\nNO CARRIER\r\n');
    expect(expectFinal(await d).final.kind).toBe('NO_CARRIER');
    expect(urcs).toEqual([]);
    const q = engine.send(csq());
    modem.feed('\r\nNO CARRIER\r\n+CSQ: 9,99\r\nOK\r\n');
    expect(expectFinal(await q).lines).toEqual(['+CSQ: 9,99']);
    modem.feed('\r\nBUSY\r\n');
    expect(urcs.map((u) => u.name)).toEqual(['NO CARRIER', 'BUSY']);
  });

  it('a +CLIP or +CREG arriving during AT+CLIP=1 / AT+CREG=2 (set commands, no answer lines) is a URC', async () => {
    const { modem, engine, urcs } = setup();
    const a = engine.send(clip(true));
    modem.feed('\r\nRING\r\n\r\n+CLIP: "+447700900456",145,,,,0\r\n\r\nOK\r\n');
    expect(expectFinal(await a).lines).toEqual([]);
    const b = engine.send(cregSet(2));
    modem.feed('\r\n+CREG: 3\r\n\r\nOK\r\n');
    expect(expectFinal(await b).lines).toEqual([]);
    expect(urcs.map((u) => u.line)).toEqual(['RING', '+CLIP: "+447700900456",145,,,,0', '+CREG: 3']);
  });

  it('+CLCC lines are the answer of AT+CLCC and URCs otherwise', async () => {
    const { modem, engine, urcs } = setup();
    modem.feed('\r\n+CLCC: 1,1,4,0,0,"+447700900456",145\r\n');
    expect(urcs.map((u) => u.name)).toEqual(['+CLCC']);
    const p = engine.send(clcc());
    modem.feed('\r\n+CLCC: 1,1,0,0,0,"+447700900456",145\r\n\r\nOK\r\n');
    expect(expectFinal(await p).lines).toEqual(['+CLCC: 1,1,0,0,0,"+447700900456",145']);
    expect(urcs.length).toBe(1);
  });

  it('+CREG: read form answers AT+CREG?, the URC form arriving meanwhile goes to subscribers', async () => {
    const { modem, engine, urcs } = setup();
    const p = engine.send(cregRead());
    modem.feed('\r\n+CREG: 5,"1A2B","00C3"\r\n\r\n+CREG: 2,1,"1A2B","00C3"\r\n\r\nOK\r\n');
    const r = expectFinal(await p);
    expect(r.lines).toEqual(['+CREG: 2,1,"1A2B","00C3"']);
    expect(urcs.map((u) => u.line)).toEqual(['+CREG: 5,"1A2B","00C3"']);
    const reg = parseCreg(urcs[0]?.line as string);
    expect(reg.ok && reg.value).toMatchObject({ form: 'unsolicited', status: 'registered-roaming', registered: true });
  });

  it('delivers boot output as URCs when idle, but +CPIN: answers AT+CPIN?', async () => {
    const { modem, engine, urcs } = setup();
    modem.feed('\r\nRDY\r\n\r\n+CFUN: 1\r\n\r\n+CPIN: READY\r\n\r\nCall Ready\r\n\r\nSMS Ready\r\n');
    expect(urcs.map((u) => u.name)).toEqual(['RDY', '+CFUN', '+CPIN', 'Call Ready', 'SMS Ready']);
    const p = engine.send('AT+CPIN?', { prefixes: ['+CPIN:'] });
    modem.feed('\r\n+CPIN: READY\r\n\r\nOK\r\n');
    expect(expectFinal(await p).lines).toEqual(['+CPIN: READY']);
    expect(urcs.length).toBe(5);
  });

  it('drops stray finals when idle instead of delivering them', () => {
    const { modem, engine, urcs, strays } = setup();
    modem.feed('\r\nOK\r\n\r\nERROR\r\n');
    expect(urcs).toEqual([]);
    expect(strays).toEqual(['OK', 'ERROR']);
    expect(engine.stats.strayFinals).toBe(2);
  });
});

describe('AtEngine: queue, timeouts, resynchronisation', () => {
  it('sends one command at a time, in order; cancel removes a queued one and abandons one in flight', async () => {
    const { modem, engine, clock } = setup();
    const a = engine.enqueue('AT+CGMI');
    const b = engine.enqueue('AT+CGMM');
    const c = engine.enqueue('AT+CGMR');
    expect(modem.written).toEqual(['AT+CGMI\r']);
    expect([a.queued, b.queued, c.queued]).toEqual([false, true, true]);
    b.cancel();
    expect(await b.result).toMatchObject({ status: 'cancelled' });
    modem.feed('\r\nACME\r\nOK\r\n');
    expect(expectFinal(await a.result).lines).toEqual(['ACME']);
    expect(modem.written).toEqual(['AT+CGMI\r', 'AT+CGMR\r']);
    expect([b.queued, c.queued]).toEqual([false, false]);
    c.cancel();
    expect(await c.result).toMatchObject({ status: 'cancelled' });
    expect(modem.last).toBe('\x1bAT\r'); // resynchronising: ESC, then the probe
    const d = track(engine.send('AT+CGSN'));
    modem.feed('\r\nREV 1.0\r\nOK\r\n'); // late answer of the abandoned AT+CGMR: taken by the probe
    modem.feed('\r\nOK\r\n'); // the probe's own OK: stray
    clock.advance(100);
    await flush();
    expect(d.done).toBe(false);
    expect(modem.last).toBe('AT+CGSN\r');
    modem.feed('\r\n490154203237518\r\nOK\r\n');
    await flush();
    expect(d.value && d.value.status === 'final' && d.value.lines).toEqual(['490154203237518']);
  });

  it('an urgent command goes ahead of queued ones that are not, behind urgent ones queued before it; the one in flight finishes first', async () => {
    const { modem, engine } = setup();
    const inFlight = engine.enqueue('AT+CMGR=1');
    engine.enqueue('AT+CMGR=2');
    engine.enqueue('AT+CMGR=3');
    const ata = engine.enqueue('ATA', { urgent: true });
    engine.enqueue('ATH', { urgent: true });
    expect([inFlight.queued, ata.queued]).toEqual([false, true]);
    for (let i = 0; i < 5; i++) {
      modem.feed('\r\nOK\r\n');
      await flush();
    }
    expect(modem.written).toEqual(['AT+CMGR=1\r', 'ATA\r', 'ATH\r', 'AT+CMGR=2\r', 'AT+CMGR=3\r']);
  });

  it('a command no longer wanted when its turn comes is not written: it resolves cancelled with the reason, and the next one goes', async () => {
    const { modem, engine } = setup();
    const core = { newerIncident: undefined as string | undefined };
    engine.enqueue('AT+CMGR=1'); // in flight: the SMS waits behind it
    const sms = engine.enqueue(cmd(cmgs(25, PDU)), { stillWanted: () => core.newerIncident });
    const after = engine.enqueue('AT+CSQ');
    core.newerIncident = 'handset TS-0001 is in open incident I-2'; // decided while the SMS waited
    modem.feed('\r\nOK\r\n');
    await flush();
    expect(await sms.result).toMatchObject({ status: 'cancelled', ok: false, reason: 'handset TS-0001 is in open incident I-2' });
    expect(modem.written).toEqual(['AT+CMGR=1\r', 'AT+CSQ\r']);
    expect(after.queued).toBe(false);
  });

  it('a command still wanted when its turn comes is written as usual', async () => {
    const { modem, engine } = setup();
    engine.enqueue('AT+CMGR=1');
    engine.enqueue('AT+CSQ', { stillWanted: () => undefined });
    modem.feed('\r\nOK\r\n');
    await flush();
    expect(modem.written).toEqual(['AT+CMGR=1\r', 'AT+CSQ\r']);
  });

  it('a modem left in SMS text entry (a prompt never seen) is brought back by the resync probe\'s ESC', async () => {
    const { modem, engine, clock } = setup();
    // The modem takes every byte as message text until ESC; then it is a modem again.
    let textEntry = true;
    modem.respond = (w) => {
      const esc = w.lastIndexOf('\x1b');
      if (textEntry && esc < 0) return undefined;
      textEntry = false;
      const line = w.slice(esc + 1);
      if (line === 'AT\r') return '\r\nOK\r\n';
      if (line === 'AT+CSQ\r') return '\r\n+CSQ: 20,99\r\n\r\nOK\r\n';
      return undefined;
    };
    const first = track(engine.send(csq()));
    clock.advance(5000);
    await flush();
    expect(first.value).toMatchObject({ status: 'timeout' }); // swallowed as text
    expect(modem.last).toBe('\x1bAT\r');
    expect(textEntry).toBe(false);
    const second = track(engine.send(csq()));
    clock.advance(1000);
    await flush();
    expect(second.value).toMatchObject({ status: 'final', ok: true, lines: ['+CSQ: 20,99'] });
  });

  it('after a timeout, a late OK is not taken as the answer of the next command', async () => {
    const { modem, engine, clock, strays } = setup();
    const first = track(engine.send('AT+CSQ', { prefixes: ['+CSQ:'] }));
    const second = track(engine.send(cregRead()));
    clock.advance(5000);
    await flush();
    expect(first.value).toMatchObject({ status: 'timeout', phase: 'answer' });
    expect(modem.written).toEqual(['AT+CSQ\r', '\x1bAT\r']);
    modem.feed('\r\n+CSQ: 10,0\r\n\r\nOK\r\n'); // the late answer: its OK is consumed by the probe
    clock.advance(50);
    modem.feed('\r\nOK\r\n'); // the probe's OK arrives during the quiet period: dropped
    expect(modem.written.length).toBe(2);
    clock.advance(100);
    expect(modem.last).toBe('AT+CREG?\r');
    expect(second.done).toBe(false);
    modem.feed('\r\n+CREG: 0,1\r\n\r\nOK\r\n');
    await flush();
    expect(second.value && second.value.status === 'final' && second.value.lines).toEqual(['+CREG: 0,1']);
    expect(strays).toContain('OK');
  });

  it('a modem that never stops chattering cannot hold the queue in the quiet period', async () => {
    const { modem, engine, clock, urcs } = setup();
    const first = track(engine.send('AT+CSQ', { prefixes: ['+CSQ:'] }));
    const second = track(engine.send('AT+CGMI'));
    clock.advance(5000); // timeout -> probe
    modem.feed('\r\nOK\r\n'); // probe answered -> quiet period
    for (let t = 0; t < 2000; t += 50) {
      modem.feed('\r\n+CSQ: 12,99\r\n');
      clock.advance(50);
    }
    await flush();
    expect(first.value?.status).toBe('timeout');
    expect(modem.written).toContain('AT+CGMI\r');
    expect(modem.written.indexOf('AT+CGMI\r')).toBe(2);
    expect(urcs.length).toBeGreaterThan(10);
    expect(second.done).toBe(false);
  });

  it('reports a line that stopped answering, once per run, and still resolves every command', async () => {
    const { modem, engine, clock } = setup({ timeoutMs: 1000, probeTimeoutMs: 500, maxProbes: 2, unresponsiveAfter: 3 });
    const events: number[] = [];
    engine.onUnresponsive((e) => events.push(e.consecutiveTimeouts));
    const results = [1, 2, 3].map(() => track(engine.send('AT')));
    clock.advance(1000 + 500 + 500);
    expect(events).toEqual([3]);
    clock.advance(3 * 2000);
    await flush();
    expect(results.every((r) => r.done && r.value?.status === 'timeout')).toBe(true);
    expect(events).toEqual([3]);
    modem.respond = (w) => (w === 'AT\r' ? '\r\nOK\r\n' : undefined);
    const ok = track(engine.send('AT'));
    clock.advance(10_000);
    await flush();
    expect(ok.value).toMatchObject({ status: 'final', ok: true });
    modem.respond = undefined;
    engine.send('AT');
    clock.advance(10_000);
    expect(events).toEqual([3, 3]);
  });

  it('keeps input in order when the transport answers synchronously from inside write', async () => {
    const { modem, engine } = setup();
    modem.respond = (w) => (w === 'AT+CSQ\r' ? 'AT+CSQ\r\r\n+CSQ: 7,99\r\n\r\nOK\r\n' : `${w}\r\nOK\r\n`);
    const results = await Promise.all([engine.send(csq()), engine.send('ATE0'), engine.send(csq())]);
    expect(results.map((r) => r.status === 'final' && r.lines)).toEqual([['+CSQ: 7,99'], [], ['+CSQ: 7,99']]);
  });

  it('close resolves everything pending, closes the transport and ignores later input', async () => {
    const { modem, engine, urcs } = setup();
    const a = engine.send('AT');
    const b = engine.send('AT+CSQ');
    engine.close();
    expect(await a).toMatchObject({ status: 'closed' });
    expect(await b).toMatchObject({ status: 'closed' });
    expect(modem.closed).toBe(true);
    modem.feed('\r\nRING\r\n');
    expect(urcs).toEqual([]);
    expect(await engine.send('AT')).toMatchObject({ status: 'closed' });
  });

  it('rejects command text that cannot be sent, and reports a failed write', async () => {
    const { modem, engine } = setup();
    expect(await engine.send('AT+CSQ\rATD112;')).toMatchObject({ status: 'rejected' });
    expect(await engine.send('+CSQ')).toMatchObject({ status: 'rejected' });
    expect(modem.written).toEqual([]);
    modem.write = () => Promise.reject(new Error('port gone'));
    const r = await engine.send('AT');
    expect(r).toMatchObject({ status: 'transport-error', reason: 'port gone' });
  });

  it('a listener that throws does not break the engine', async () => {
    const { modem, engine, urcs } = setup();
    engine.onUrc(() => {
      throw new Error('bad listener');
    });
    const p = engine.send('AT');
    modem.feed('\r\nRING\r\nOK\r\n');
    expect(expectFinal(await p).ok).toBe(true);
    expect(urcs.length).toBe(1);
    expect(engine.stats.listenerErrors).toBe(1);
  });
});
