// A modem that hangs, reboots or disappears mid-work: the line goes down (or re-initialises), comes back by
// itself, and nothing the modem had delivered is lost.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDeliver, encodeSubmit } from '../../../protocol/sms/index.js';
import { commandsOf, makeWorld, startWorld, type PortKind, type World } from './harness.js';

const CALLER = '+447700900456';

describe.each<PortKind>(['mock', 'tcp'])('faults over %s', (kind) => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('a hung modem (mid-poll) takes the line down; it comes back after the modem recovers, and the unreleased SMS is read again', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const world = w;
    world.phone(CALLER).sendSms(world.numbers[0]!, 'alarm before the hang');
    await world.advanceUntil(() => world.rec.sms.length === 1, 'first hand-out', 1000);
    // The core has not released it yet when the modem hangs; it recovers (reboots) 20 s later.
    world.modems[0]!.hang(20_000);
    await world.advanceUntil(() => world.bank.health()[0]!.state === 'down', 'line down', 15_000);
    expect(world.bank.health()[0]!.detail).toMatch(/modem not answering/);
    await world.advanceUntil(() => world.bank.health()[0]!.state === 'up' && world.rec.sms.length === 2, 'line up again with the SMS re-read', 90_000);
    expect(decodeDeliver(world.rec.sms[1]!.pdu).text).toBe('alarm before the hang');
    expect(world.modems[0]!.settings.cnmi.mt).toBe(1); // re-initialised after the reboot
    const m = world.bank.metrics()[0]!;
    expect(m.reconnects).toBeGreaterThanOrEqual(1);
    expect(m.timeouts).toBeGreaterThanOrEqual(3);
    // The late release of the first hand-out deletes it (same PDU still in the slot); the second is a no-op.
    await world.rec.sms[0]!.release();
    await world.rec.sms[1]!.release();
    expect(world.modems[0]!.storage('SM').used).toBe(0);
    const states = world.rec.health.map((h) => h.state).filter((s, i, all) => s !== all[i - 1]);
    expect(states.slice(0, 3)).toEqual(['initialising', 'up', 'down']);
    expect(states.at(-1)).toBe('up');
  });

  it('a modem that reboots (RDY) during a call: the call ends by network, the line re-initialises by itself', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const world = w;
    world.phone(CALLER).dial(world.numbers[0]!);
    await world.advanceUntil(() => world.rec.calls.length === 1, 'ringing', 2000);
    expect((await world.bank.answer('L1')).ok).toBe(true);
    const before = commandsOf(world.transcripts[0]!).length;
    world.modems[0]!.reset();
    await world.until(() => world.rec.calls.length === 3, 'call ended');
    expect(world.rec.calls[2]).toMatchObject({ kind: 'ended', endedBy: 'network' });
    await world.advanceUntil(() => world.bank.health()[0]!.state === 'up' && commandsOf(world.transcripts[0]!).slice(before).includes('AT+CMGL=4'), 're-initialised', 5000);
    expect(commandsOf(world.transcripts[0]!).slice(before)).toContain('AT+CNMI=2,1,0,0,0');
    expect(world.modems[0]!.settings.cnmi.mt).toBe(1);
    expect(world.rec.health.some((h) => h.state === 'initialising' && /modem restarted: RDY/.test(h.detail))).toBe(true);
  });

  it('a modem that reboots in the middle of AT+CMGS: the send fails at once (not after 60 s), the line re-initialises, the next send works', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const world = w;
    const modem = world.modems[0]!;
    const phone = world.phone(CALLER);
    let armed = true;
    modem.onTranscript((e) => {
      if (armed && e.kind === 'command' && e.text.startsWith('AT+CMGS')) {
        armed = false;
        queueMicrotask(() => modem.reset()); // after the prompt, before the PDU
      }
    });
    const parts = encodeSubmit(CALLER, 'lost in the reboot').map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));
    const first = world.bank.sendSms(parts);
    let settled: { ok: boolean; detail: string } | undefined;
    void first.then((r) => (settled = r));
    await world.advanceUntil(() => settled !== undefined, 'the send to fail', 3000);
    expect(settled).toMatchObject({ ok: false });
    await world.advanceUntil(() => world.bank.health()[0]!.state === 'up', 'up again', 5000);
    const second = await world.bank.sendSms(encodeSubmit(CALLER, 'after the reboot').map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength })));
    expect(second.ok).toBe(true);
    world.clock.advance(0);
    expect(phone.received.map((s) => s.content.text)).toEqual(['after the reboot']);
  });

  it('an SMS that is never released survives a reconnect and is handed out again; release then deletes it', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const world = w;
    world.phone(CALLER).sendSms(world.numbers[0]!, 'not yet stored by the core');
    await world.advanceUntil(() => world.rec.sms.length === 1, 'hand-out', 1000);
    world.modems[0]!.reset(); // the gateway must re-read it: nothing was deleted
    await world.advanceUntil(() => world.rec.sms.length === 2, 'hand-out after the reboot', 5000);
    expect(world.rec.sms[1]!.pdu).toBe(world.rec.sms[0]!.pdu);
    expect(world.modems[0]!.storage('SM').used).toBe(1);
    await world.rec.sms[1]!.release();
    expect(world.modems[0]!.storage('SM').used).toBe(0);
  });

  it('releasing a duplicate hand-out never deletes a newer message stored in the same slot', async () => {
    w = await makeWorld(kind);
    await startWorld(w);
    const world = w;
    world.phone(CALLER).sendSms(world.numbers[0]!, 'first');
    await world.advanceUntil(() => world.rec.sms.length === 1, 'hand-out', 1000);
    world.modems[0]!.reset();
    await world.advanceUntil(() => world.rec.sms.length === 2, 'hand-out again after the reboot', 5000);
    await world.rec.sms[0]!.release(); // slot 1 emptied
    world.phone(CALLER).sendSms(world.numbers[0]!, 'second');
    await world.advanceUntil(() => world.rec.sms.length === 3, 'the new message', 1000);
    expect(world.rec.sms[2]!.index).toBe(1); // the modem reused the slot
    await world.rec.sms[1]!.release(); // the duplicate of "first": must not touch "second"
    expect(world.modems[0]!.storage('SM').used).toBe(1);
    expect(decodeDeliver(world.modems[0]!.storage('SM').get(1)!.pdu).text).toBe('second');
    await world.rec.sms[2]!.release();
    expect(world.modems[0]!.storage('SM').used).toBe(0);
  });
});

