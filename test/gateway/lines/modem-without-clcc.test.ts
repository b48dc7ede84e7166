// A modem that answers AT+CLCC with ERROR (call-list.ts): AT+CPAS tells whether a call is up. Before, an answered
// call on such a modem could never be confirmed after a link blip or a gateway restart, and the gateway ended it
// after LINK_GRACE_MS (90 s) while the handler was still talking to her; a ringing call that stopped without
// NO CARRIER took 30 s to end. Through the real line bank and modem line on a scripted modem.
import { describe, expect, it } from 'vitest';
import { lineWith, standard, type Script } from './scripted-port.js';

const kinds = (x: { rec: { calls: readonly { kind: string; endedBy?: string; number?: string | null }[] } }) =>
  x.rec.calls.map((c) => (c.kind === 'ended' ? `ended by ${c.endedBy}` : c.kind === 'ringing' ? `ringing ${c.number}` : c.kind));

/** A modem without AT+CLCC whose AT+CPAS answers `pas` (or ERROR when null). */
function noClcc(pas: { value: number | null }): Script {
  return (c) => {
    if (c === 'AT+CLCC') return ['ERROR'];
    if (c === 'AT+CPAS') return pas.value === null ? ['ERROR'] : [`+CPAS: ${pas.value}`, 'OK'];
    return standard(c);
  };
}

describe('an answered call on a modem without AT+CLCC, after a gateway restart', () => {
  it('AT+CPAS says a call is up: it stays answered past the 90 s grace, and the handler hangs it up', async () => {
    const x = await lineWith(noClcc({ value: 4 }));
    x.bank.adoptAnswered('L1');
    await x.bank.start();
    await x.settle();
    expect(x.log).toEqual(expect.arrayContaining(['AT+CLCC', 'AT+CPAS']));
    x.clock.advance(120_000);
    await x.settle();
    expect(x.rec.calls).toEqual([]); // before: ended by network at 90 s, her call still up
    expect(await x.bank.hangUp('L1')).toMatchObject({ ok: true });
    expect(x.log).toContain('ATH');
    expect(kinds(x)).toEqual(['ended by handler']);
    await x.bank.close();
  });

  it('AT+CPAS says no call: ended by network at the first poll, not 90 s later', async () => {
    const x = await lineWith(noClcc({ value: 0 }));
    x.bank.adoptAnswered('L1');
    await x.bank.start();
    await x.settle();
    expect(kinds(x)).toEqual(['ended by network']);
    await x.bank.close();
  });

  it('AT+CPAS refused too: nothing can tell, ended by network after the 90 s grace (as before)', async () => {
    const x = await lineWith(noClcc({ value: null }));
    x.bank.adoptAnswered('L1');
    await x.bank.start();
    await x.settle();
    expect(x.rec.calls).toEqual([]);
    x.clock.advance(90_000);
    await x.settle();
    expect(kinds(x)).toEqual(['ended by network']);
    await x.bank.close();
  });

  it('an AT+CPAS state that cannot tell (2 unknown) is not taken as no call', async () => {
    const x = await lineWith(noClcc({ value: 2 }));
    x.bank.adoptAnswered('L1');
    await x.bank.start();
    await x.settle();
    expect(x.rec.calls).toEqual([]);
    await x.bank.close();
  });
});

describe('a link blip during an answered call on a modem without AT+CLCC', () => {
  it('the call is confirmed by AT+CPAS once the line is back and is not ended at 90 s; her NO CARRIER ends it', async () => {
    const pas = { value: 3 as number | null };
    const x = await lineWith(noClcc(pas));
    await x.bank.start();
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    expect(await x.bank.answer('L1')).toMatchObject({ ok: true });
    pas.value = 4;
    await x.ports.at(-1)?.close(); // the device server drops the connection
    await x.settle();
    x.clock.advance(31_000); // the line re-opens and initialises; its first poll asks AT+CLCC, then AT+CPAS
    await x.settle();
    expect(x.bank.health()[0]?.state).toBe('up');
    x.clock.advance(90_000);
    await x.settle();
    expect(kinds(x)).toEqual(['ringing +447700900111', 'answered']);
    await x.urc('NO CARRIER');
    expect(kinds(x)).toEqual(['ringing +447700900111', 'answered', 'ended by caller']);
    await x.bank.close();
  });
});

describe('a ringing call that stops without NO CARRIER on a modem without AT+CLCC', () => {
  it('AT+CPAS says no call: ended by caller after 10 s without a RING (before: 30 s)', async () => {
    const pas = { value: 3 };
    const x = await lineWith(noClcc(pas));
    await x.bank.start();
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    pas.value = 0; // she gave up; this modem says no NO CARRIER
    x.clock.advance(10_000);
    await x.settle();
    expect(kinds(x)).toEqual(['ringing +447700900111', 'ended by caller']);
    await x.bank.close();
  });

  it('AT+CPAS says it still rings: it goes on ringing past 30 s without a RING', async () => {
    const x = await lineWith(noClcc({ value: 3 }));
    await x.bank.start();
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    for (let i = 0; i < 4; i++) {
      x.clock.advance(10_000);
      await x.settle();
    }
    expect(kinds(x)).toEqual(['ringing +447700900111']);
    await x.bank.close();
  });
});

describe('a call the modem answered by itself (S0 auto-answer left in its saved profile), RING without +CLIP', () => {
  it('AT+CPAS says a call is up when the caller id wait ends: ringing then answered, not a missed call', async () => {
    // Before: the tracker found no ringing call, reported ringing then "ended by caller" (a missed call) while
    // she was connected to the line, and the line stayed idle: no poll, nobody told, the handler never heard her.
    const pas = { value: 4 as number | null };
    const x = await lineWith(noClcc(pas));
    await x.bank.start();
    await x.urc('RING');
    x.clock.advance(300);
    await x.settle();
    expect(kinds(x)).toEqual(['ringing null', 'answered']);
    pas.value = 0; // she hangs up; this modem says no NO CARRIER: the next poll ends it
    x.clock.advance(30_000);
    await x.settle();
    expect(kinds(x)).toEqual(['ringing null', 'answered', 'ended by caller']);
    await x.bank.close();
  });
});

describe('a modem that refuses AT+CLCC and never answers AT+CPAS', () => {
  it('AT+CPAS is asked once per connection, not at every poll of the call (each cost its timeout)', async () => {
    const x = await lineWith((c) => (c === 'AT+CLCC' ? ['ERROR'] : c === 'AT+CPAS' ? [] : standard(c)));
    await x.bank.start();
    await x.urc('RING', '+CLIP: "+447700900111",145,,,,0');
    expect(await x.bank.answer('L1')).toMatchObject({ ok: true });
    for (let i = 0; i < 2; i++) {
      x.clock.advance(30_000); // a poll of the answered call: AT+CLCC refused
      await x.settle();
      for (let t = 0; t < 5_000; t += 250) {
        x.clock.advance(250); // AT+CPAS's timeout and the resynchronisation probe, when it is asked
        await x.settle();
      }
    }
    const polls = x.log.slice(x.log.indexOf('ATA'));
    expect(polls.filter((c) => c === 'AT+CLCC')).toHaveLength(2);
    expect(polls.filter((c) => c === 'AT+CPAS')).toHaveLength(1); // before: 2, one per poll
    expect(kinds(x)).toEqual(['ringing +447700900111', 'answered']);
    await x.bank.close();
  });
});
