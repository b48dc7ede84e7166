// The bank over several lines: ids in configuration order, SMS from a free line, configuration errors,
// registration changes in the health reports.
import { afterEach, describe, expect, it } from 'vitest';
import { encodeSubmit } from '../../../protocol/sms/index.js';
import type { LineBankFactory } from '../../../gateway/core/gateway-app.js';
import { createModemLineBank, LineConfigError, ModemLineBank } from '../../../gateway/lines/line-bank.js';
import { backoffDelay } from '../../../gateway/lines/backoff.js';
import { SeededRandom } from '../../../protocol/time/random.js';
import { Recorder, commandsOf, makeWorld, startWorld, type World } from './harness.js';

const CALLER = '+447700900456';
const submit = (text: string) => encodeSubmit(CALLER, text).map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));

describe('ModemLineBank', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('is the core’s LineBankFactory', () => {
    const factory: LineBankFactory = createModemLineBank;
    const bank = factory(['mock:a', 'tcp://127.0.0.1:7101'], new Recorder(), undefined as never);
    expect(bank.health().map((h) => [h.lineId, h.spec, h.state])).toEqual([
      ['L1', 'mock:a', 'down'],
      ['L2', 'tcp://127.0.0.1:7101', 'down'],
    ]);
  });

  it('refuses a malformed or repeated spec at construction, naming it', () => {
    expect(() => new ModemLineBank({ specs: ['tcp://host:70000'], listener: new Recorder() })).toThrow(LineConfigError);
    expect(() => new ModemLineBank({ specs: ['tcp://host:70000'], listener: new Recorder() })).toThrow(/tcp:\/\/host:70000/);
    expect(() => new ModemLineBank({ specs: ['mock:a', 'mock:a'], listener: new Recorder() })).toThrow(/configured twice/);
    // The same port written another way is the same modem.
    for (const specs of [['/dev/ttyUSB0', '/dev/ttyUSB0?baud=9600'], ['tcp://Moxa1:4001', 'tcp://moxa1:04001'], ['mock:a', 'mock:a?baud=9600']]) {
      expect(() => new ModemLineBank({ specs, listener: new Recorder() })).toThrow(`line ${specs[1]} is configured twice (also as ${specs[0]})`);
    }
    expect(() => new ModemLineBank({ specs: ['/dev/ttyUSB0', '/dev/ttyUSB1', 'tcp://moxa1:4001', 'tcp://moxa1:4002'], listener: new Recorder() })).not.toThrow();
  });

  it('sends from the last free line, skips a line in a call, and refuses when none is free', async () => {
    w = await makeWorld('mock', { lines: 2 });
    await startWorld(w);
    const world = w;
    expect((await world.bank.sendSms(submit('one'))).lineId).toBe('L2');
    world.phone(CALLER).dial(world.numbers[1]!);
    await world.advanceUntil(() => world.rec.calls.length === 1, 'L2 ringing', 2000);
    expect((await world.bank.sendSms(submit('two'))).lineId).toBe('L1');
    world.phone('+447700900457').dial(world.numbers[0]!);
    await world.advanceUntil(() => world.rec.calls.length === 2, 'L1 ringing', 2000);
    const r = await world.bank.sendSms(submit('three'));
    expect(r).toMatchObject({ ok: false, lineId: null });
    expect(r.detail).toMatch(/no free line \(L1 up \(in a call\), L2 up \(in a call\)\)/);
    expect(commandsOf(world.transcripts[0]!).filter((c) => c.startsWith('AT+CMGS'))).toHaveLength(1);
  });

  it('sends every part of a long message in order, and reports a modem error with the part', async () => {
    w = await makeWorld('mock');
    await startWorld(w);
    const phone = w.phone(CALLER);
    const long = submit('x'.repeat(200));
    expect(long).toHaveLength(2);
    const ok = await w.bank.sendSms(long);
    expect(ok).toEqual({ ok: true, detail: '+CMGS: 1,2', lineId: 'L1' });
    w.clock.advance(0);
    expect(phone.received.map((s) => s.content.text).join('')).toBe('x'.repeat(200));
    const bad = await w.bank.sendSms([{ pdu: long[0]!.pdu, tpduLength: long[0]!.tpduLength + 1 }]);
    expect(bad.ok).toBe(false);
    expect(bad.detail).toMatch(/PDU has/); // refused by the builder before anything is written
  });

  it('loss of coverage: the line reports unregistered (from +CREG), sends nothing, and is up again with coverage', async () => {
    w = await makeWorld('mock');
    await startWorld(w);
    const world = w;
    world.network.setRadio(world.numbers[0]!, { registration: 'searching', rssi: 99 });
    await world.until(() => world.bank.health()[0]!.state === 'unregistered', 'unregistered');
    expect(world.bank.health()[0]!.registration).toBe(2);
    expect((await world.bank.sendSms(submit('no coverage'))).ok).toBe(false);
    world.network.setRadio(world.numbers[0]!, { registration: 'home', rssi: 25 });
    await world.until(() => world.bank.health()[0]!.state === 'up', 'up again');
    await world.advanceUntil(() => world.bank.health()[0]!.csq === 25, 'signal polled', 6000);
  });

  it('a SIM asking for its PIN: initialised but unregistered, and the detail says why', async () => {
    w = await makeWorld('mock', { before: ({ modems }) => modems[0]!.setSim('pin') });
    await w.bank.start();
    expect(w.bank.health()[0]).toMatchObject({ state: 'unregistered', registration: 0 });
    expect(w.rec.health.some((h) => /SIM: SIM PIN/.test(h.detail))).toBe(true);
    expect((await w.bank.sendSms(submit('no SIM'))).ok).toBe(false);
  });

  it('a listener that throws does not stop the line', async () => {
    w = await makeWorld('mock');
    const world = w;
    const got: string[] = [];
    world.rec.onHealth = (h) => {
      got.push(h.state);
      throw new Error('core bug');
    };
    world.rec.onSms = (sms) => {
      got.push(`sms ${sms.index}`);
      throw new Error('core bug');
    };
    await world.bank.start();
    expect(world.bank.health()[0]!.state).toBe('up');
    world.phone(CALLER).sendSms(world.numbers[0]!, 'still read');
    await world.advanceUntil(() => got.includes('sms 1'), 'the SMS', 1000);
    expect(got).toContain('up');
  });

  it('actions on an unknown or down line fail with a reason; close() stops the retries', async () => {
    w = await makeWorld('tcp');
    const world = w;
    await world.servers[0]!.closeAsync();
    await world.bank.start();
    expect(await world.bank.answer('L9')).toEqual({ ok: false, detail: 'no line L9' });
    expect(await world.bank.hangUp('L1')).toEqual({ ok: false, detail: 'line L1 is down' });
    await world.bank.close();
    const reports = world.rec.health.length;
    await world.advance(5000);
    expect(world.rec.health.length).toBe(reports);
    expect(world.bank.health()[0]).toMatchObject({ state: 'down', detail: 'closed' });
  });
});

describe('backoffDelay', () => {
  it('doubles from 0.5 s to 30 s with jitter between half and the whole step', () => {
    const random = new SeededRandom(9);
    for (let attempt = 0; attempt < 12; attempt++) {
      const step = Math.min(30_000, 500 * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt, random);
        expect(d).toBeGreaterThanOrEqual(step / 2);
        expect(d).toBeLessThanOrEqual(step);
      }
    }
    expect(backoffDelay(1000, { next: () => 0.999, int: () => 0, chance: () => false })).toBeLessThanOrEqual(30_000);
  });
});
