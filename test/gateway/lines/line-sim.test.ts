// gateway/lines against the real simulated modem and network, over both port kinds (binding-mock and TCP).
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDeliver, encodeSubmit } from '../../../protocol/sms/index.js';
import { commandsOf, makeWorld, startWorld, type PortKind, type World } from './harness.js';

const CALLER = '+447700900456';

describe.each<PortKind>(['mock', 'tcp'])('a line over %s', (kind) => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('initialises the modem: echo off, numeric errors, CLIP, PDU mode, store-and-notify, registration; then up', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const sent = commandsOf(w.transcripts[0]!);
    const order = ['ATQ0V1', 'ATE0', 'AT+CMEE=1', 'AT+CSCS="GSM"', 'AT+CLIP=1', 'AT+CMGF=0', 'AT+CPMS="SM","SM","SM"', 'AT+CNMI=2,1,0,0,0', 'AT+CREG=2', 'AT+CPIN?', 'AT+CREG?', 'AT+CSQ', 'AT+CMGL=4'];
    expect(sent.slice(0, order.length)).toEqual(order);
    const h = w.bank.health()[0]!;
    expect(h).toMatchObject({ lineId: 'L1', spec: w.specs[0], state: 'up', registration: 1, csq: 20 });
    const states = w.rec.health.map((r) => r.state).filter((s, i, all) => s !== all[i - 1]);
    expect(states).toEqual(['initialising', 'up']);
    expect(w.rec.health.filter((r) => /refused|SIM:/.test(r.detail))).toEqual([]); // every init step accepted
    // The modem really is in the state the gateway asked for.
    expect(w.modems[0]!.settings.cnmi.mt).toBe(1);
    expect(w.modems[0]!.settings.creg).toBe(2);
  });

  it('an SMS to the line arrives with its PDU, and release() deletes it from the modem', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const world = w;
    world.phone(CALLER).sendSms(world.numbers[0]!, 'TSR1;h=TS-0001;n=7;e=ALM');
    await world.advanceUntil(() => world.rec.sms.length === 1, 'the SMS handed to the core', 1000);
    const sms = world.rec.sms[0]!;
    expect(sms).toMatchObject({ lineId: 'L1', index: 1 });
    const d = decodeDeliver(sms.pdu);
    expect(d.from).toBe(CALLER);
    expect(d.text).toBe('TSR1;h=TS-0001;n=7;e=ALM');
    expect(world.modems[0]!.storage('SM').used).toBe(1); // nothing deleted before the core stored it
    await sms.release();
    expect(world.modems[0]!.storage('SM').used).toBe(0);
    expect(commandsOf(world.transcripts[0]!)).toContain('AT+CMGD=1');
    expect(world.bank.metrics()[0]).toMatchObject({ smsReceived: 1, smsDeleted: 1 });
  });

  it('messages stored before start are read at start-up', async () => {
    w = await makeWorld(kind, {
      before: ({ network }) => {
        network.submitFromOutside(CALLER, '+441632960001', { text: 'left while the gateway was down' });
        network.submitFromOutside(CALLER, '+441632960001', { text: 'and another one' });
      },
    });
    w.clock.advance(0); // the SMSC delivers into the modem's storage (+CMTI to nobody)
    expect(w.modems[0]!.storage('SM').used).toBe(2);
    await startWorld(w);
    const world = w;
    await world.until(() => world.rec.sms.length === 2, 'both stored messages');
    expect(world.rec.sms.map((s) => decodeDeliver(s.pdu).text)).toEqual(['left while the gateway was down', 'and another one']);
    expect(world.rec.sms.map((s) => s.index)).toEqual([1, 2]);
  });

  it('sendSms reaches the network through AT+CMGS, with the message reference', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const phone = w.phone(CALLER);
    const parts = encodeSubmit(CALLER, 'TSC1;h=TS-0001;n=3;c=STOP;m=abc').map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));
    const r = await w.bank.sendSms(parts);
    expect(r).toEqual({ ok: true, detail: '+CMGS: 1', lineId: 'L1' });
    w.clock.advance(0);
    expect(phone.received.map((s) => s.content.text)).toEqual(['TSC1;h=TS-0001;n=3;c=STOP;m=abc']);
    expect(phone.received[0]!.from).toBe(w.numbers[0]);
  });

  it('an incoming call rings once with the number, is answered, and ends when the caller hangs up', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const world = w;
    const phone = world.phone(CALLER);
    const callId = phone.dial(world.numbers[0]!) as number;
    await world.advanceUntil(() => world.rec.calls.length === 1, 'ringing', 2000);
    expect(world.rec.calls[0]).toMatchObject({ kind: 'ringing', lineId: 'L1', number: CALLER, toa: 145 });
    await world.advance(7000); // RING + CLIP twice more: still one call
    expect(world.rec.calls).toHaveLength(1);
    const a = await world.bank.answer('L1');
    expect(a.ok).toBe(true);
    expect(world.rec.calls[1]).toMatchObject({ kind: 'answered', lineId: 'L1' });
    expect(phone.events.some((e) => e.type === 'connected')).toBe(true);
    phone.hangup(callId);
    await world.until(() => world.rec.calls.length === 3, 'ended');
    expect(world.rec.calls[2]).toMatchObject({ kind: 'ended', lineId: 'L1', endedBy: 'caller' });
  });
});

