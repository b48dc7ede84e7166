// An answered call outlives a lost link (call-tracker.ts, LINK_GRACE_MS) until the line's first poll asks AT+CLCC.
// If the caller hung up while the link was down and a NEW caller rings while the line re-initialises, the RINGs
// were ignored (a call was still 'answered'): the new call was not reported until the poll, and the handler's
// hang-up of the call the console still showed answered went out as an ATH (urgent, ahead of the init) that
// rejected the new caller, never reported at all. Scripted modem: the test decides when the init goes on.
import { describe, expect, it } from 'vitest';
import { lineWith, standard } from './scripted-port.js';

describe('an answered call, a link blip, and a new caller', () => {
  it('a RING and +CLIP while the answered call is unconfirmed: the old call ended by network, the new caller rings at once', async () => {
    let holdInit = false;
    const x = await lineWith((c) => (holdInit && c === 'AT+CLIP=1' ? [] : standard(c)));
    await x.bank.start();
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    expect(await x.bank.answer('L1')).toEqual({ ok: true, detail: 'OK' });
    holdInit = true; // the re-initialisation waits at AT+CLIP=1: no poll, no AT+CLCC yet
    await x.ports.at(-1)?.close(); // the device server drops the connection; she hangs up meanwhile
    await x.settle();
    expect(x.bank.health()[0]?.state).toBe('down');
    x.clock.advance(31_000);
    await x.settle();
    expect(x.bank.health()[0]?.state).toBe('initialising');
    expect(x.rec.calls.map((c) => c.kind)).toEqual(['ringing', 'answered']); // still answered: the grace
    await x.urc('RING', '+CLIP: "+447700900222",145,,,,0'); // the new caller
    const seen = x.rec.calls.map((c) => (c.kind === 'ended' ? `ended by ${c.endedBy}` : c.kind === 'ringing' ? `ringing ${c.number}` : c.kind));
    expect(seen).toEqual(['ringing +447700900111', 'answered', 'ended by network', 'ringing +447700900222']);
    expect(x.log).not.toContain('AT+CLCC');
    await x.urc('OK'); // AT+CLIP=1 ends, the init and the first poll go on
    for (let i = 0; i < 5; i++) await x.settle();
    expect(x.rec.calls).toHaveLength(4); // nothing more: the new call still rings
    await x.bank.close();
  });

  it('a +CLIP alone (a modem that sends it before RING) is taken the same way', async () => {
    let holdInit = false;
    const x = await lineWith((c) => (holdInit && c === 'AT+CLIP=1' ? [] : standard(c)));
    await x.bank.start();
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    expect(await x.bank.answer('L1')).toEqual({ ok: true, detail: 'OK' });
    holdInit = true;
    await x.ports.at(-1)?.close();
    await x.settle();
    x.clock.advance(31_000);
    await x.settle();
    await x.urc('+CLIP: "+447700900222",145,,,,0');
    expect(x.rec.calls.slice(2)).toMatchObject([{ kind: 'ended', endedBy: 'network' }, { kind: 'ringing', number: '+447700900222' }]);
    await x.bank.close();
  });
});
