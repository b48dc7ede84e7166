// The engine out of step (docs/at.md "Out of step"): a resynchronisation whose probes all met silence lets the
// queue go on, but the answers to what was given up and to those probes may still come. Before, the next final
// to arrive was taken for the next command's: a call list given up for a Hang up, answered late, made a refused
// ATH look done (review 15: a modem 3.5 s listing its calls, a link of 3 s round trip). Now such a final is held
// until a probe not owed answers: the command's own final is the last one before that probe's answer line.
//
// The modem here works through its commands in order, one at a time, as a modem does: command `c` takes busy(c)
// ms, and the link adds `oneWay` ms each way.
import { describe, expect, it } from 'vitest';
import type { AtResult } from '../../../protocol/at/index.js';
import { track } from './fake-modem.js';
import { serialModem, type Answers } from './serial-modem.js';

const HER_CALL = '+CLCC: 1,1,4,0,0,"+447700900123",145';
const modemAnswers: Answers = (line) => {
  if (line === 'AT+CLCC') return [HER_CALL, 'OK'];
  if (line === 'AT+CMEE?') return ['+CMEE: 1', 'OK'];
  if (line === 'AT+CSCS?') return ['+CSCS: "GSM"', 'OK'];
  if (line === 'AT+CMGF?') return ['+CMGF: 0', 'OK'];
  if (line === 'AT+CSQ') return ['+CSQ: 17,99', 'OK'];
  if (line === 'ATH') return ['+CME ERROR: 3']; // the hang-up refused
  return ['OK'];
};

function modemOn(oneWay: number, busy: (c: string) => number, answers: Answers = modemAnswers) {
  const m = serialModem({ oneWay, busy, answers, stepMs: 50 });
  let unresponsive = 0;
  m.engine.onUnresponsive(() => unresponsive++);
  return { ...m, unresponsive: () => unresponsive };
}

const finalOf = (r: AtResult | undefined) => (r?.status === 'final' ? { ok: r.ok, kind: r.final.kind, lines: r.lines } : r?.status);

