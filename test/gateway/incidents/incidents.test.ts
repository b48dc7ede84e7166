// Handler actions on incidents and calls: acknowledge, close, locate / stop tracking (signed TSC1 by SMS, the
// handset's ACK), answer and hang up through the line bank; and the retention purge.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../protocol/time/clock.js';
import { decodeCommand, verifyCommandSync } from '../../../protocol/report/tsc1.js';
import { counterFloor } from '../../../protocol/report/counter-floor.js';
import { decodeSubmit } from '../../../protocol/sms/index.js';
import { FakeLineBank, HANDSET_ID, HANDSET_NUMBER, KEY, START, deliver, hmac, invalidPublicEvents, registration, report, startRig, tmpDir, type Rig } from '../core/harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;
/** The first TSC1 counter at START: the seconds since 2020 (registry/command-counter.ts). */
const N = counterFloor(START) as number;

/** The TSC1 text the core asked the line bank to send (all parts joined), and where to. */
function sentCommand(rig: Rig, i: number) {
  const parts = (rig.lines.sent[i] ?? []).map((p) => decodeSubmit(p.pdu));
  return { to: parts[0]?.to, text: parts.map((p) => p.text).join('') };
}

async function alarm(rig: Rig): Promise<string> {
  await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
  return rig.ofType('incident.opened')[0]?.['incidentId'] as string;
}

