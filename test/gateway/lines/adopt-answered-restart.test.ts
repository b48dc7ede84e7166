// A call the log says was answered when the gateway stopped, handed to its line before the line starts (core:
// attachLines, then lines.start(): gateway-app.ts), through the real line bank and modem line on a scripted
// modem: the first poll's AT+CLCC decides (listed: it goes on, and the handler's ATH ends it; gone: ended by
// network); a caller who rings while the line initialises, before that poll, is a new call at once.
import { describe, expect, it } from 'vitest';
import { adoptedCallHangingUp, lineWith, standard, type Script } from './scripted-port.js';

const ACTIVE = '+CLCC: 1,1,0,0,0,"+447700900111",145';
const kinds = (x: { rec: { calls: readonly { kind: string; endedBy?: string; number?: string | null }[] } }) =>
  x.rec.calls.map((c) => (c.kind === 'ended' ? `ended by ${c.endedBy}` : c.kind === 'ringing' ? `ringing ${c.number}` : c.kind));

describe('a call answered before a gateway restart, checked by its line', () => {
  it('still listed by AT+CLCC: it goes on, and the handler hangs it up', async () => {
    const x = await lineWith((c) => (c === 'AT+CLCC' ? [ACTIVE, 'OK'] : standard(c)));
    expect(x.bank.adoptAnswered('L1')).toBe(true);
    expect(x.bank.adoptAnswered('L2')).toBe(false);
    await x.bank.start();
    await x.settle();
    expect(x.log).toContain('AT+CLCC');
    expect(x.rec.calls).toEqual([]);
    x.clock.advance(120_000); // past LINK_GRACE_MS: confirmed, it is not ended
    await x.settle();
    expect(x.rec.calls).toEqual([]);
    expect(await x.bank.hangUp('L1')).toMatchObject({ ok: true });
    expect(kinds(x)).toEqual(['ended by handler']);
    await x.bank.close();
  });

  it('gone from AT+CLCC (she hung up, or the modem rebooted, while the gateway was down): ended by network at the first poll', async () => {
    const x = await lineWith(standard); // AT+CLCC: OK, no call
    x.bank.adoptAnswered('L1');
    await x.bank.start();
    await x.settle();
    expect(kinds(x)).toEqual(['ended by network']);
    await x.bank.close();
  });

  it('a new caller rings while the line initialises, before the first poll: the old call ended by network, the new one rings', async () => {
    let holdInit = true;
    const script: Script = (c) => (holdInit && c === 'AT+CLIP=1' ? [] : standard(c));
    const x = await lineWith(script);
    x.bank.adoptAnswered('L1');
    void x.bank.start();
    await x.settle();
    expect(x.bank.health()[0]?.state).toBe('initialising');
    await x.urc('RING', '+CLIP: "+447700900222",145,,,,0');
    expect(kinds(x)).toEqual(['ended by network', 'ringing +447700900222']);
    expect(x.log).not.toContain('AT+CLCC');
    holdInit = false;
    await x.urc('OK');
    for (let i = 0; i < 5; i++) await x.settle();
    expect(kinds(x)).toEqual(['ended by network', 'ringing +447700900222']); // the new call still rings
    await x.bank.close();
  });
});

describe('the handler hangs up a call answered before the restart while its line initialises (before the first poll)', () => {
  // Review of c0b6dd2, end to end (/tmp/review-adopt/e2e.mts h, gateway process and firmware-sim): the caller
  // had hung up while the gateway was down and a new caller rang on that line; the handler's hang-up of the call
  // her console still showed answered went out as an ATH ahead of the first poll and rejected the new caller,
  // who was never reported (3 runs of 3). The line now asks AT+CLCC first for a call not seen since the restart.
  it('AT+CLCC lists only a new caller ringing: no ATH (it would reject her), the old call ended by network', async () => {
    const { x, hangUp, release } = await adoptedCallHangingUp(['+CLCC: 1,1,4,0,0,"+447700900222",145', 'OK']);
    await release();
    expect(await hangUp).toMatchObject({ ok: true });
    expect(x.log).not.toContain('ATH');
    expect(x.log).not.toContain('AT+CHUP');
    expect(kinds(x)).toEqual(['ended by network']);
    await x.urc('RING', '+CLIP: "+447700900222",145,,,,0'); // she is still ringing, and reported
    expect(kinds(x)).toEqual(['ended by network', 'ringing +447700900222']);
    await x.bank.close();
  });

  it('AT+CLCC lists the call: the ATH goes out and ends it by the handler', async () => {
    const { x, hangUp, release } = await adoptedCallHangingUp([ACTIVE, 'OK']);
    await release();
    expect(await hangUp).toMatchObject({ ok: true });
    expect(x.log).toContain('ATH');
    expect(kinds(x)).toEqual(['ended by handler']);
    await x.bank.close();
  });
});
