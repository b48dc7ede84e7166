// Whether an incident's handset is tracking, as the gateway records it and as a console built from the same
// events shows it: a STOP that never left, a LOCATE's one answer after a stop, an incident opened by her call,
// and the close of an incident still tracking (docs/gateway.md "tracking").
import { describe, expect, it } from 'vitest';
import { HANDSET_NUMBER, consoleOf, deliver, invalidPublicEvents, report, sentKinds, startRig, type Rig } from '../core/harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;

/** The incident's `tracking` as the gateway says it and as a console says it: they must agree. */
async function tracking(rig: Rig, id: string): Promise<{ gateway: unknown; console: unknown }> {
  return { gateway: (await rig.core.getIncident(id))?.['tracking'], console: consoleOf(rig).incidents.get(id)?.tracking };
}

async function alarm(rig: Rig): Promise<string> {
  await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
  return rig.ofType('incident.opened')[0]?.['incidentId'] as string;
}

async function trk(rig: Rig, counter: number, event: 'TRK' | 'ACK' = 'TRK'): Promise<void> {
  await rig.sms(deliver(report({ counter, event }, undefined, rig.clock.now()), HANDSET_NUMBER, counter));
}

describe('a STOP that could not be sent', () => {
  it('is not recorded as tracking stopped: the request fails, the incident still tracks, and no event says otherwise', async () => {
    const rig = await startRig();
    const id = await alarm(rig);
    rig.lines.sendResult = { ok: false, detail: 'no free line', lineId: null };
    expect(await rig.core.stopTracking(id, HANDLER)).toMatchObject({ ok: false, error: 'unavailable' });
    expect(rig.ofType('incident.tracking-stopped')).toEqual([]);
    expect(rig.ofType('command.result')).toMatchObject([{ result: 'failed' }]);
    expect(await tracking(rig, id)).toEqual({ gateway: true, console: true });
    // Sent once a line is free: recorded as stopped by the handler, with the seq the REST answer names.
    rig.lines.sendResult = { ok: true, detail: 'OK', lineId: 'L2' };
    const r = await rig.core.stopTracking(id, HANDLER);
    expect(r).toMatchObject({ ok: true });
    const stopped = rig.seen.filter((e) => e.event.type === 'incident.tracking-stopped');
    expect(stopped.map((e) => e.event)).toMatchObject([{ incidentId: id, reason: 'handler', by: 'handler' }]);
    expect(r.ok && r.seq).toBe(stopped[0]?.seq);
    expect(await tracking(rig, id)).toEqual({ gateway: false, console: false });
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });
});

describe('a LOCATE after a STOP', () => {
  it("its one answering TRK is a fix, not tracking again; a TRK beyond it is (the STOP did not take)", async () => {
    const rig = await startRig();
    const id = await alarm(rig);
    await rig.core.stopTracking(id, HANDLER);
    await trk(rig, 2, 'ACK');
    expect(await tracking(rig, id)).toEqual({ gateway: false, console: false });
    rig.clock.advance(60_000);
    await rig.core.locate(id, HANDLER);
    await trk(rig, 3, 'ACK');
    rig.clock.advance(20_000);
    await trk(rig, 4);
    expect(await tracking(rig, id)).toEqual({ gateway: false, console: false });
    // No timeout 10 minutes later: it was not tracking.
    rig.clock.advance(11 * 60_000);
    await rig.core.idle();
    // The handler's STOP and its ACK (which the incident keeps: trk.ts); no timeout.
    expect(rig.ofType('incident.tracking-stopped').map((e) => e['reason'])).toEqual(['handler', 'handset']);
    // A second TRK with no LOCATE before it: the handset tracks (a new press, or the STOP never reached it).
    await trk(rig, 5);
    expect(await tracking(rig, id)).toEqual({ gateway: true, console: true });
  });
});