describe.each<PortKind>(['mock', 'tcp'])('calls over %s', (kind) => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('the handler hangs up: ATH, ended by handler, the caller hears NO CARRIER', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const world = w;
    const phone = world.phone(CALLER);
    phone.dial(world.numbers[0]!);
    await world.advanceUntil(() => world.rec.calls.length === 1, 'ringing', 2000);
    expect((await world.bank.answer('L1')).ok).toBe(true);
    const r = await world.bank.hangUp('L1');
    expect(r.ok).toBe(true);
    expect(world.rec.calls.map((c) => c.kind)).toEqual(['ringing', 'answered', 'ended']);
    expect(world.rec.calls[2]).toMatchObject({ endedBy: 'handler' });
    expect(phone.events.some((e) => e.type === 'ended' && e.reason === 'hangup')).toBe(true);
    expect(commandsOf(world.transcripts[0]!)).toContain('ATH');
    await world.advance(1000); // a late NO CARRIER changes nothing
    expect(world.rec.calls).toHaveLength(3);
  });

  it('a withheld number rings with number null, and a caller who gives up ends it (by caller)', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const world = w;
    const phone = world.phone(CALLER);
    const callId = phone.dial(`#31#${world.numbers[0]!}`) as number;
    await world.advanceUntil(() => world.rec.calls.length === 1, 'ringing', 2000);
    expect(world.rec.calls[0]).toMatchObject({ kind: 'ringing', number: null });
    phone.hangup(callId);
    await world.until(() => world.rec.calls.length === 2, 'ended');
    expect(world.rec.calls[1]).toMatchObject({ kind: 'ended', endedBy: 'caller' });
    expect(world.bank.metrics()[0]!.calls).toBe(1);
  });

  it('a 999 call from a handset hunts to the first line and rings there with the number', async () => {
    w = await makeWorld(kind, { lines: 2 });
    await startWorld(w);
    const world = w;
    world.phone('+447700900999').dial('999');
    await world.advanceUntil(() => world.rec.calls.length === 1, 'ringing', 2000);
    expect(world.rec.calls[0]).toMatchObject({ kind: 'ringing', lineId: 'L1', number: '+447700900999' });
  });
});

