// A modem that takes 3.5 s to list its calls (busy while a call sets up, on a fast link), and the handler's Hang up
// pressed while the poll of her answered call asks AT+CLCC. The line gives the list up after 1 s
// (modem-line.ts LIST_BEFORE_ACTION_MS), and both probes of the engine's resynchronisation meet 2 s of silence:
// the modem is still listing. Before, the queue then went on and the list's late OK, arriving after the ATH was
// written, was taken for the ATH's: a hang-up the modem refused was reported done while her call went on (review
// 15; docs/at.md "Limit", now "Out of step"). Now the engine, out of step, confirms the ATH's final with a third
// probe (AT+CMGF?) before handing it out: the last final before that probe's answer line is the ATH's own.
// Through the real line bank and modem line on a scripted modem (CLIP on), answering in order, one command at a time.
import { describe, expect, it } from 'vitest';
import { lineWith, standard, steps, type ScriptedLine as Line } from './scripted-port.js';

const HER = '+447700900123';
const LIST_MS = 3_500;

/** A line whose modem answers in order, each command 10 ms, AT+CLCC LIST_MS once `busy` is set. */
async function busyLine(ath: string[], chup: string[]) {
  const due: Array<{ at: number; lines: string[] }> = [];
  const written: Array<{ line: string; at: number }> = [];
  const box: { x?: Line; busy: boolean } = { busy: false };
  let freeAt = 0;
  const x = await lineWith((c) => {
    const now = box.x?.clock.now() ?? 0;
    written.push({ line: c, at: now });
    const answer = c === 'ATH' ? ath : c === 'AT+CHUP' ? chup : c === 'AT+CLCC' ? [`+CLCC: 1,1,0,0,0,"${HER}",145`, 'OK'] : standard(c);
    freeAt = Math.max(now, freeAt) + (c === 'AT+CLCC' && box.busy ? LIST_MS : 10);
    due.push({ at: freeAt, lines: answer });
    return [];
  });
  box.x = x;
  /** Steps the clock by 100 ms `times` times, the modem's answers coming when due. */
  const run = async (times: number) => {
    for (let i = 0; i < times; i++) {
      await steps(x, 100, 1);
      while (due.length > 0 && (due[0]?.at ?? Infinity) <= x.clock.now()) await x.urc(...(due.shift()?.lines ?? []));
    }
  };
  void x.bank.start();
  await run(20);
  return { x, run, written, box };
}

/** Runs the line until `action` is done (at most 30 s, simulated). */
async function until<T>(run: (times: number) => Promise<void>, action: Promise<T>): Promise<T> {
  let done = false;
  const result = action.then((r) => {
    done = true;
    return r;
  });
  for (let i = 0; i < 300 && !done; i++) await run(1);
  return result;
}

describe('Hang up during a poll of a modem 3.5 s listing its calls', () => {
  for (const [name, ath, chup, outcome, ended] of [
    ['refused by the modem (ATH and AT+CHUP): the handler is told it failed, her call stays', ['+CME ERROR: 3'], ['+CME ERROR: 3'], { ok: false }, false],
    ['refused as ATH, done by AT+CHUP', ['+CME ERROR: 3'], ['OK'], { ok: true, detail: 'AT+CHUP: OK' }, true],
    ['accepted as ATH', ['OK'], ['OK'], { ok: true, detail: 'ATH: OK' }, true],
  ] as const) {
    it(`a hang-up ${name}`, async () => {
      const { x, run, written, box } = await busyLine([...ath], [...chup]);
      await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
      await run(10);
      expect(await until(run, x.bank.answer('L1'))).toMatchObject({ ok: true });
      box.busy = true;
      const polls = () => written.filter((w) => w.line === 'AT+CLCC').length;
      const before = polls();
      for (let i = 0; i < 400 && polls() === before; i++) await run(1); // the next poll's AT+CLCC is written
      const result = await until(run, x.bank.hangUp('L1'));
      box.busy = false;
      // Before: `ATH: OK` for a refused ATH (the list's late OK taken for its answer), and no AT+CHUP tried.
      expect(result).toMatchObject(outcome);
      expect(written.some((w) => w.line === 'AT+CHUP')).toBe(ath[0] !== 'OK');
      expect(x.rec.calls.map((e) => e.kind).includes('ended')).toBe(ended);
      await x.bank.close();
    });
  }
});
