// Her answered call on a line behind a serial link of 3.5 s round trip (1.75 s each way; a serial device server
// far away), the modem answering in order. Answer is pressed while the AT+CLCC asking her number is in flight
// (RING without caller id), so the engine gives the list up and resynchronises. Review 16: 18 s after Answer her
// connected call was shown ended by the caller (before and after 09b4e4e). A resynchronisation whose probes got
// late finals but not their answer lines in their time (the answers of a link slower than the probes) ended as
// if in step; the probes' own OKs came later and one was taken for a poll's AT+CLCC: `OK` with no call in it.
// Now such a resynchronisation, on a modem known to answer the probes, leaves the line out of step (docs/at.md
// "Out of step"): those probes are owed, and each final is confirmed before it is handed out.
// Through the real line bank and modem line on a scripted modem.
import { describe, expect, it } from 'vitest';
import { lineWith, standard, steps, type ScriptedLine as Line } from './scripted-port.js';

const HER = '+447700900123';
const ONE_WAY = 1_750;

async function farLine() {
  const st = { ringing: false, answered: false, written: [] as string[] };
  const box: { x?: Line } = {};
  const inbox: string[] = [];
  let busy = false;
  const clock = () => (box.x as Line).clock;
  const answer = (c: string): string[] => {
    if (c === 'ATA') {
      st.answered = true;
      return ['OK'];
    }
    if (c === 'AT+CLCC') return st.ringing ? [`+CLCC: 1,1,${st.answered ? 0 : 4},0,0,"${HER}",145`, 'OK'] : ['OK'];
    return standard(c);
  };
  /** The modem works through what it received in order, 10 ms a command; answers take ONE_WAY to come back. */
  const next = () => {
    if (busy || inbox.length === 0) return;
    const line = inbox.shift() as string;
    busy = true;
    clock().setTimeout(() => {
      busy = false;
      const lines = answer(line);
      clock().setTimeout(() => box.x?.ports.at(-1)?.push(lines), ONE_WAY);
      next();
    }, 10);
  };
  const x = await lineWith((c) => {
    st.written.push(c);
    clock().setTimeout(() => {
      inbox.push(c);
      next();
    }, ONE_WAY);
    return [];
  });
  box.x = x;
  void x.bank.start();
  await steps(x, 100, 900); // the init, at 3.5 s a command
  return { x, st };
}

describe('her answered call behind a link of 3.5 s round trip', () => {
  it('Answer pressed while AT+CLCC asks her number: answered, and not shown ended while she is connected', async () => {
    const { x, st } = await farLine();
    st.ringing = true;
    const before = st.written.length;
    await x.urc('RING');
    for (let i = 0; i < 600 && !st.written.slice(before).includes('AT+CLCC'); i++) await steps(x, 100, 1);
    await steps(x, 100, 1);
    let result: unknown;
    void x.bank.answer('L1').then((r) => (result = r));
    for (let i = 0; i < 300 && result === undefined; i++) await steps(x, 100, 1);
    expect(result).toMatchObject({ ok: true });
    await steps(x, 100, 600); // a minute of polls
    expect(st.answered).toBe(true);
    // Before: ["ringing", "answered", "ended"] (by the caller, 18 s after Answer), her call still connected.
    expect(x.rec.calls.map((e) => e.kind)).not.toContain('ended');
    expect(x.rec.calls.map((e) => e.kind)).toContain('answered');
    await x.bank.close();
  });
});