describe('AtEngine out of step: a final after a silent resynchronisation is confirmed before it is handed out', () => {
  for (const rtt of [3100, 3500, 5000]) {
    it(`a call list given up after 1 s, then a refused hang-up, ${rtt} ms round trip: the hang-up is reported refused`, async () => {
      const { engine, run, confirmations, unresponsive } = modemOn(rtt / 2, () => 0);
      const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
      await run(1000);
      list.cancel();
      const hangUp = track(engine.send('ATH'));
      await run(20_000);
      // Before: the list's late OK was taken for the ATH's, and her call was shown hung up while it went on.
      expect(finalOf(hangUp.value)).toEqual({ ok: false, kind: 'CME_ERROR', lines: [] });
      expect(confirmations()).toBe(1);
      expect(unresponsive()).toBe(0);
    });
  }

  it('a modem 7.5 s listing its calls on a fast link (the list times out at 5 s), then a refused hang-up', async () => {
    const { engine, run } = modemOn(20, (c) => (c === 'AT+CLCC' ? 7500 : 10));
    const list = track(engine.send('AT+CLCC', { prefixes: ['+CLCC:'] }));
    await run(5000);
    expect(list.value?.status).toBe('timeout');
    const hangUp = track(engine.send('ATH'));
    await run(20_000);
    expect(finalOf(hangUp.value)).toEqual({ ok: false, kind: 'CME_ERROR', lines: [] });
  });

  it('a list the modem never answers and probes answered late (3.5 s round trip): the owed probes\' OKs are not the ATH\'s', async () => {
    const { engine, run, confirmations } = modemOn(1750, () => 0, (line) => (line === 'AT+CLCC' ? undefined : modemAnswers(line)));
    const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
    await run(1000);
    list.cancel();
    const hangUp = track(engine.send('ATH'));
    await run(20_000);
    expect(finalOf(hangUp.value)).toEqual({ ok: false, kind: 'CME_ERROR', lines: [] });
    expect(confirmations()).toBe(1);
  });

  it('a command with an answer line behind late answers gets its own line, not the late list', async () => {
    const { engine, run } = modemOn(1750, () => 0);
    const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
    await run(1000);
    list.cancel();
    const csq = track(engine.send('AT+CSQ', { prefixes: ['+CSQ:'] }));
    await run(20_000);
    expect(finalOf(csq.value)).toEqual({ ok: true, kind: 'OK', lines: ['+CSQ: 17,99'] });
  });

  it("probes lost (the link down 2.5 s), not late: the ATA written after gets its own OK, and the line is back in step", async () => {
    const { engine, run, link, confirmations } = modemOn(10, () => 10);
    link.down = true; // the list and both probes are lost
    const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
    await run(1000);
    list.cancel();
    await run(2500);
    link.down = false;
    const ata = track(engine.send('ATA', { timeoutMs: 30_000 }));
    await run(3000);
    // The taken-back fix of 480b3b5 dropped this OK waiting for the owed probes: Answer failed after 33 s.
    expect(finalOf(ata.value)).toEqual({ ok: true, kind: 'OK', lines: [] });
    expect(confirmations()).toBe(1);
    // In step again: the next command is not confirmed.
    const next = track(engine.send('AT+CSQ', { prefixes: ['+CSQ:'] }));
    await run(1000);
    expect(finalOf(next.value)).toEqual({ ok: true, kind: 'OK', lines: ['+CSQ: 17,99'] });
    expect(confirmations()).toBe(1);
  });

  it('the confirmation lost too: the command still ends, with the last final seen, and the queue goes on', async () => {
    const { engine, run, modem, link } = modemOn(10, () => 10);
    link.down = true;
    const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
    await run(1000);
    list.cancel();
    await run(2500);
    link.down = false;
    modem.respond = (w) => {
      // The ATA is answered; the line goes down again before the confirmation.
      if (w === 'ATA\r') {
        link.down = true;
        return '\r\nOK\r\n';
      }
      return undefined;
    };
    const ata = track(engine.send('ATA', { timeoutMs: 30_000 }));
    await run(3000);
    expect(finalOf(ata.value)).toEqual({ ok: true, kind: 'OK', lines: [] });
    expect(modem.written.filter((w) => w === '\x1bAT+CMGF?\r')).toHaveLength(1); // confirmed, in vain
    const next = track(engine.send('AT+CSQ', { timeoutMs: 2000 }));
    await run(5000);
    expect(next.value?.status).toBe('timeout'); // it ended (the link is still down), nothing waits for ever
  });

  for (const [cmgf, name] of [
    [['ERROR'], 'answered ERROR'],
    [['+CMGF 0', 'OK'], 'its answer line damaged'],
  ] as const) {
    for (const [command, own] of [
      ['ATH', '+CME ERROR: 3'],
      ['ATA', 'OK'],
    ] as const) {
      it(`probes lost, then ${command} (${own}) confirmed by a probe ${name}: ${command} gets its own final`, async () => {
        const answers: Answers = (line) => (line === 'AT+CMGF?' ? [...cmgf] : line === command ? [own] : modemAnswers(line));
        const { engine, run, link } = modemOn(10, () => 10, answers);
        link.down = true;
        const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
        await run(1000);
        list.cancel();
        await run(2500);
        link.down = false;
        const r = track(engine.send(command, { timeoutMs: 30_000 }));
        await run(5000);
        // Before review 16b the probe's own final (the last) was handed out: ATA reported ERROR with her call answered.
        expect(finalOf(r.value)).toMatchObject({ ok: own === 'OK', lines: [] });
        expect(r.value?.status === 'final' && r.value.final.line).toBe(own);
      });
    }
  }

  it('a line in step never pays for a confirmation', async () => {
    const { engine, run, confirmations } = modemOn(10, () => 10);
    for (let i = 0; i < 5; i++) {
      const r = track(engine.send('AT+CSQ', { prefixes: ['+CSQ:'] }));
      await run(200);
      expect(finalOf(r.value)).toEqual({ ok: true, kind: 'OK', lines: ['+CSQ: 17,99'] });
    }
    // A list given up whose probes are answered (resynchronised normally): still no confirmation after it.
    const list = engine.enqueue('AT+CLCC', { prefixes: ['+CLCC:'] });
    list.cancel();
    const hangUp = track(engine.send('ATH'));
    await run(3000);
    expect(finalOf(hangUp.value)).toEqual({ ok: false, kind: 'CME_ERROR', lines: [] });
    expect(confirmations()).toBe(0);
  });
});