describe('incident actions', () => {
  it('acknowledge and close with an outcome; a closed incident refuses further actions', async () => {
    const rig = await startRig();
    const id = await alarm(rig);
    expect(await rig.core.acknowledge(id, { note: 'units sent' }, HANDLER)).toMatchObject({ ok: true });
    const closed = await rig.core.close(id, { outcome: 'transferred', transferredTo: 'Kent' }, HANDLER);
    expect(closed).toMatchObject({ ok: true });
    expect(await rig.core.getIncident(id)).toMatchObject({ state: 'closed', outcome: 'transferred', acknowledgedBy: 'handler', closedBy: 'handler', tracking: false });
    expect(await rig.core.close(id, { outcome: 'other' }, HANDLER)).toMatchObject({ ok: false, error: 'conflict' });
    expect(await rig.core.locate(id, HANDLER)).toMatchObject({ ok: false, error: 'conflict' });
    expect(await rig.core.acknowledge('INC-999999', {}, HANDLER)).toMatchObject({ ok: false, error: 'not_found' });
    expect(await rig.core.listIncidents({ state: 'open' })).toEqual([]);
    expect(await rig.core.listIncidents({ state: 'closed' })).toHaveLength(1);
    // A new alarm after the close opens a new incident.
    await rig.sms(deliver(report({ counter: 2, event: 'ALM' }), HANDSET_NUMBER, 9));
    expect(rig.ofType('incident.opened')).toHaveLength(2);
  });

  it('locate sends a signed TSC1 LOCATE to the handset, counters rise, the ACK report acknowledges it', async () => {
    const rig = await startRig();
    const id = await alarm(rig);
    const r = await rig.core.locate(id, HANDLER);
    expect(r).toMatchObject({ ok: true });
    const first = sentCommand(rig, 0);
    expect(first.to).toBe(HANDSET_NUMBER);
    const cmd = decodeCommand(first.text);
    expect(cmd).toMatchObject({ ok: true, handsetId: HANDSET_ID, counter: N, command: { kind: 'LOCATE' } });
    expect(cmd.ok && verifyCommandSync(cmd, KEY, hmac)).toBe(true);
    expect(rig.ofType('incident.locate-requested')).toMatchObject([{ incidentId: id, by: 'handler' }]);
    expect(rig.ofType('command.sent')).toMatchObject([{ handsetId: HANDSET_ID, counter: N, command: { kind: 'LOCATE' }, lineId: 'L1', by: 'handler', incidentId: id }]);

    await rig.core.stopTracking(id, HANDLER);
    expect(decodeCommand(sentCommand(rig, 1).text)).toMatchObject({ counter: N + 1, command: { kind: 'STOP' } });
    expect((await rig.core.getIncident(id))?.['tracking']).toBe(false);

    await rig.sms(deliver(report({ counter: 2, event: 'ACK' }), HANDSET_NUMBER, 3));
    expect(rig.ofType('command.result').filter((e) => e['result'] === 'acknowledged')).toMatchObject([{ counter: N }]);
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
    expect(rig.errors).toEqual([]);
  });

  it("an engineer's STOP or INTERVAL to a handset in an open incident is refused (it would change a live alarm's tracking); LOCATE goes", async () => {
    const rig = await startRig();
    const id = await alarm(rig);
    const engineer = { username: 'eng', role: 'engineer' } as const;
    const stop = await rig.core.sendCommand(HANDSET_ID, { kind: 'STOP' }, engineer);
    expect(stop).toMatchObject({ ok: false, error: 'conflict' });
    expect(JSON.stringify(stop)).toContain(id);
    expect(await rig.core.sendCommand(HANDSET_ID, { kind: 'INTERVAL', seconds: 3600 }, engineer)).toMatchObject({ ok: false, error: 'conflict' });
    expect(rig.lines.sent).toEqual([]);
    expect((await rig.core.getIncident(id))?.['tracking']).toBe(true);
    expect(await rig.core.sendCommand(HANDSET_ID, { kind: 'LOCATE' }, engineer)).toMatchObject({ ok: true });
    expect(decodeCommand(sentCommand(rig, 0).text)).toMatchObject({ counter: N, command: { kind: 'LOCATE' } });
    // Once the incident is closed, the bench may command the handset again.
    await rig.core.close(id, { outcome: 'other' }, HANDLER);
    expect(await rig.core.sendCommand(HANDSET_ID, { kind: 'STOP' }, engineer)).toMatchObject({ ok: true });
  });

  it("an engineer's STOP or INTERVAL goes to a handset whose only open incident is a test (the provisioning TST's)", async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TST' })));
    const test = rig.ofType('incident.opened')[0]?.['incidentId'];
    const engineer = { username: 'eng', role: 'engineer' } as const;
    expect(await rig.core.sendCommand(HANDSET_ID, { kind: 'INTERVAL', seconds: 20 }, engineer)).toMatchObject({ ok: true });
    expect(await rig.core.sendCommand(HANDSET_ID, { kind: 'STOP' }, engineer)).toMatchObject({ ok: true });
    expect(rig.ofType('command.sent')).toMatchObject([
      { counter: N, command: { kind: 'INTERVAL', seconds: 20 }, incidentId: test },
      { counter: N + 1, command: { kind: 'STOP' }, incidentId: test },
    ]);
  });

  it('a command that no line can send is unavailable and recorded as failed; its counter is never reused', async () => {
    const rig = await startRig();
    rig.lines.sendResult = { ok: false, detail: 'no registered line', lineId: null };
    const r = await rig.core.sendCommand(HANDSET_ID, { kind: 'INTERVAL', seconds: 10 }, { username: 'eng', role: 'engineer' });
    expect(r).toMatchObject({ ok: false, error: 'unavailable' });
    expect(rig.ofType('command.result')).toMatchObject([{ counter: N, result: 'failed' }]);
    rig.lines.sendResult = { ok: true, detail: 'OK', lineId: 'L2' };
    await rig.core.sendCommand(HANDSET_ID, { kind: 'STOP' }, { username: 'eng', role: 'engineer' });
    expect(decodeCommand(sentCommand(rig, 1).text)).toMatchObject({ counter: N + 1 });
    expect(await rig.core.sendCommand('TS-NOPE', { kind: 'STOP' }, { username: 'eng', role: 'engineer' })).toMatchObject({ ok: false, error: 'not_found' });
  });
});

describe('command timeout', () => {
  it('a command never acknowledged gets a timeout result; a later ACK no longer matches it', async () => {
    const rig = await startRig();
    await rig.core.sendCommand(HANDSET_ID, { kind: 'LOCATE' }, { username: 'eng', role: 'engineer' });
    rig.clock.advance(14 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('command.result').map((e) => e['result'])).toEqual(['sent']);
    rig.clock.advance(2 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('command.result')).toMatchObject([{ result: 'sent' }, { result: 'timeout', counter: N }]);
    await rig.sms(deliver(report({ counter: 1, event: 'ACK' })));
    expect(rig.ofType('command.result')).toHaveLength(2);
  });
});

