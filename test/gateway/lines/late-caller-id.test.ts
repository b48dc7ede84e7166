// The caller's number when the modem could not give it as her call began to ring (call-tracker.ts, docs/lines.md
// "Caller id"). Before: a single refused AT+CLCC during call set-up (CLIP off, or +CLIP late) made the call ring
// with number null, and the +CLIP that came with the next RING was ignored (one ringing per call): a TecSOS
// caller rang as an ordinary call with no number. Now AT+CLCC is asked once more before the ringing is shown,
// and a number that comes after a ringing with number null (a +CLIP, or AT+CLCC at a later RING or poll) is
// reported as `identified`, once, never over a number already shown. Through the real line bank and modem line
// on a scripted modem.
import { describe, expect, it } from 'vitest';
import { lineWith, standard, type Script } from './scripted-port.js';

const HER = '+447700900456';

type Rec = { rec: { calls: readonly { kind: string; endedBy?: string; number?: string | null }[] } };
const kinds = (x: Rec) =>
  x.rec.calls.map((c) => (c.kind === 'ended' ? `ended by ${c.endedBy}` : c.kind === 'ringing' || c.kind === 'identified' ? `${c.kind} ${c.number}` : c.kind));

/** A modem whose AT+CLCC answers `clcc` in turn (the last one for ever); AT+CPAS says a call rings. */
function clccAnswers(clcc: string[][]): Script {
  let n = 0;
  return (c) => {
    if (c === 'AT+CLCC') return clcc[Math.min(n++, clcc.length - 1)] ?? ['ERROR'];
    if (c === 'AT+CPAS') return ['+CPAS: 3', 'OK'];
    return standard(c);
  };
}

const LISTED = [`+CLCC: 1,1,4,0,0,"${HER}",145`, 'OK'];

describe('a refused AT+CLCC as her call begins to ring', () => {
  it('refused once: AT+CLCC is asked again and the ringing carries her number', async () => {
    const x = await lineWith(clccAnswers([['+CME ERROR: 3'], LISTED]));
    await x.bank.start();
    await x.urc('RING'); // CLIP off (or late): no +CLIP
    x.clock.advance(300);
    await x.settle();
    x.clock.advance(300);
    await x.settle();
    expect(kinds(x)).toEqual([`ringing ${HER}`]);
    expect(x.log.filter((c) => c === 'AT+CLCC')).toHaveLength(2);
    await x.bank.close();
  });

  it('refused every time: ringing with number null, then the +CLIP of the next RING identifies her, once', async () => {
    const x = await lineWith(clccAnswers([['ERROR']]));
    await x.bank.start();
    await x.urc('RING');
    for (let i = 0; i < 4; i++) {
      x.clock.advance(300);
      await x.settle();
    }
    expect(kinds(x)).toEqual(['ringing null']);
    x.clock.advance(2_400);
    await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
    x.clock.advance(3_000);
    await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
    expect(kinds(x)).toEqual(['ringing null', `identified ${HER}`]); // before: ['ringing null']
    expect(x.rec.calls[1]).toMatchObject({ kind: 'identified', lineId: 'L1', number: HER, toa: 145 });
    await x.bank.close();
  });

  it('CLIP off and AT+CLCC refused at first: the next RING asks AT+CLCC again and identifies her', async () => {
    const x = await lineWith(clccAnswers([['ERROR'], ['ERROR'], LISTED]));
    await x.bank.start();
    await x.urc('RING');
    for (let i = 0; i < 4; i++) {
      x.clock.advance(300);
      await x.settle();
    }
    expect(kinds(x)).toEqual(['ringing null']);
    x.clock.advance(2_400);
    await x.urc('RING');
    expect(kinds(x)).toEqual(['ringing null', `identified ${HER}`]);
    await x.bank.close();
  });

  it('her number arrives after the handler answered: still identified', async () => {
    const x = await lineWith(clccAnswers([['ERROR']]));
    await x.bank.start();
    await x.urc('RING');
    for (let i = 0; i < 4; i++) {
      x.clock.advance(300);
      await x.settle();
    }
    expect(await x.bank.answer('L1')).toMatchObject({ ok: true });
    await x.urc(`+CLIP: "${HER}",145,,,,0`); // a modem that prints +CLIP late
    expect(kinds(x)).toEqual(['ringing null', 'answered', `identified ${HER}`]);
    await x.bank.close();
  });

  it('a withheld caller (+CLIP with no number) is not identified by a later +CLIP of another number', async () => {
    const x = await lineWith(clccAnswers([['ERROR']]));
    await x.bank.start();
    await x.urc('RING', '+CLIP: "",128,,,,1');
    await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
    expect(kinds(x)).toEqual(['ringing null']);
    await x.bank.close();
  });

  it('a number already shown is never replaced by another', async () => {
    const x = await lineWith(clccAnswers([['ERROR']]));
    await x.bank.start();
    await x.urc('RING', `+CLIP: "${HER}",145,,,,0`);
    await x.urc('RING', '+CLIP: "+447700900999",145,,,,0');
    expect(kinds(x)).toEqual([`ringing ${HER}`]);
    await x.bank.close();
  });
});