describe('an incident opened by her call', () => {
  it('is tracking from the start for the gateway and the console alike (her handset tracks from its alarm)', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const opened = rig.ofType('incident.opened');
    expect(opened).toMatchObject([{ cause: 'call' }]);
    const id = opened[0]?.['incidentId'] as string;
    expect(await tracking(rig, id)).toEqual({ gateway: true, console: true });
    // Stop tracking goes before any ALM/TRK has arrived.
    expect(await rig.core.stopTracking(id, HANDLER)).toMatchObject({ ok: true });
    expect(sentKinds(rig)).toEqual(['STOP']);
    expect(await tracking(rig, id)).toEqual({ gateway: false, console: false });
  });

  it('with no ALM/TRK for 10 minutes is no longer tracking (timeout), for both', async () => {
    const rig = await startRig();
    await rig.ring(HANDSET_NUMBER);
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    rig.clock.advance(11 * 60_000);
    await rig.core.idle();
    expect(rig.ofType('incident.tracking-stopped')).toMatchObject([{ incidentId: id, reason: 'timeout' }]);
    expect(await tracking(rig, id)).toEqual({ gateway: false, console: false });
  });
});

describe('closing an incident', () => {
  it('whose handset is tracking sends it a STOP for that incident', async () => {
    const rig = await startRig();
    const id = await alarm(rig);
    expect(await rig.core.close(id, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();
    expect(sentKinds(rig)).toEqual(['STOP']);
    expect(rig.ofType('command.sent')).toMatchObject([{ incidentId: id, command: { kind: 'STOP' }, by: 'handler' }]);
    expect(consoleOf(rig).lastCommand(rig.ofType('command.sent')[0]?.['handsetId'] as string, 'STOP', id)).toBeDefined();
    expect(await tracking(rig, id)).toEqual({ gateway: false, console: false });
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });

  it('whose tracking was stopped sends nothing more', async () => {
    const rig = await startRig();
    const id = await alarm(rig);
    await rig.core.stopTracking(id, HANDLER);
    await rig.core.close(id, { outcome: 'resolved-by-phone' }, HANDLER);
    await rig.core.idle();
    expect(sentKinds(rig)).toEqual(['STOP']);
  });

  it('is closed even when its STOP cannot be sent; the failure is recorded, and Stop tracking still goes from the closed incident', async () => {
    const rig = await startRig();
    const id = await alarm(rig);
    rig.lines.sendResult = { ok: false, detail: 'no free line', lineId: null };
    expect(await rig.core.close(id, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();
    expect((await rig.core.getIncident(id))?.['state']).toBe('closed');
    expect(rig.ofType('command.result')).toMatchObject([{ result: 'failed' }]);
    // Her handset goes on tracking (a TRK of the alarm's tail opens nothing); a line is free again.
    rig.clock.advance(30_000);
    await trk(rig, 2);
    expect(rig.ofType('incident.opened')).toHaveLength(1);
    rig.lines.sendResult = { ok: true, detail: 'OK', lineId: 'L2' };
    expect(await rig.core.stopTracking(id, HANDLER)).toMatchObject({ ok: true });
    expect(sentKinds(rig)).toEqual(['STOP', 'STOP']);
    expect(rig.ofType('command.sent')).toMatchObject([{ incidentId: id, command: { kind: 'STOP' } }]);
    expect(await tracking(rig, id)).toEqual({ gateway: false, console: false });
    // Not from a closed incident once a newer one of hers is open: that one handles her tracking.
    rig.clock.advance(80 * 60_000);
    await rig.sms(deliver(report({ counter: 9, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 9));
    const newer = rig.ofType('incident.opened')[1]?.['incidentId'] as string;
    const refused = await rig.core.stopTracking(id, HANDLER);
    expect(refused).toMatchObject({ ok: false, error: 'conflict' });
    expect(JSON.stringify(refused)).toContain(newer);
    expect(invalidPublicEvents(rig.seen)).toEqual([]);
  });
});
