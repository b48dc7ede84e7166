// The handler's hang-up of an answered call the line has not seen since a lost link or a gateway restart: the
// line asks AT+CLCC before its ATH (22a8462), through the real line bank and modem line on a scripted modem.
// Review of 22a8462: the ATH that followed that AT+CLCC went to whatever call was up by then, and the AT+CLCC
// waited behind the SMS reads the urgent ATH used to pass.
import { describe, expect, it } from 'vitest';
import { adoptedCallHangingUp, lineWith, standard, type Script } from './scripted-port.js';

const kinds = (x: { rec: { calls: readonly { kind: string; endedBy?: string; number?: string | null }[] } }) =>
  x.rec.calls.map((c) => (c.kind === 'ended' ? `ended by ${c.endedBy}` : c.kind === 'ringing' ? `ringing ${c.number}` : c.kind));

describe('a hang-up of a call answered before the restart, while a new caller rings and is answered', () => {
  it('cuts off nobody: the new caller, answered while the AT+CLCC waited its turn, stays answered', async () => {
    // The line initialises (AT+CLIP=1 slow to answer); the hang-up's AT+CLCC waits behind it. A new caller rings
    // (the old call ended by network) and another handler answers her: the ATA, urgent, goes ahead of that
    // AT+CLCC. The ATH that followed was sent to her: answered, then hung up.
    const { x, hangUp, release } = await adoptedCallHangingUp(['+CLCC: 1,1,0,0,0,"+447700900222",145', 'OK']);
    await x.urc('RING', '+CLIP: "+447700900222",145,,,,0');
    const answer = x.bank.answer('L1');
    await x.settle();
    await release();
    expect(await answer).toMatchObject({ ok: true });
    expect(await hangUp).toMatchObject({ ok: true });
    expect(x.log).not.toContain('ATH');
    expect(x.log).not.toContain('AT+CHUP');
    expect(kinds(x)).toEqual(['ended by network', 'ringing +447700900222', 'answered']);
    await x.bank.close();
  });
});

describe('a hang-up of a call not seen since the restart, with SMS reads queued on the line', () => {
  it('asks its AT+CLCC ahead of the queued reads, as the ATH it comes before', async () => {
    // A modem that answers AT+CLCC with ERROR: the first poll cannot confirm the call, so it stays unconfirmed
    // (up to LINK_GRACE_MS). A burst of +CMTI queues reads (0.05-0.2 s each on a real modem, up to 32); the
    // hang-up's AT+CLCC queued behind all of them, and its ATH with it.
    const s = { hold: true };
    const script: Script = (c) => (c === 'AT+CLCC' ? ['ERROR'] : s.hold && c === 'AT+CMGR=1' ? [] : c.startsWith('AT+CMGR=') ? ['OK'] : standard(c));
    const x = await lineWith(script);
    x.bank.adoptAnswered('L1');
    await x.bank.start();
    await x.settle();
    expect(x.log).toContain('AT+CLCC'); // the first poll asked, and could not tell
    const before = x.log.length;
    await x.urc(...Array.from({ length: 10 }, (_, i) => `+CMTI: "SM",${i + 1}`));
    const hangUp = x.bank.hangUp('L1');
    await x.settle();
    s.hold = false;
    await x.urc('OK'); // AT+CMGR=1 (in flight) ends
    for (let i = 0; i < 5; i++) await x.settle();
    expect(await hangUp).toMatchObject({ ok: true });
    const after = x.log.slice(before);
    // The read in flight finishes first; then AT+CLCC (ERROR) and AT+CPAS (no answer line: cannot tell, so the
    // ATH may go), and the read the engine starts while each next command is being queued, too.
    expect(after.slice(0, 4)).toEqual(['AT+CMGR=1', 'AT+CLCC', 'AT+CMGR=2', 'AT+CPAS']);
    expect(after.indexOf('ATH')).toBeLessThan(after.indexOf('AT+CMGR=4'));
    expect(after.filter((c) => c.startsWith('AT+CMGR=')).length).toBeGreaterThanOrEqual(10);
    expect(kinds(x)).toEqual(['ended by handler']);
    await x.bank.close();
  });
});
