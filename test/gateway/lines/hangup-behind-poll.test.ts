// The handler's Hang up pressed while the line's poll of her answered call asks AT+CLCC, on a modem that does not
// answer AT+CLCC (call-tracker.ts poll, modem-line.ts callAction; docs/lines.md "Caller id"). The poll asks
// every 30 s for the whole call; the ATH cannot be written while the AT+CLCC runs (V.250: a character received
// during a command may abort it), so it waited for the AT+CLCC's full 5 s timeout and the resynchronisation
// probe: the ATH written 5.1 s after Hang up (simulated), at every poll of the call. Now the AT+CLCC in flight is
// abandoned 1 s after it was written when Hang up is pressed (modem-line.ts LIST_BEFORE_ACTION_MS: 1.1 s at
// worst; review 14 replaced a 1 s timeout of the query itself: slow-clcc-answer), and a modem silent once that
// answers again still has her ended call noticed at the poll.
// Through the real line bank and modem line on a scripted modem (CLIP off).
import { describe, expect, it } from 'vitest';
import { lineWith, standard, steps, stepUntilDone, type ScriptedLine as Line } from './scripted-port.js';

const HER = '+447700900123';



/** A line whose modem answers the nth AT+CLCC (from 1) with `clcc(n)`; `written`: each command line and when. */
async function line(clcc: (n: number) => string[]) {
  let n = 0;
  const written: Array<{ line: string; at: number }> = [];
  const box: { x?: Line } = {};
  const x = await lineWith((c) => {
    written.push({ line: c, at: box.x?.clock.now() ?? 0 });
    return c === 'AT+CLCC' ? clcc(++n) : standard(c);
  });
  box.x = x;
  await x.bank.start();
  await x.settle();
  return { x, written, clccs: () => n };
}

/** Her call rings and the handler answers it. */
async function answered(x: Line): Promise<void> {
  await x.urc('RING');
  for (let i = 0; i < 100 && x.rec.calls.length === 0; i++) await steps(x, 100, 1);
  expect(await stepUntilDone(x, x.bank.answer('L1'))).toMatchObject({ ok: true });
}

describe("Hang up pressed while the poll of her answered call asks AT+CLCC", () => {
  it('a modem that never answers AT+CLCC: the ATH is written within 1.1 s of Hang up (simulated), not after 5 s', async () => {
    const { x, written, clccs } = await line(() => []);
    await answered(x);
    const waits: number[] = [];
    for (let poll = 0; poll < 2; poll++) {
      const before = clccs();
      for (let i = 0; i < 400 && clccs() === before; i++) await steps(x, 100, 1);
      expect(written.at(-1)?.line).toBe('AT+CLCC'); // the poll's, in flight
      if (poll === 0) {
        await steps(x, 100, 60); // this one runs out; the handler hangs up at the next poll's
        continue;
      }
      const pressedAt = x.clock.now();
      expect(await stepUntilDone(x, x.bank.hangUp('L1'))).toMatchObject({ ok: true });
      waits.push((written.find((w) => w.line === 'ATH')?.at ?? Number.NaN) - pressedAt);
    }
    console.log(`ATH written ${waits[0]} ms (simulated) after Hang up, pressed as the poll's AT+CLCC was written`); // before: 5100
    expect(x.rec.calls.map((c) => c.kind)).toEqual(['ringing', 'answered', 'ended']);
    expect(waits[0]).toBeLessThanOrEqual(1_100);
    await x.bank.close();
  });

  it('a modem silent to one AT+CLCC in her call that answers again: her call, gone from its list, is ended at the poll', async () => {
    // Her number at the caller id wait, the first poll not answered, then a list with no call (a NO CARRIER missed).
    const { x } = await line((n) => (n === 1 ? [`+CLCC: 1,1,4,0,0,"${HER}",145`, 'OK'] : n === 2 ? [] : ['OK']));
    await answered(x);
    for (let i = 0; i < 80 && !x.rec.calls.some((c) => c.kind === 'ended'); i++) await steps(x, 1_000, 1);
    expect(x.rec.calls.map((c) => c.kind)).toEqual(['ringing', 'answered', 'ended']);
    expect(x.rec.calls.at(-1)).toMatchObject({ endedBy: 'caller' });
    await x.bank.close();
  });
});
