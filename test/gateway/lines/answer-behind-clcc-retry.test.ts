// The handler's Answer pressed while the retry AT+CLCC for her number is in flight, on a modem that does not
// answer AT+CLCC (call-tracker.ts SILENT_RETRY_MS, modem-line.ts callAction; docs/lines.md "Caller id"). The
// retry is asked at her RING 10 s after the caller id wait's AT+CLCC got no answer; the ATA cannot be written
// while it runs (V.250: a character received during a command may abort it), so it waited for the AT+CLCC's full
// timeout and the resynchronisation probe: her 999 call answered 5.1 s after Answer (simulated). Now the AT+CLCC
// in flight is abandoned 1 s after it was written when Answer is pressed (modem-line.ts LIST_BEFORE_ACTION_MS:
// 1.1 s at worst; review 14 replaced a 1 s timeout of the query itself, which lost the answers of a modem slow to
// list its calls: slow-clcc-answer), and a modem that answers the retry (one that was busy once) still gives her
// number.
// Through the real line bank and modem line on a scripted modem (CLIP off).
import { describe, expect, it } from 'vitest';
import { lineWith, standard, steps, stepUntilDone, type Script, type ScriptedLine as Line } from './scripted-port.js';

const HER = '+447700900123';

const kinds = (x: Line) =>
  x.rec.calls.map((c) => (c.kind === 'identified' || c.kind === 'ringing' ? `${c.kind} ${String((c as { number?: unknown }).number)}` : c.kind));


/**
 * Her call rings (CLIP off) on a modem answering AT+CLCC as `clcc` says (the nth AT+CLCC, from 1), RINGs every
 * 5 s, until a RING's AT+CLCC for her number is written; then Answer is pressed `pressAfterMs` later. The
 * simulated ms from Answer to the ATA written, and the line.
 */
async function answerDuringRetry(clcc: (n: number) => string[], pressAfterMs: number): Promise<{ x: Line; wait: number; clccsBefore: number }> {
  let n = 0;
  const clock = { now: () => 0 };
  const written: Array<{ line: string; at: number }> = [];
  const script: Script = (c) => {
    written.push({ line: c, at: clock.now() });
    return c === 'AT+CLCC' ? clcc(++n) : standard(c);
  };
  const x = await lineWith(script);
  clock.now = () => x.clock.now();
  await x.bank.start();
  await x.settle();
  await x.urc('RING');
  for (let i = 0; i < 100 && x.rec.calls.length === 0; i++) await steps(x, 100, 1);
  expect(kinds(x)).toEqual(['ringing null']);
  const clccsBefore = n;
  for (let r = 0; r < 6 && n === clccsBefore; r++) {
    await steps(x, 500, 10);
    await x.urc('RING');
  }
  expect(n).toBe(clccsBefore + 1); // the retry is in flight
  await steps(x, pressAfterMs, 1);
  const pressedAt = x.clock.now();
  expect(await stepUntilDone(x, x.bank.answer('L1'))).toMatchObject({ ok: true });
  const ata = written.find((w) => w.line === 'ATA');
  expect(ata).toBeDefined();
  return { x, wait: (ata?.at ?? 0) - pressedAt, clccsBefore };
}

describe('Answer pressed while the retry AT+CLCC for her number is in flight', () => {
  it('a modem that never answers AT+CLCC: the ATA is written within 1.1 s of Answer (simulated), not after 5 s', async () => {
    const { x, wait } = await answerDuringRetry(() => [], 0);
    console.log(`ATA written ${wait} ms (simulated) after Answer, pressed as the retry AT+CLCC was written`); // before: 5100
    expect(kinds(x)).toEqual(['ringing null', 'answered']);
    expect(wait).toBeLessThanOrEqual(1_100); // before: 5,100 (the AT+CLCC's 5 s timeout and the probe's settle)
    await x.bank.close();
  });

  it('pressed half a second into the retry: the ATA is written within 0.6 s of Answer (simulated)', async () => {
    const { x, wait } = await answerDuringRetry(() => [], 500);
    console.log(`ATA written ${wait} ms (simulated) after Answer, pressed 500 ms into the retry AT+CLCC`); // before: 4600
    expect(wait).toBeLessThanOrEqual(600);
    await x.bank.close();
  });

  it('a modem busy once that answers the retry: her number is still identified, and the ATA follows at once', async () => {
    const { x, wait } = await answerDuringRetry((n) => (n === 1 ? [] : [`+CLCC: 1,1,4,0,0,"${HER}",145`, 'OK']), 0);
    console.log(`ATA written ${wait} ms (simulated) after Answer, the retry answered`);
    expect(kinds(x)).toEqual(['ringing null', `identified ${HER}`, 'answered']);
    expect(wait).toBeLessThanOrEqual(100);
    await x.bank.close();
  });
});