describe('modem variations (mock)', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it.each([
    ['numeric result codes (ATV0)', { verbose: false }],
    ['no result codes (ATQ1)', { quiet: true }],
  ])('a modem whose saved profile gives %s is put back to words and comes up', async (_, saved) => {
    w = await makeWorld('mock', { before: ({ modems }) => Object.assign(modems[0]!.settings, saved) });
    await w.bank.start();
    const world = w;
    await world.advanceUntil(() => world.bank.health()[0]!.state === 'up', 'line up', 60_000, 100);
    expect(world.modems[0]!.settings).toMatchObject({ verbose: true, quiet: false });
    // And it works: an SMS to the line is read.
    world.phone(CALLER).sendSms(world.numbers[0]!, 'hello');
    await world.advanceUntil(() => world.rec.sms.length === 1, 'sms read', 60_000, 100);
  });

  it('a modem that does not present caller id (CLIP off) still rings with the number, read with AT+CLCC', async () => {
    w = await makeWorld('mock');
    await startWorld(w);
    const world = w;
    world.modems[0]!.settings.clip = false; // as if AT+CLIP=1 had been refused or forgotten
    world.phone(CALLER).dial(world.numbers[0]!);
    await world.advanceUntil(() => world.rec.calls.length === 1, 'ringing', 3000, 50);
    expect(world.rec.calls[0]).toMatchObject({ kind: 'ringing', number: CALLER, toa: 145 });
    expect(commandsOf(world.transcripts[0]!)).toContain('AT+CLCC');
  });

  it('a modem that delivers directly (+CMT) hands the PDU over with index null; release deletes nothing', async () => {
    w = await makeWorld('mock');
    await startWorld(w);
    const world = w;
    world.modems[0]!.settings.cnmi = { ...world.modems[0]!.settings.cnmi, mt: 2 };
    world.phone(CALLER).sendSms(world.numbers[0]!, 'direct');
    await world.advanceUntil(() => world.rec.sms.length === 1, 'the +CMT', 1000);
    expect(world.rec.sms[0]!.index).toBeNull();
    expect(decodeDeliver(world.rec.sms[0]!.pdu).text).toBe('direct');
    const before = commandsOf(world.transcripts[0]!).length;
    await world.rec.sms[0]!.release();
    expect(commandsOf(world.transcripts[0]!).length).toBe(before);
  });

  it('a corrupt storage entry is counted and left alone; the messages around it are read', async () => {
    w = await makeWorld('mock', {
      before: ({ network, modems, clock }) => {
        network.submitFromOutside(CALLER, '+441632960001', { text: 'before' });
        clock.advance(0);
        modems[0]!.storage('SM').add('NOT-A-PDU', 12, 0);
        network.submitFromOutside(CALLER, '+441632960001', { text: 'after' });
        clock.advance(0);
      },
    });
    await startWorld(w);
    const world = w;
    await world.until(() => world.rec.sms.length === 2, 'the two good messages');
    expect(world.rec.sms.map((s) => [s.index, decodeDeliver(s.pdu).text])).toEqual([
      [1, 'before'],
      [3, 'after'],
    ]);
    expect(world.bank.metrics()[0]!.smsCorrupt).toBe(1);
    expect(world.modems[0]!.storage('SM').used).toBe(3);
    await world.advance(61_000, 200);
    // a periodic rescan finds it again: counted once
    expect(commandsOf(world.transcripts[0]!).filter((c) => c === 'AT+CMGL=4')).toHaveLength(2);
    expect(world.bank.metrics()[0]!.smsCorrupt).toBe(1);
    expect(world.rec.sms).toHaveLength(2); // the unreleased ones are not handed out again within 5 min
  });
});

// A link to the modem that blips during an answered 999 call (a serial device server's TCP connection dropped
// and reconnected, a USB serial port re-opened): the call is still up on the modem and in the network, and the
// handler is still talking to her. It was reported ended by the network at once: the console showed it over,
// and the handler's hang-up was refused ("has ended") with the call still up.
describe('an answered call when the link to its modem blips (tcp)', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  async function answeredCall(world: World) {
    const phone = world.phone(CALLER);
    const callId = phone.dial(world.numbers[0]!) as number;
    await world.advanceUntil(() => world.rec.calls.length === 1, 'ringing', 2000);
    expect((await world.bank.answer('L1')).ok).toBe(true);
    world.servers[0]!.dropClient();
    await world.advanceUntil(() => world.bank.health()[0]?.state === 'down', 'the line notices', 10_000);
    return { phone, callId };
  }

  it('stays answered while the line comes back, and the handler can still hang up', async () => {
    w = await makeWorld('tcp');
    await startWorld(w);
    const world = w;
    const { phone } = await answeredCall(world);
    await world.advanceUntil(() => world.bank.health()[0]?.state === 'up', 'the line back by itself', 60_000);
    await world.advance(5000);
    expect(world.rec.calls.map((c) => c.kind)).toEqual(['ringing', 'answered']);
    const r = await world.bank.hangUp('L1');
    expect(r.ok).toBe(true);
    expect(world.rec.calls.at(-1)).toMatchObject({ kind: 'ended', endedBy: 'handler' });
    expect(phone.events.some((e) => e.type === 'ended' && e.reason === 'hangup')).toBe(true);
  });

  it('a call that ended while the link was down is reported ended (by the network) once the line is back', async () => {
    w = await makeWorld('tcp');
    await startWorld(w);
    const world = w;
    const { phone, callId } = await answeredCall(world);
    phone.hangup(callId); // her NO CARRIER goes to no one
    await world.advanceUntil(() => world.bank.health()[0]?.state === 'up', 'the line back by itself', 60_000);
    await world.advanceUntil(() => world.rec.calls.length === 3, 'ended', 5000);
    expect(world.rec.calls[2]).toMatchObject({ kind: 'ended', endedBy: 'network' });
  });
});
