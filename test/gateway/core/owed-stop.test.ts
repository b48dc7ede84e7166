// The STOP a close sends that no line could send (every line in a call, or each refused it). Before, the
// handler was alerted ("Command to handset ... failed") and nothing more happened: her handset went on tracking,
// an SMS of her position every 30 s to no one, until its tracking period ended (60 min from her alarm), unless a
// handler pressed Stop tracking on the closed incident. Now it is owed and goes by itself once a line has been free 2 min,
// within 70 min of the close, never after her new alarm (docs/gateway.md "TSC1 commands", owed-stops.ts).
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { ManualClock } from '../../../protocol/time/clock.js';
import type { LineActionResult } from '../../../gateway/lines/types.js';
import { OWED_STOP_QUIET_MS } from '../../../gateway/core/owed-stops.js';
import { snapshotState } from '../../../gateway/core/snapshot.js';
import {
  consoleOf,
  deliver,
  HANDSET_ID,
  HANDSET_NUMBER,
  holdNextSend,
  keepSnapshot,
  ORDINARY_NUMBER,
  registration,
  report,
  START,
  startRig,
  ticks,
  tmpDir,
  type Rig,
} from './harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;
const ENGINEER = { username: 'engineer', role: 'engineer' } as const;
const NO_FREE_LINE: LineActionResult & { lineId: null } = { ok: false, detail: 'no free line (L1 up (in a call))', lineId: null };
const SENT = { ok: true as const, detail: '+CMGS: 7', lineId: 'L1' };

