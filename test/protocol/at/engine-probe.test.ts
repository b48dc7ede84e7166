// The engine's resynchronisation with recognisable probes (AtEngineOptions.probes): after a command is given up,
// the next command must get its own answer, not a late one, even behind a link slower than the probe timeout.
import { describe, expect, it } from 'vitest';
import { AtEngine, type AtEngineOptions, type AtResult } from '../../../protocol/at/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { FakeModem, flush, track } from './fake-modem.js';

const PROBES = [
  { command: 'AT+CMEE?', prefix: '+CMEE:' },
  { command: 'AT+CSCS?', prefix: '+CSCS:' },
];
const HER_CALL = '+CLCC: 1,1,4,0,0,"+447700900123",145';

/** What a modem answers to each command line (ESC and CR taken off); undefined: no answer. */
type Answers = (line: string) => string[] | undefined;
const modemAnswers: Answers = (line) => {
  if (line === 'AT+CLCC') return [HER_CALL, 'OK'];
  if (line === 'AT+CMEE?') return ['+CMEE: 1', 'OK'];
  if (line === 'AT+CSCS?') return ['+CSCS: "GSM"', 'OK'];
  if (line === 'ATH') return ['+CME ERROR: 3']; // the hang-up refused
  return ['OK'];
};

/** An engine on a modem that answers each command `rttMs` after it was written (a slow serial device server). */
function slowModem(rttMs: number, answers: Answers = modemAnswers, options: AtEngineOptions = { probes: PROBES }) {
  const clock = new ManualClock(0);
  const modem = new FakeModem();
  modem.respond = (written) => {
    const line = written.replace(/^\x1b/, '').replace(/\r$/, '');
    const lines = answers(line);
    if (lines !== undefined) clock.setTimeout(() => modem.feed(lines.map((l) => `\r\n${l}\r\n`).join('')), rttMs);
    return undefined;
  };
  const engine = new AtEngine(modem, { clock, ...options });
  const strays: string[] = [];
  engine.onStray((l) => strays.push(l));
  let unresponsive = 0;
  engine.onUnresponsive(() => unresponsive++);
  const run = async (ms: number) => {
    for (let t = 0; t < ms; t += 50) {
      clock.advance(50);
      await flush();
    }
  };
  return { clock, modem, engine, strays, run, unresponsive: () => unresponsive };
}

const finalOf = (r: AtResult | undefined) => (r?.status === 'final' ? { ok: r.ok, kind: r.final.kind, lines: r.lines } : r?.status);