describe('call actions', () => {
  it('answer and hang up go to the call line and are recorded with who asked', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER, 'L2');
    const callId = rig.ofType('call.ringing')[0]?.['callId'] as string;
    expect(await rig.core.answer(callId, HANDLER)).toMatchObject({ ok: true });
    expect(rig.lines.answered).toEqual(['L2']);
    rig.clock.advance(42_000);
    // The line also reports the answer: still one call.answered.
    rig.core.onCall({ kind: 'answered', lineId: 'L2', at: rig.clock.now() });
    expect(await rig.core.hangup(callId, HANDLER)).toMatchObject({ ok: true });
    rig.core.onCall({ kind: 'ended', lineId: 'L2', at: rig.clock.now(), endedBy: 'handler' });
    await rig.core.idle();
    expect(rig.lines.hungUp).toEqual(['L2']);
    expect(rig.ofType('call.answered')).toMatchObject([{ callId, by: 'handler' }]);
    expect(rig.ofType('call.ended')).toMatchObject([{ callId, endedBy: 'handler', by: 'handler', talkSeconds: 42 }]);
    expect(await rig.core.answer(callId, HANDLER)).toMatchObject({ ok: false, error: 'conflict' });
  });

  it('a failed ATA is unavailable and leaves the call ringing; the caller hanging up ends it', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const callId = rig.ofType('call.ringing')[0]?.['callId'] as string;
    rig.lines.result = { ok: false, detail: 'NO CARRIER' };
    expect(await rig.core.answer(callId, HANDLER)).toMatchObject({ ok: false, error: 'unavailable' });
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toMatchObject([{ endedBy: 'caller', by: null, talkSeconds: null }]);
  });
});

describe('two handlers on one call', () => {
  it('a second answer while the first ATA is on its way is refused: the answer is recorded for the handler whose ATA answered', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const callId = rig.ofType('call.ringing')[0]?.['callId'] as string;
    // As gateway/lines does: the first ATA answers and the line reports it before ATA's reply returns; a second
    // ATA would find no ringing call.
    let atas = 0;
    rig.lines.answer = async (lineId) => {
      const first = ++atas === 1;
      await new Promise((resolve) => setImmediate(resolve));
      if (!first) return { ok: false, detail: `no call ringing on line ${lineId}` };
      rig.core.onCall({ kind: 'answered', lineId, at: rig.clock.now() });
      return { ok: true, detail: 'OK' };
    };
    const alice = rig.core.answer(callId, { username: 'alice', role: 'call-handler' });
    const bob = rig.core.answer(callId, { username: 'bob', role: 'call-handler' });
    expect(await bob).toMatchObject({ ok: false, error: 'conflict', message: expect.stringContaining('alice') });
    expect(await alice).toMatchObject({ ok: true });
    await rig.core.idle();
    expect(rig.ofType('call.answered')).toMatchObject([{ callId, by: 'alice' }]);
  });

  it('a second hang-up while the first is on its way is refused: the end is recorded for the handler who hung up', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const callId = rig.ofType('call.ringing')[0]?.['callId'] as string;
    rig.lines.hangUp = async (lineId) => {
      await new Promise((resolve) => setImmediate(resolve));
      rig.core.onCall({ kind: 'ended', lineId, at: rig.clock.now(), endedBy: 'handler' });
      return { ok: true, detail: 'OK' };
    };
    const alice = rig.core.hangup(callId, { username: 'alice', role: 'call-handler' });
    const bob = rig.core.hangup(callId, { username: 'bob', role: 'call-handler' });
    expect(await bob).toMatchObject({ ok: false, error: 'conflict' });
    expect(await alice).toMatchObject({ ok: true });
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toMatchObject([{ callId, endedBy: 'handler', by: 'alice' }]);
    // GET /api/calls names her too (CallView hungUpBy, 25 Nov): the consoles said only "hung up by a handler".
    expect(await rig.core.listCalls()).toMatchObject([{ id: callId, endedBy: 'handler', hungUpBy: 'alice' }]);
  });
});