describe('mock device unplugged', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('the device vanishes under the open port: down (disconnected), reopened after the backoff, up again', async () => {
    w = await makeWorld('mock');
    await startWorld(w);
    const world = w;
    world.unplug(0);
    await world.until(() => world.bank.health()[0]!.state === 'down', 'line down');
    expect(world.bank.health()[0]!.detail).toMatch(/^port closed: .*(disconnect|unplugged).*; retry in \d+ ms$/i);
    await world.advanceUntil(() => world.bank.health()[0]!.state === 'up', 'up again', 2000);
    expect(world.opened[0]!).toHaveLength(2);
    world.phone(CALLER).sendSms(world.numbers[0]!, 'after the replug');
    await world.advanceUntil(() => world.rec.sms.length === 1, 'SMS on the new port', 1000);
  });
});

describe('TCP drop', () => {
  let w: World | undefined;
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('the device server drops the connection mid-command; the line reopens with backoff and loses nothing', async () => {
    w = await makeWorld('tcp');
    await startWorld(w);
    const world = w;
    world.phone(CALLER).sendSms(world.numbers[0]!, 'handed out before the drop');
    await world.advanceUntil(() => world.rec.sms.length === 1, 'first hand-out', 1000);
    world.phone(CALLER).dial(world.numbers[0]!);
    await world.advanceUntil(() => world.rec.calls.length === 1, 'ringing', 2000);
    // An SMS arrives, then the TCP connection dies while a command is in flight.
    world.phone(CALLER).sendSms(world.numbers[0]!, 'sent during the outage');
    const pending = world.bank.answer('L1');
    await world.restartServer(0);
    const answered = await pending;
    expect(answered.ok).toBe(false);
    await world.until(() => world.bank.health()[0]!.state === 'down', 'line down');
    expect(world.bank.health()[0]!.detail).toMatch(/port closed|retry in/);
    expect(world.rec.calls.at(-1)).toMatchObject({ kind: 'ended', endedBy: 'network' });
    // The core stores the first SMS now and releases it: the line is down, so it stays on the modem.
    await expect(world.rec.sms[0]!.release()).rejects.toThrow(/SMS 1 not deleted \(line down\); it stays on the modem/);
    expect(world.modems[0]!.storage('SM').get(1)?.pdu).toBe(world.rec.sms[0]!.pdu);
    await world.advanceUntil(() => world.bank.health()[0]!.state === 'up', 'line up again', 10_000);
    await world.advanceUntil(() => world.rec.sms.some((s) => decodeDeliver(s.pdu).text === 'sent during the outage'), 'the SMS', 2000);
    expect(world.rec.sms.filter((s) => decodeDeliver(s.pdu).text === 'handed out before the drop')).toHaveLength(2);
    expect(world.opened[0]!.length).toBe(2);
    expect(world.bank.metrics()[0]!.reconnects).toBe(1);
  });

  it('a refused port is retried with growing backoff and reported each time', async () => {
    w = await makeWorld('tcp');
    const world = w;
    await world.servers[0]!.closeAsync();
    await world.bank.start();
    expect(world.bank.health()[0]).toMatchObject({ state: 'down' });
    expect(world.bank.health()[0]!.detail).toMatch(/cannot open: .*refused|PORT_REFUSED|ECONNREFUSED|cannot open/);
    await world.advance(3000);
    const downs = world.rec.health.filter((h) => h.state === 'down').map((h) => Number(/retry in (\d+) ms/.exec(h.detail)?.[1]));
    expect(downs.length).toBeGreaterThanOrEqual(3);
    expect(downs[0]).toBeGreaterThanOrEqual(250);
    expect(downs[0]).toBeLessThanOrEqual(500);
    expect(downs[2]).toBeGreaterThanOrEqual(1000);
    expect(world.bank.metrics()[0]!.reconnects).toBe(0); // never connected: no reconnect counted
  });
});