describe('AtEngine resynchronisation with recognisable probes', () => {
  for (const [rtt, after] of [
    [100, 50],
    [1200, 1000],
    [1900, 1000],
    [2500, 1000],
  ] as const) {
    it(`a call list given up ${after} ms in, then a refused hang-up: the hang-up gets its own refusal (${rtt} ms round trip)`, async () => {
      const { modem, engine, run, unresponsive } = slowModem(rtt);
      const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
      await run(after);
      list.cancel(); // the handler pressed Hang up while the list ran
      const hangUp = track(engine.send('ATH'));
      await run(15_000);
      // Before: the probe's OK (or the list's) was taken for ATH's, and a refused hang-up was reported done.
      expect(finalOf(hangUp.value)).toEqual({ ok: false, kind: 'CME_ERROR', lines: [] });
      // ATH was written once the probe's own answer was in, never before.
      const ath = modem.written.indexOf('ATH\r');
      expect(ath).toBeGreaterThan(0);
      expect(modem.written.slice(0, ath).filter((w) => w.startsWith('\x1b'))).not.toHaveLength(0);
      expect(unresponsive()).toBe(0); // a slow modem is not a dead one
    });
  }

  it('two probes in a row are different queries, so a late answer to the first cannot pass for the second', async () => {
    const { modem, engine, run } = slowModem(0, () => undefined, { probes: PROBES, maxProbes: 2 });
    void engine.send('AT+CSQ');
    await run(5000 + 2000);
    expect(modem.written.slice(0, 3)).toEqual(['AT+CSQ\r', '\x1bAT+CMEE?\r', '\x1bAT+CSCS?\r']);
  });

  it('a probe that is the command given up is not used for that resynchronisation', async () => {
    const { modem, engine, run } = slowModem(1500);
    const query = engine.enqueue('AT+CMEE?');
    await run(1000);
    query.cancel();
    const next = track(engine.send('AT+CSQ'));
    await run(10_000);
    expect(modem.written[1]).toBe('\x1bAT+CSCS?\r');
    expect(next.value).toMatchObject({ status: 'final', ok: true });
  });

  it('the echo of a probe (ATE1) is not stray output, and its answer is recognised', async () => {
    const { engine, strays, run, modem } = slowModem(0, (line) => [line, ...(modemAnswers(line) ?? [])]);
    const first = engine.enqueue('AT+CSQ');
    first.cancel();
    const next = track(engine.send('AT+CGMI'));
    await run(1000);
    expect(modem.written).toEqual(['AT+CSQ\r', '\x1bAT+CMEE?\r', 'AT+CGMI\r']);
    expect(next.value).toMatchObject({ status: 'final', ok: true });
    expect(strays.filter((l) => l.includes('CMEE'))).toEqual([]);
  });

  it('a modem that does not know the probes (ERROR) is still resynchronised, then (after two such) probed with a bare AT', async () => {
    const answers: Answers = (line) => (line === 'AT+CMEE?' || line === 'AT+CSCS?' ? ['ERROR'] : ['OK']);
    const { modem, engine, run, unresponsive } = slowModem(10, answers, { probes: PROBES, unresponsiveAfter: 2 });
    for (const command of ['AT+CGMI', 'AT+CGMR']) {
      const a = engine.enqueue('AT+CSQ');
      a.cancel();
      const b = track(engine.send(command));
      await run(10_000);
      expect(b.value).toMatchObject({ status: 'final', ok: true });
    }
    const c = engine.enqueue('AT+CSQ');
    c.cancel();
    const d = track(engine.send('AT+CGMM'));
    await run(1000);
    expect(d.value).toMatchObject({ status: 'final', ok: true });
    const probes = modem.written.filter((w) => w.startsWith('\x1b'));
    expect(probes[probes.length - 1]).toBe('\x1bAT\r');
    expect(unresponsive()).toBe(0); // it answered every probe: not a dead line to be reset
  });

  it('noise on both probe answer lines of one resynchronisation does not turn the probes off', async () => {
    let damaged = 2;
    const answers: Answers = (line) => {
      const a = modemAnswers(line);
      if (a !== undefined && a[0]?.startsWith('+C') && (line === 'AT+CMEE?' || line === 'AT+CSCS?') && damaged-- > 0) return ['+C#EE: 1', 'OK'];
      return a;
    };
    const { modem, engine, run } = slowModem(10, answers);
    for (let i = 0; i < 3; i++) {
      engine.enqueue('AT+CSQ').cancel();
      await run(6000);
    }
    expect(modem.written.filter((w) => w.startsWith('\x1b')).at(-1)).not.toBe('\x1bAT\r');
  });

  it('with one probe query, a second probe waits for its own answer, behind the first\'s (a late answer slower than the probe timeout)', async () => {
    // The handset console's engine: AT+TSINFO? is its only probe. A command given up while its answer still trickles
    // in (a slow line): the first probe meets no final in its time, so a second, identical one is written; then the
    // late final, the first probe's answer and the second's come, in that order.
    const INFO = '\r\n+TSINFO: "TS-0001","1.0.0","356938035643809",0\r\n\r\nOK\r\n';
    const { clock, modem, engine, run } = slowModem(0, () => undefined, { probes: [{ command: 'AT+TSINFO?', prefix: '+TSINFO:' }], settleMs: 50 });
    const given = track(engine.send('AT+TSCFG?', { prefixes: ['+TSCFG:'], timeoutMs: 400 }));
    await run(400);
    expect(given.value).toMatchObject({ status: 'timeout' });
    clock.setTimeout(() => modem.feed('\r\n+TSCFG: "gateway","+441632960001"'), 500); // the late answer, slowly
    clock.setTimeout(() => modem.feed('\r\n\r\nOK\r\n'), 1100); // its end, after the first probe's time
    clock.setTimeout(() => modem.feed(INFO), 1200); // the first probe's answer
    clock.setTimeout(() => modem.feed(INFO), 1400); // the second's
    modem.respond = (w) => {
      // Answered in order: after everything written before it (the second probe's answer, at 1400).
      if (w === 'AT+TSCFG?\r') clock.setTimeout(() => modem.feed('\r\n+TSCFG: "gateway","+441632960001"\r\n\r\nOK\r\n'), 200);
      return undefined;
    };
    const next = track(engine.send('AT+TSCFG?', { prefixes: ['+TSCFG:'], timeoutMs: 400 }));
    await run(3000);
    expect(modem.written.filter((w) => w.startsWith('\x1b'))).toEqual(['\x1bAT+TSINFO?\r', '\x1bAT+TSINFO?\r']);
    // Before: the first probe's answer was taken for the second's, and the second's OK for AT+TSCFG?'s: no lines.
    expect(finalOf(next.value)).toEqual({ ok: true, kind: 'OK', lines: ['+TSCFG: "gateway","+441632960001"'] });
  });

  it('with one probe query, a first probe lost (never answered) does not hold the line: the next commands get their own answers', async () => {
    // The second probe's answer is then taken for the first's and its own waited for in vain: the resynchronisation
    // ends out of step, as one without a probe's answer line does, and the next command is still answered right.
    const INFO = '\r\n+TSINFO: "TS-0001","1.0.0","356938035643809",0\r\n\r\nOK\r\n';
    const CFG = '\r\n+TSCFG: "gateway","+441632960001"\r\n\r\nOK\r\n';
    let probes = 0;
    const { clock, modem, engine, run } = slowModem(0, () => undefined, { probes: [{ command: 'AT+TSINFO?', prefix: '+TSINFO:' }], settleMs: 50 });
    modem.respond = (w) => {
      if (w === '\x1bAT+TSINFO?\r' && probes++ === 0) return undefined; // lost on the way
      if (w.endsWith('AT+TSINFO?\r')) clock.setTimeout(() => modem.feed(INFO), 100);
      if (w === 'AT+TSCFG?\r' && probes > 0) clock.setTimeout(() => modem.feed(CFG), 100);
      return undefined;
    };
    const given = track(engine.send('AT+TSCFG?', { prefixes: ['+TSCFG:'], timeoutMs: 400 }));
    const info = track(engine.send('AT+TSINFO?', { prefixes: ['+TSINFO:'] }));
    await run(10_000);
    expect(given.value).toMatchObject({ status: 'timeout' });
    expect(modem.written.filter((w) => w.startsWith('\x1b'))).toEqual(['\x1bAT+TSINFO?\r', '\x1bAT+TSINFO?\r']);
    expect(finalOf(info.value)).toEqual({ ok: true, kind: 'OK', lines: ['+TSINFO: "TS-0001","1.0.0","356938035643809",0'] });
    const cfg = track(engine.send('AT+TSCFG?', { prefixes: ['+TSCFG:'] }));
    await run(5000);
    expect(finalOf(cfg.value)).toEqual({ ok: true, kind: 'OK', lines: ['+TSCFG: "gateway","+441632960001"'] });
  });

  it('a line that answers nothing is still reported unresponsive (probes count as timeouts)', async () => {
    const { engine, run, unresponsive } = slowModem(0, () => undefined, { probes: PROBES, timeoutMs: 1000, probeTimeoutMs: 500, unresponsiveAfter: 3 });
    const r = track(engine.send('AT+CSQ'));
    await run(3000);
    expect(r.value).toMatchObject({ status: 'timeout' });
    expect(unresponsive()).toBe(1);
  });
});