describe('a hang-up of a call already gone', () => {
  it('the line found the call gone (network) while her hang-up was on its way: recorded as ended by the network, not by her', async () => {
    // Review of 22a8462: a call ended while the gateway was down; her hang-up's AT+CLCC found nothing, the line
    // sent no ATH and reported `network`; it was stored as hung up by her, with the time down as talk time.
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const callId = rig.ofType('call.ringing')[0]?.['callId'] as string;
    rig.core.onCall({ kind: 'answered', lineId: 'L1', at: rig.clock.now() });
    rig.lines.hangUp = async (lineId) => {
      await new Promise((resolve) => setImmediate(resolve));
      rig.core.onCall({ kind: 'ended', lineId, at: rig.clock.now(), endedBy: 'network' });
      return { ok: true, detail: 'the modem lists no call: no ATH sent' };
    };
    expect(await rig.core.hangup(callId, { username: 'alice', role: 'call-handler' })).toMatchObject({ ok: true });
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toMatchObject([{ callId, endedBy: 'network', by: null }]);
    expect(await rig.core.listCalls()).toMatchObject([{ id: callId, endedBy: 'network', hungUpBy: null }]);
  });
});

describe('tracking timeout', () => {
  it('an incident whose handset stopped sending TRK is no longer tracking; a new TRK turns it back on', async () => {
    const rig = await startRig();
    const id = await alarm(rig);
    rig.clock.advance(5 * 60_000);
    await rig.sms(deliver(report({ counter: 2, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 2));
    rig.clock.advance(9 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('incident.tracking-stopped')).toEqual([]);
    rig.clock.advance(2 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('incident.tracking-stopped')).toMatchObject([{ incidentId: id, reason: 'timeout', by: null }]);
    expect((await rig.core.getIncident(id))?.['tracking']).toBe(false);
    await rig.sms(deliver(report({ counter: 3, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 3));
    expect((await rig.core.getIncident(id))?.['tracking']).toBe(true);
  });
});

describe('stale calls', () => {
  /** A gateway stopped while a call rang, and started again on the same store. */
  async function restartedWhileRinging(downMs = 0): Promise<Rig> {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const first = await startRig({ file, clock });
    await first.ring(HANDSET_NUMBER);
    await first.stop();
    clock.advance(downMs);
    return startRig({ file, clock, register: [] });
  }

  it('a call left ringing over a restart (it ended while the gateway was down) is ended by the network after five minutes', async () => {
    const rig = await restartedWhileRinging();
    rig.clock.advance(4 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toEqual([]);
    rig.clock.advance(2 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toMatchObject([{ endedBy: 'network', by: null, talkSeconds: null }]);
  });

  it('a TecSOS call its line still reports ringing is never ended by the timer: a handler can answer it after 20 minutes in the queue', async () => {
    // An emergency call is never timed out by the network: it rings until answered, however busy the room is.
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const callId = rig.ofType('call.ringing')[0]?.['callId'] as string;
    rig.clock.advance(20 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('call.ended')).toEqual([]);
    expect(await rig.core.answer(callId, HANDLER)).toMatchObject({ ok: true });
    expect(rig.ofType('call.answered')).toMatchObject([{ callId, by: 'handler' }]);
  });

  it('a call from before a restart that its line announces again is tracked by the line, not ended by the timer', async () => {
    const rig = await restartedWhileRinging();
    await rig.ring(HANDSET_NUMBER); // the next RING + +CLIP after the restart: the same call
    rig.clock.advance(10 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('call.ringing')).toHaveLength(0);
    expect(rig.ofType('call.ended')).toEqual([]);
    expect((await rig.core.listCalls()).map((c) => c.state)).toEqual(['ringing']);
  });

  // Reviewer's repros: judged by how long ago it started ringing (5 min), her call became a missed call and a new
  // one at the bottom of the queue with its wait reset; then the first minute check (60 s in) ended it before a
  // reconnecting line could ring it again.
  for (const lineBackMs of [0, 30_000, 90_000, 4 * 60_000]) {
    it(`a TecSOS call ringing 20 min, the gateway restarted 10 s later, its line rings again ${lineBackMs / 1000} s after the start: still one call`, async () => {
      const file = path.join(tmpDir(), 'tecsos.db');
      const clock = new ManualClock(START);
      const first = await startRig({ file, clock });
      await first.ring(HANDSET_NUMBER);
      clock.advance(20 * 60_000);
      await first.core.idle();
      const before = (await first.core.listCalls())[0];
      await first.stop();
      clock.advance(10_000);
      const rig = await startRig({ file, clock, register: [] });
      clock.advance(lineBackMs);
      await rig.core.idle();
      await rig.ring(HANDSET_NUMBER);
      await rig.core.idle();
      expect((await rig.core.listCalls()).map((c) => ({ id: c.id, state: c.state, ringingAt: c.ringingAt }))).toEqual([{ id: before?.id, state: 'ringing', ringingAt: before?.ringingAt }]);
      expect(rig.ofType('call.ended')).toEqual([]);
    });
  }

  it('a call answered before a restart is handed to its line to check with the modem; one on a line no longer configured is ended', async () => {
    // Review: the line's tracker started idle, so such a call stayed "answered" on every console until the next
    // ring on that line, hours later.
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const first = await startRig({ file, clock });
    await first.ring(HANDSET_NUMBER, 'L1');
    first.core.onCall({ kind: 'answered', lineId: 'L1', at: clock.now() });
    await first.ring('+447700900555', 'L2');
    first.core.onCall({ kind: 'answered', lineId: 'L2', at: clock.now() });
    await first.core.idle();
    const [onL1, onL2] = ['L1', 'L2'].map((l) => first.ofType('call.ringing').find((e) => e['lineId'] === l)?.['callId'] as string);
    await first.stop();
    clock.advance(10_000);
    const rig = await startRig({ file, clock, register: [] });
    // The gateway's line bank comes after the core's start (gateway-app.ts); this one has L1 only.
    const adopted: string[] = [];
    const bank = new (class extends FakeLineBank {
      adoptAnswered(lineId: string): boolean {
        adopted.push(lineId);
        return lineId === 'L1';
      }
    })();
    rig.core.attachLines(bank);
    await rig.core.idle();
    expect(adopted.sort()).toEqual(['L1', 'L2']);
    expect(rig.ofType('call.ended')).toMatchObject([{ callId: onL2, endedBy: 'network' }]);
    expect((await rig.core.listCalls()).find((c) => c.id === onL1)?.state).toBe('answered');
    // The line's modem no longer lists it: the line reports its end, which ends that call.
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: clock.now(), endedBy: 'network' });
    await rig.core.idle();
    expect(rig.ofType('call.ended').map((e) => e['callId'])).toEqual([onL2, onL1]);
  });

  it('a ring after a long stop is a new call, not the one left ringing before it', async () => {
    // The gateway stopped while her call rang (a demo stopped with Ctrl-C) and started again the next day.
    const rig = await restartedWhileRinging(20 * 3600_000);
    const old = (await rig.core.listCalls())[0];
    await rig.ring(HANDSET_NUMBER);
    const calls = await rig.core.listCalls();
    const ringing = calls.filter((c) => c.state === 'ringing');
    expect(ringing).toHaveLength(1);
    expect(ringing[0]?.id).not.toBe(old?.id);
    expect(Date.parse(ringing[0]?.ringingAt as string)).toBe(rig.clock.now());
    expect(rig.ofType('call.ended')).toMatchObject([{ callId: old?.id, endedBy: 'network' }]);
  });
});

describe('calls in memory', () => {
  it('ended calls are forgotten hours later; ids keep counting', async () => {
    const rig = await startRig();
    for (let i = 0; i < 3; i++) {
      await rig.ring(`+44770090050${i}`);
      rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
      await rig.core.idle();
    }
    expect(await rig.core.listCalls()).toHaveLength(3);
    rig.clock.advance(7 * 3600_000);
    await rig.ring('+447700900599');
    expect((await rig.core.listCalls()).map((c) => c.id)).toEqual(['CALL-000004']);
  });
});

describe('retention', () => {
  it('purges fixes older than the retention period, audited, and drops them from the track', async () => {
    const rig = await startRig({ config: { retentionDays: 1 } });
    const id = await alarm(rig);
    expect((await rig.core.track(id))?.points).toHaveLength(1);
    rig.clock.advance(2 * 86_400_000 + 1);
    await rig.core.idle();
    // The daily timer purged the fix and both raw SMS parts at +48 h; a purge now finds nothing more.
    expect(await rig.core.purgeNow()).toBe(0);
    expect((await rig.core.track(id))?.points).toEqual([]);
    const fix = (await rig.all()).find((e) => e.event.type === 'fix');
    expect(fix?.redacted).toBe(true);
    expect(JSON.stringify((await rig.all()).filter((e) => e.event.type === 'sms.received'))).not.toContain('pdu');
    const audit = await rig.store.readAudit(0, 100);
    expect(audit.filter((a) => a.action === 'purge').length).toBeGreaterThanOrEqual(2);
    expect(START).toBeLessThan(rig.clock.now());
  });
});

describe('an incident of a handset issued to someone else since', () => {
  const ENGINEER = { username: 'eng', role: 'engineer' } as const;

  it('shows no victim record, not the new holder\'s; an incident of the new holder shows theirs; notes updated for the same victim still show', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const old = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect((await rig.core.getIncident(old))?.victim).toMatchObject({ name: expect.any(String) });
    const firstName = ((await rig.core.getIncident(old))?.victim as { name: string } | null)?.name;
    // The same victim's record corrected during the alarm (same key; notes, and her name's spelling): the open
    // incident shows it at once.
    rig.clock.advance(60_000);
    const same = await rig.core.registerHandset({ ...registration(), replace: true, victim: { name: `${firstName as string}-Smith`, safetyNotes: 'Updated: new address', riskMarkers: ['weapons'] } }, ENGINEER);
    expect(same).toMatchObject({ ok: true });
    expect((await rig.core.getIncident(old))?.victim).toMatchObject({ name: `${firstName as string}-Smith`, safetyNotes: 'Updated: new address' });
    await rig.core.close(old, { outcome: 'officers-attended' }, HANDLER);
    // Re-issued: a new key and another victim.
    rig.clock.advance(86_400_000);
    const reissued = await rig.core.registerHandset({ ...registration(), key: new Uint8Array(32).fill(3), replace: true, victim: { name: 'Mary Roe', safetyNotes: 'New holder', riskMarkers: [] } }, ENGINEER);
    expect(reissued).toMatchObject({ ok: true });
    expect((await rig.core.getIncident(old))?.victim).toBeNull();
    // The new holder's alarm shows her record.
    const newKey = new Uint8Array(32).fill(3);
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }, newKey, rig.clock.now()), HANDSET_NUMBER, 5));
    const fresh = rig.ofType('incident.opened')[1]?.['incidentId'] as string;
    expect((await rig.core.getIncident(fresh))?.victim).toMatchObject({ name: 'Mary Roe' });
  });

  it('a handset cannot be re-issued (a new key) while its live incident is open: her alarm would show the new holder\'s record and take the new holder\'s positions', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    const firstName = ((await rig.core.getIncident(id))?.victim as { name: string } | null)?.name;
    rig.clock.advance(86_400_000);
    const newKey = new Uint8Array(32).fill(3);
    const reissue = { ...registration(), key: newKey, replace: true, victim: { name: 'Mary Roe', safetyNotes: 'New holder', riskMarkers: [] } };
    const refused = await rig.core.registerHandset(reissue, ENGINEER);
    expect(refused).toMatchObject({ ok: false, error: 'conflict' });
    expect(JSON.stringify(refused)).toContain(id);
    expect((await rig.core.getIncident(id))?.victim).toMatchObject({ name: firstName });
    // Once the control room has closed it, the handset may go to its new holder, whose alarm opens her own.
    await rig.core.close(id, { outcome: 'other' }, HANDLER);
    expect(await rig.core.registerHandset(reissue, ENGINEER)).toMatchObject({ ok: true });
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' }, newKey, rig.clock.now()), HANDSET_NUMBER, 5));
    const fresh = rig.ofType('incident.opened')[1]?.['incidentId'] as string;
    expect(fresh).not.toBe(id);
    expect((await rig.core.getIncident(fresh))?.victim).toMatchObject({ name: 'Mary Roe' });
  });

  it('a handset whose only open incident is a test (the provisioning TST) may be re-issued', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'TST' })));
    expect(rig.ofType('incident.opened')).toMatchObject([{ priority: 'test' }]);
    const newKey = new Uint8Array(32).fill(3);
    expect(await rig.core.registerHandset({ ...registration(), key: newKey, replace: true }, ENGINEER)).toMatchObject({ ok: true });
  });
});