/** Her alarm, a handler on an ordinary 999 call on the only line, and the close of her incident: its STOP finds no free line. */
async function closedWithLineBusy(rig: Rig): Promise<string> {
  await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
  const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
  await rig.ring(ORDINARY_NUMBER);
  const callId = rig.ofType('call.ringing')[0]?.['callId'] as string;
  expect(await rig.core.answer(callId, HANDLER)).toMatchObject({ ok: true });
  rig.lines.sendResult = NO_FREE_LINE;
  expect(await rig.core.close(id, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
  await rig.core.idle();
  rig.lines.sendResult = SENT;
  return id;
}

/** The ordinary call on L1 ends, and the line stays free for OWED_STOP_QUIET_MS (an owed STOP waits so long). */
async function callEnds(rig: Rig): Promise<void> {
  rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
  await rig.core.idle();
  rig.clock.advance(OWED_STOP_QUIET_MS);
  await rig.core.idle();
}

/** The wall clock as the host steps it (NTP): now() jumps by `step`, the timers keep their own time. */
class SteppedClock extends ManualClock {
  step = 0;
  override now(): number {
    return super.now() + this.step;
  }
}

const stopsSent = (rig: Rig) => rig.ofType('command.sent').filter((e) => (e['command'] as { kind: string }).kind === 'STOP');

describe("a close's STOP that no line could send", () => {
  it('goes by itself once a line is free, recorded as any command, and the console shows it sent', async () => {
    const rig = await startRig();
    const id = await closedWithLineBusy(rig);
    const failed = rig.ofType('command.result').at(-1);
    expect(failed).toMatchObject({ handsetId: HANDSET_ID, result: 'failed' });
    // The handler's alert says it is not the end of it.
    expect(String(failed?.['detail'])).toMatch(/^not sent: no free line .*; it will be sent again by itself when a line is free, until 07:10 UTC$/);
    expect(stopsSent(rig)).toEqual([]);

    rig.clock.advance(20_000);
    await callEnds(rig);
    expect(stopsSent(rig)).toMatchObject([{ handsetId: HANDSET_ID, incidentId: id, by: 'handler', lineId: 'L1' }]);
    const counter = stopsSent(rig)[0]?.['counter'];
    expect(rig.ofType('command.result').at(-1)).toMatchObject({ counter, result: 'sent', detail: '+CMGS: 7 (the STOP owed since the close, sent by itself once a line was free)' });
    expect(consoleOf(rig).lastCommand(HANDSET_ID, 'STOP', id)?.result?.result).toBe('sent');
    // Its ACK settles it as any STOP's: her closed incident reads stopped by the handset.
    await rig.sms(deliver(report({ counter: 2, event: 'ACK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 2));
    expect(consoleOf(rig).lastCommand(HANDSET_ID, 'STOP', id)?.result?.result).toBe('acknowledged');
    // Owed no more: another free line sends nothing.
    await callEnds(rig);
    rig.clock.advance(30 * 60_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toHaveLength(1);
  });

  it('a 999 call put through to the freed line comes first: the STOP waits for the next free line', async () => {
    const rig = await startRig();
    const id = await closedWithLineBusy(rig);
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    await rig.core.idle();
    rig.clock.advance(1_000);
    await rig.ring('+447700900555'); // queued while every line was busy
    rig.clock.advance(OWED_STOP_QUIET_MS);
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
    expect(rig.lines.sent).toHaveLength(1); // the close's, refused: no attempt on the ringing line
    await callEnds(rig);
    expect(stopsSent(rig)).toMatchObject([{ incidentId: id }]);
  });

  it('never goes once her handset raised a new alarm: her new incident keeps tracking', async () => {
    const rig = await startRig();
    await closedWithLineBusy(rig);
    rig.clock.advance(60_000);
    await rig.sms(deliver(report({ counter: 5, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 5));
    const second = rig.ofType('incident.opened')[1]?.['incidentId'] as string;
    await callEnds(rig);
    rig.clock.advance(5 * 60_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
    expect((await rig.core.getIncident(second))?.['tracking']).toBe(true);
  });

  it('waits until a line has been free two minutes: her new alarm, held at the network while the line was busy, comes first', async () => {
    // Her handset redials 999 at most 60 s apart and the network delivers her ALM once a line is free: a STOP
    // sent as soon as the line freed (10 s, before) reached her handset before the gateway saw her new alarm,
    // and the firmware ended her new alarm's tracking. Now nothing goes until the line has stayed free 2 min.
    const rig = await startRig();
    await closedWithLineBusy(rig);
    rig.clock.advance(20_000);
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    await rig.core.idle();
    rig.clock.advance(60_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
    expect(rig.lines.sent).toHaveLength(1); // the close's, refused
    await rig.sms(deliver(report({ counter: 5, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 5));
    const second = rig.ofType('incident.opened')[1]?.['incidentId'] as string;
    rig.clock.advance(5 * 60_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
    expect((await rig.core.getIncident(second))?.['tracking']).toBe(true);
  });

  it("waits two minutes of the line's own time, not of a wall clock stepped forward meanwhile", async () => {
    // The quiet two minutes were the wall clock's difference: an NTP step of 3 min forward 30 s after the call
    // ended made the next minute check find the line "free for 3.5 min", and the STOP went 60 s after the line
    // freed, before her new alarm's ALM the network was about to deliver (the danger the two minutes are for).
    const clock = new SteppedClock(START);
    const rig = await startRig({ clock });
    await closedWithLineBusy(rig);
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    await rig.core.idle();
    clock.advance(30_000);
    clock.step = 3 * 60_000;
    for (let s = 30; s < 119; s++) {
      clock.advance(1_000);
      await rig.core.idle();
    }
    expect(stopsSent(rig)).toEqual([]);
    clock.advance(1_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toHaveLength(1);
  });

  it('a line that comes up waits the same: its own coming up is not two quiet minutes', async () => {
    const rig = await startRig();
    await closedWithLineBusy(rig);
    const down = { lineId: 'L1', spec: 'mock:L1', state: 'down', registration: null, csq: null, detail: 'port closed' } as const;
    const up = { lineId: 'L1', spec: 'mock:L1', state: 'up', registration: 1, csq: 20, detail: '' } as const;
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    rig.lines.reports = [down];
    rig.core.onHealth(down);
    await rig.core.idle();
    rig.clock.advance(10 * 60_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]); // down: nothing to send it on
    rig.lines.reports = [up];
    rig.core.onHealth(up);
    rig.clock.advance(OWED_STOP_QUIET_MS - 1_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
    rig.clock.advance(1_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toHaveLength(1);
  });

  it('asks again at the moment of sending: her alarm while it waits for its line keeps it unsent, and owed no more', async () => {
    const rig = await startRig();
    await closedWithLineBusy(rig);
    const held = holdNextSend(rig, 'queued');
    rig.clock.advance(20_000);
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    rig.clock.advance(OWED_STOP_QUIET_MS);
    for (let i = 0; i < 100 && !held.asked(); i++) await ticks(1);
    expect(held.asked()).toBe(true);
    const alarm = rig.sms(deliver(report({ counter: 5, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 5));
    for (let i = 0; i < 100 && rig.ofType('incident.opened').length < 2; i++) await ticks(1);
    const second = rig.ofType('incident.opened')[1]?.['incidentId'] as string;
    held.release();
    await alarm;
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
    const result = rig.ofType('command.result').at(-1);
    expect(result).toMatchObject({ result: 'failed' });
    expect(String(result?.['detail'])).toContain(`open incident ${second}`);
    expect(String(result?.['detail'])).not.toContain('sent again');
    expect((await rig.core.getIncident(second))?.['tracking']).toBe(true);
    expect(rig.core.state.owedStops.due(rig.clock.now())).toEqual([]);
  });

  it("a handset re-issued while the owed STOP waits for its line: the new holder's handset gets no STOP", async () => {
    // Re-keyed, the handset is someone else's: the STOP owed to the previous holder's tracking is forgotten
    // (state.ts), but a retry already waiting for its line went on, encoded with the new key to the new
    // number, and ended whatever the new holder's handset was tracking.
    const rig = await startRig();
    await closedWithLineBusy(rig);
    const held = holdNextSend(rig, 'queued');
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    rig.clock.advance(OWED_STOP_QUIET_MS);
    for (let i = 0; i < 100 && !held.asked(); i++) await ticks(1);
    expect(held.asked()).toBe(true);
    const reissued = registration({ key: new Uint8Array(32).fill(0x5c), number: '+447700900777', replace: true });
    expect(await rig.core.registerHandset(reissued, ENGINEER)).toMatchObject({ ok: true });
    held.release();
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
    expect(rig.lines.sent).toHaveLength(1); // the close's, refused
    expect(String(rig.ofType('command.result').at(-1)?.['detail'])).toContain('re-issued');
  });

  describe("a handler's own STOP for the handset settles it: one STOP, not two", () => {
    // A handler's Stop tracking on the closed incident while the owed STOP waited: both went, each with its
    // own counter, both carried out and acknowledged (an SMS more, and a second STOP in the incident's history).
    it("the owed STOP does not go while a handler's Stop tracking waits for its line, nor after it left", async () => {
      const rig = await startRig();
      const id = await closedWithLineBusy(rig);
      rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
      await rig.core.idle();
      rig.clock.advance(OWED_STOP_QUIET_MS - 10_000);
      const held = holdNextSend(rig, 'queued');
      const stop = rig.core.stopTracking(id, HANDLER);
      for (let i = 0; i < 100 && !held.asked(); i++) await ticks(1);
      expect(held.asked()).toBe(true);
      rig.clock.advance(60_000); // the line has been free 2 min: the owed STOP's time
      await ticks(20);
      expect(rig.lines.sent).toHaveLength(1); // the close's, refused: nothing more while the handler's waits
      held.release();
      expect(await stop).toMatchObject({ ok: true });
      await rig.core.idle();
      for (let m = 0; m < 10; m++) {
        rig.clock.advance(60_000);
        await rig.core.idle();
      }
      expect(stopsSent(rig)).toMatchObject([{ incidentId: id, by: 'handler' }]);
      expect(rig.lines.sent).toHaveLength(2);
      expect(rig.core.state.owedStops.due(rig.clock.now())).toEqual([]);
    });

    it("a handler's Stop tracking while the owed STOP waits for its line: the owed one is left unsent", async () => {
      const rig = await startRig();
      const id = await closedWithLineBusy(rig);
      const held = holdNextSend(rig, 'queued');
      rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
      rig.clock.advance(OWED_STOP_QUIET_MS);
      for (let i = 0; i < 100 && !held.asked(); i++) await ticks(1);
      expect(held.asked()).toBe(true);
      expect(await rig.core.stopTracking(id, HANDLER)).toMatchObject({ ok: true });
      held.release();
      await rig.core.idle();
      expect(stopsSent(rig)).toHaveLength(1);
      expect(rig.lines.sent).toHaveLength(2); // the close's, refused, and the handler's
      const owedResult = rig.ofType('command.result').at(-1);
      expect(owedResult).toMatchObject({ result: 'failed' });
      expect(String(owedResult?.['detail'])).toMatch(/already left/);
      expect(String(owedResult?.['detail'])).not.toContain('sent again');
      for (let m = 0; m < 10; m++) {
        rig.clock.advance(60_000);
        await rig.core.idle();
      }
      expect(stopsSent(rig)).toHaveLength(1);
    });

    it("a handler's Stop tracking that no line sent leaves it owed: it goes once a line is free", async () => {
      const rig = await startRig();
      const id = await closedWithLineBusy(rig);
      rig.lines.sendResult = NO_FREE_LINE;
      expect(await rig.core.stopTracking(id, HANDLER)).toMatchObject({ ok: false });
      rig.lines.sendResult = SENT;
      await callEnds(rig);
      expect(stopsSent(rig)).toMatchObject([{ incidentId: id, by: 'handler' }]);
      expect(String(rig.ofType('command.result').at(-1)?.['detail'])).toContain('the STOP owed since the close');
    });
  });

  it.each([true, false])('is still owed after a restart (snapshot kept: %s): it goes when a line is free', async (keep) => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const first = await startRig({ file, clock });
    const id = await closedWithLineBusy(first);
    await first.stop();
    keepSnapshot(file, keep);
    clock.advance(5 * 60_000);
    const second = await startRig({ file, clock, register: [] });
    // Its line comes up still in the ordinary call it had before the restart: nothing yet.
    second.core.onHealth({ lineId: 'L1', spec: 'mock:L1', state: 'up', registration: 1, csq: 20, detail: '' });
    await second.core.idle();
    expect(stopsSent(second)).toEqual([]);
    await callEnds(second);
    expect(stopsSent(second)).toMatchObject([{ handsetId: HANDSET_ID, incidentId: id, by: 'handler' }]);
  });

  it('is tried again by the minute checks while the lines refuse it, and not after 70 min from the close', async () => {
    const rig = await startRig();
    await closedWithLineBusy(rig);
    rig.lines.sendResult = { ok: false, detail: '+CMS ERROR: 500', lineId: null };
    await callEnds(rig); // the line is free now, but its modem refuses every SMS
    for (let m = 0; m < 180; m++) {
      rig.clock.advance(60_000);
      await rig.core.idle();
    }
    const expiry = rig.ofType('command.result').filter((e) => String(e['detail']).includes('was never sent'));
    expect(expiry).toHaveLength(1); // at 70 min: it was never sent (below)
    const failed = rig.ofType('command.result').filter((e) => e['result'] === 'failed' && !expiry.includes(e));
    // The close's, the one as the call ended, then one every 5 minutes until 70 min after the close.
    expect(failed.length).toBeGreaterThan(10);
    expect(failed.length).toBeLessThanOrEqual(16);
    const closedAt = Date.parse(rig.ofType('incident.closed')[0]?.['at'] as string);
    expect(failed.every((e) => Date.parse(e['at'] as string) < closedAt + 70 * 60_000)).toBe(true);
    rig.lines.sendResult = SENT;
    rig.core.onHealth({ lineId: 'L1', spec: 'mock:L1', state: 'down', registration: null, csq: null, detail: 'port closed' });
    rig.core.onHealth({ lineId: 'L1', spec: 'mock:L1', state: 'up', registration: 1, csq: 20, detail: '' });
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
  });

  it('one never sent is settled 70 min after the close: the handler is told it never went, and it is owed no more', async () => {
    // Before, an owed STOP past its 70 min stayed in the projection (and the snapshot) for good, and the
    // handler's last word of it was "it will be sent again by itself when a line is free, until 07:10 UTC".
    const rig = await startRig();
    const id = await closedWithLineBusy(rig); // the only line stays in its call
    const closeStop = rig.ofType('command.result').at(-1);
    for (let m = 0; m < 80; m++) {
      rig.clock.advance(60_000);
      await rig.core.idle();
    }
    const results = rig.ofType('command.result');
    expect(results).toHaveLength(2);
    const expired = results.at(-1);
    // For the close's STOP (its counter), stored at the first minute check from 70 min after the close.
    expect(expired).toMatchObject({ handsetId: HANDSET_ID, counter: closeStop?.['counter'], result: 'failed' });
    expect(String(expired?.['detail'])).toBe(`not sent: the STOP owed since incident ${id} closed was never sent: no line could send it by 07:10 UTC, 70 min after the close (her handset's tracking has ended by itself by then)`);
    const closedAt = Date.parse(rig.ofType('incident.closed')[0]?.['at'] as string);
    expect(Date.parse(expired?.['at'] as string) - closedAt).toBeGreaterThanOrEqual(70 * 60_000);
    expect(Date.parse(expired?.['at'] as string) - closedAt).toBeLessThan(71 * 60_000);
    expect(rig.core.state.owedStops.of(HANDSET_ID)).toBeUndefined();
    expect(JSON.parse(snapshotState(rig.core.state)).owedStops).toEqual([]);
    // The line frees later: nothing goes, nothing more is recorded.
    await callEnds(rig);
    rig.clock.advance(10 * 60_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
    expect(rig.ofType('command.result')).toHaveLength(2);
  });

  it('one waiting for its line when its time runs out is not sent: the handler was told it never went', async () => {
    const rig = await startRig();
    await closedWithLineBusy(rig);
    rig.clock.advance(67 * 60_000);
    await rig.core.idle();
    const held = holdNextSend(rig, 'queued');
    rig.core.onCall({ kind: 'ended', lineId: 'L1', at: rig.clock.now(), endedBy: 'caller' });
    rig.clock.advance(OWED_STOP_QUIET_MS);
    for (let i = 0; i < 100 && !held.asked(); i++) await ticks(1);
    expect(held.asked()).toBe(true); // the retry waits for its line 69 min after the close
    for (let m = 0; m < 3; m++) {
      rig.clock.advance(60_000);
      await ticks(20);
    }
    expect(rig.ofType('command.result').some((e) => String(e['detail']).includes('was never sent'))).toBe(true);
    held.release();
    await rig.core.idle();
    expect(stopsSent(rig)).toEqual([]);
    expect(String(rig.ofType('command.result').at(-1)?.['detail'])).toContain('past its time');
  });

  it('one that expired while the gateway was down is settled at its first minute check', async () => {
    const file = path.join(tmpDir(), 'tecsos.db');
    const clock = new ManualClock(START);
    const first = await startRig({ file, clock });
    await closedWithLineBusy(first);
    await first.stop();
    clock.advance(3 * 3_600_000);
    const second = await startRig({ file, clock, register: [] });
    expect(second.core.state.owedStops.of(HANDSET_ID)).toBeDefined();
    second.clock.advance(60_000);
    await second.core.idle();
    expect(String(second.ofType('command.result').at(-1)?.['detail'])).toMatch(/was never sent/);
    expect(second.core.state.owedStops.of(HANDSET_ID)).toBeUndefined();
  });

  it('one that may have left (uncertain) is not sent again: it waits for its ACK', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    rig.lines.sendResult = { ok: false, uncertain: true, detail: 'closed: engine closed', lineId: 'L1' } as LineActionResult & { lineId: string };
    await rig.core.close(id, { outcome: 'resolved-by-phone' }, HANDLER);
    await rig.core.idle();
    rig.lines.sendResult = SENT;
    rig.core.onHealth({ lineId: 'L1', spec: 'mock:L1', state: 'down', registration: null, csq: null, detail: 'port closed' });
    rig.core.onHealth({ lineId: 'L1', spec: 'mock:L1', state: 'up', registration: 1, csq: 20, detail: '' });
    rig.clock.advance(10 * 60_000);
    await rig.core.idle();
    expect(stopsSent(rig)).toHaveLength(1);
    expect(rig.ofType('command.result').at(-1)?.['detail']).toMatch(/^uncertain: /);
  });
});
