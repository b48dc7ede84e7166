// A modem behind a slow link (a serial device server over a slow network: every answer 1.2 s after its command),
// and the handler's Hang up pressed while the poll of her answered call asks AT+CLCC. The line gives the list up
// after 1 s (modem-line.ts LIST_BEFORE_ACTION_MS) and the engine resynchronises before the ATH. With a bare `AT`
// probe the list's late OK satisfied the probe, the ATH was written 0.1 s later, and the probe's own OK, arriving
// after it, was taken for the ATH's: a hang-up the modem refused was reported done to the handler while her call
// went on (review 14 of f1f91ec). Now the probe is a query whose answer line is recognised (AT+CMEE?, AT+CSCS?:
// protocol/at/probes.ts), so the ATH gets its own answer. docs/at.md "Timeouts and resynchronisation".
// Through the real line bank and modem line on a scripted modem (CLIP on).
import { describe, expect, it } from 'vitest';
import { lineWith, standard, steps, type ScriptedLine as Line } from './scripted-port.js';

const HER = '+447700900123';
const RTT_MS = 1_200;

/** A line whose modem answers every command RTT_MS after it was written; `ath`, `chup`: its answers to those. */
async function slowLine(ath: string[], chup: string[]) {
  const due: Array<{ at: number; lines: string[] }> = [];
  const written: Array<{ line: string; at: number }> = [];
  const box: { x?: Line } = {};
  const x = await lineWith((c) => {
    const now = box.x?.clock.now() ?? 0;
    written.push({ line: c, at: now });
    const answer = c === 'ATH' ? ath : c === 'AT+CHUP' ? chup : c === 'AT+CLCC' ? [`+CLCC: 1,1,0,0,0,"${HER}",145`, 'OK'] : standard(c);
    due.push({ at: now + RTT_MS, lines: answer });
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
  await run(100); // the initialisation, 1.2 s a command
  return { x, run, written };
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

describe('Hang up during a poll, behind a link with 1.2 s of round trip', () => {
  for (const [name, ath, chup, outcome] of [
    ['refused by the modem (ATH and AT+CHUP): the handler is told it failed', ['+CME ERROR: 3'], ['+CME ERROR: 3'], { ok: false }],
    ['refused as ATH, done by AT+CHUP', ['+CME ERROR: 3'], ['OK'], { ok: true, detail: 'AT+CHUP: OK' }],
    ['accepted as ATH', ['OK'], ['OK'], { ok: true, detail: 'ATH: OK' }],
  ] as const) {
    it(`a hang-up ${name}`, async () => {
      const { x, run, written } = await slowLine([...ath], [...chup]);
      await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
      await run(10);
      expect(await until(run, x.bank.answer('L1'))).toMatchObject({ ok: true });
      const polls = () => written.filter((w) => w.line === 'AT+CLCC').length;
      const before = polls();
      for (let i = 0; i < 400 && polls() === before; i++) await run(1); // the next poll's AT+CLCC is written
      const result = await until(run, x.bank.hangUp('L1'));
      expect(written.some((w) => w.line === 'ATH')).toBe(true);
      // Before: `ATH: OK` whatever the modem said to ATH (the probe's OK, arriving after ATH, taken for its answer).
      expect(result).toMatchObject(outcome);
      await x.bank.close();
    });
  }
});
