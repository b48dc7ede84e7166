// A modem that answers AT+CLCC slowly (1.5 s: a real modem while a call sets up, a serial device server's latency)
// after it did not answer one, or was asked for her number alone (review 14 of 0701aed / 2a3856c). Those AT+CLCC
// waited 1 s for their answer (QUICK_LIST_TIMEOUT_MS, so that an ATA / ATH asked meanwhile did not wait 5 s behind
// them): each timed out, the late answer was dropped as stray, and her number was never found (her TecSOS call
// rang unflagged), and her answered call, gone from the modem's list (a NO CARRIER missed), was never ended: every
// poll timed out again. Now AT+CLCC has its full time, and an ATA / ATH asked while one runs abandons it once it
// has had 1 s (modem-line.ts LIST_BEFORE_ACTION_MS; answer-behind-clcc-retry, hangup-behind-poll). docs/lines.md
// "Caller id".
// Through the real line bank and modem line on a scripted modem (CLIP off unless pushed).
import { describe, expect, it } from 'vitest';
import { lineWith, standard, steps, type ScriptedLine as Line } from './scripted-port.js';

const HER = '+447700900123';
const SLOW_MS = 1_500;

const kinds = (x: Line) =>
  x.rec.calls.map((c) => (c.kind === 'identified' || c.kind === 'ringing' ? `${c.kind} ${String(c.number)}` : c.kind === 'ended' ? `ended by ${c.endedBy}` : c.kind));


/**
 * A line whose modem answers the nth AT+CLCC (from 1) with `now(n)` at once, or, when that is undefined, with
 * `late(n)` SLOW_MS after it was written (the test's clock steps deliver it: see `run`).
 */
async function line(now: (n: number) => string[] | undefined, late: (n: number) => string[]) {
  let n = 0;
  const due: Array<{ at: number; lines: string[] }> = [];
  const box: { x?: Line } = {};
  const x = await lineWith((c) => {
    if (c !== 'AT+CLCC') return standard(c);
    const k = ++n;
    const answer = now(k);
    if (answer !== undefined) return answer;
    due.push({ at: (box.x?.clock.now() ?? 0) + SLOW_MS, lines: late(k) });
    return [];
  });
  box.x = x;
  await x.bank.start();
  await x.settle();
  /** Steps the clock by 100 ms `times` times, the modem's late answers coming when due. */
  const run = async (times: number) => {
    for (let i = 0; i < times; i++) {
      await steps(x, 100, 1);
      while (due.length > 0 && (due[0]?.at ?? Infinity) <= x.clock.now()) await x.urc(...(due.shift()?.lines ?? []));
    }
  };
  return { x, run, clccs: () => n };
}

describe('a modem that answers AT+CLCC in 1.5 s', () => {
  it('her number (CLIP off, AT+CLCC refused as her call sets up, then slow) is found at a RING: her call flagged', async () => {
    const { x, run } = await line(
      (n) => (n <= 2 ? ['ERROR'] : undefined),
      () => [`+CLCC: 1,1,4,0,0,"${HER}",145`, 'OK'],
    );
    for (let r = 0; r < 8 && !x.rec.calls.some((c) => c.kind === 'identified'); r++) {
      await x.urc('RING');
      await run(50);
    }
    expect(kinds(x)).toEqual(['ringing null', `identified ${HER}`]); // before: ['ringing null'], every ask timed out
    await x.bank.close();
  });

  it('her answered call, gone from its list after a poll got no answer, is ended at the next poll', async () => {
    const { x, run, clccs } = await line(
      (n) => (n === 1 ? [] : undefined), // the first poll: no answer at all
      () => ['OK'], // then: no call (her NO CARRIER was missed), said 1.5 s late
    );
    await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
    let answered = false;
    const a = x.bank.answer('L1').then((r) => (answered = r.ok));
    for (let i = 0; i < 50 && !answered; i++) await run(1);
    await a;
    for (let i = 0; i < 1_200 && !x.rec.calls.some((c) => c.kind === 'ended'); i++) await run(1); // 2 min
    expect(clccs()).toBeGreaterThanOrEqual(2);
    expect(kinds(x)).toEqual([`ringing ${HER}`, 'answered', 'ended by caller']); // before: never ended
    await x.bank.close();
  });
});
