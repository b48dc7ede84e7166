// A STOP for her closed incident (the one closing sends, or a handler's Stop tracking on the closed incident)
// can wait seconds for its line. If her next alarm opens a new incident meanwhile, that STOP must not go: the
// firmware ends all tracking on a STOP, so her new alarm would go untracked while every console showed it
// tracking. And if it was already being written when her alarm came in, the new incident is not shown
// tracking on the gateway's word. (Review 13: found in aae02cd/7b1b74f.)
import { describe, expect, it } from 'vitest';
import { HANDSET_NUMBER, deliver, holdNextSend, report, sentKinds, startRig, ticks, type Rig } from './harness.js';

const HANDLER = { username: 'handler', role: 'call-handler' } as const;

/** Her second alarm (ALM counter 5) comes in; resolves once its incident is open. */
async function secondAlarm(rig: Rig): Promise<{ id: string; stored: Promise<unknown> }> {
  const stored = rig.sms(deliver(report({ counter: 5, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 5));
  for (let i = 0; i < 100 && rig.ofType('incident.opened').length < 2; i++) await ticks(1);
  const id = rig.ofType('incident.opened')[1]?.['incidentId'] as string;
  expect(id).toBeDefined();
  return { id, stored };
}

describe('a STOP for her closed incident and her next alarm', () => {
  it('the STOP closing sent, still waiting for its line when her new alarm opens an incident, does not go', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const first = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    const held = holdNextSend(rig, 'queued');
    expect(await rig.core.close(first, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
    await ticks();
    expect(held.asked()).toBe(true);
    rig.clock.advance(20_000);
    const second = await secondAlarm(rig);
    held.release();
    await second.stored;
    await rig.core.idle();
    expect(sentKinds(rig)).toEqual([]);
    expect((await rig.core.getIncident(second.id))?.['tracking']).toBe(true);
    const result = rig.ofType('command.result').at(-1);
    expect(result).toMatchObject({ result: 'failed' });
    expect(String(result?.['detail'])).toContain(`open incident ${second.id}`);
  });

  it('a Stop tracking on the closed incident, waiting for its line when her new alarm opens an incident, does not go: 409 naming it', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const first = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    rig.lines.sendResult = { ok: false, detail: 'no free line', lineId: null };
    await rig.core.close(first, { outcome: 'resolved-by-phone' }, HANDLER);
    await rig.core.idle(); // the close's STOP failed: the console offers Stop tracking on the closed incident
    rig.lines.sendResult = { ok: true, detail: '+CMGS: 7', lineId: 'L1' };
    const held = holdNextSend(rig, 'queued');
    const stop = rig.core.stopTracking(first, HANDLER);
    await ticks();
    expect(held.asked()).toBe(true);
    rig.clock.advance(10_000);
    const second = await secondAlarm(rig);
    held.release();
    const reply = await stop;
    expect(reply).toMatchObject({ ok: false, error: 'conflict' });
    expect(JSON.stringify(reply)).toContain(second.id);
    await second.stored;
    await rig.core.idle();
    expect(sentKinds(rig)).toEqual(['STOP']); // the close's, which the line refused ('no free line')
    expect((await rig.core.getIncident(second.id))?.['tracking']).toBe(true);
    expect(rig.ofType('incident.tracking-stopped')).toEqual([]);
  });

  it('a STOP already being written when her new alarm opens an incident: the new incident is not shown tracking, until her next TRK', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const first = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    const held = holdNextSend(rig, 'written');
    await rig.core.close(first, { outcome: 'resolved-by-phone' }, HANDLER);
    await ticks();
    expect(held.asked()).toBe(true);
    rig.clock.advance(5_000);
    const second = await secondAlarm(rig);
    expect((await rig.core.getIncident(second.id))?.['tracking']).toBe(true);
    held.release();
    await second.stored;
    await rig.core.idle();
    expect(sentKinds(rig)).toEqual(['STOP']);
    expect((await rig.core.getIncident(second.id))?.['tracking']).toBe(false);
    expect(rig.ofType('incident.tracking-stopped').at(-1)).toMatchObject({ incidentId: second.id, reason: 'handler', by: 'handler' });
    // Her handset was not stopped after all (the STOP reached it before she pressed): its TRKs show it tracking.
    rig.clock.advance(30_000);
    await rig.sms(deliver(report({ counter: 6, event: 'TRK' }, undefined, rig.clock.now()), HANDSET_NUMBER, 6));
    await rig.core.idle();
    expect((await rig.core.getIncident(second.id))?.['tracking']).toBe(true);
  });

  it('Stop tracking, then Close, then her new alarm while that STOP waits for its line: it does not go', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const first = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    const held = holdNextSend(rig, 'queued');
    const stop = rig.core.stopTracking(first, HANDLER); // asked while the incident is open
    await ticks();
    expect(held.asked()).toBe(true);
    rig.lines.sendResult = { ok: false, detail: 'no free line', lineId: null }; // the close's own STOP: refused
    expect(await rig.core.close(first, { outcome: 'resolved-by-phone' }, HANDLER)).toMatchObject({ ok: true });
    await rig.core.idle();
    rig.lines.sendResult = { ok: true, detail: '+CMGS: 7', lineId: 'L1' };
    rig.clock.advance(5_000);
    const second = await secondAlarm(rig);
    held.release();
    expect(await stop).toMatchObject({ ok: false, error: 'conflict' });
    await second.stored;
    await rig.core.idle();
    expect(sentKinds(rig)).toEqual(['STOP']); // the close's, which the line refused
    expect((await rig.core.getIncident(second.id))?.['tracking']).toBe(true);
  });

  it('Stop tracking on her open incident, and she presses again (re-alarm) while it waits: it does not go', async () => {
    const rig = await startRig();
    await rig.sms(deliver(report({ counter: 1, event: 'ALM' })));
    const id = rig.ofType('incident.opened')[0]?.['incidentId'] as string;
    expect(await rig.core.acknowledge(id, {}, HANDLER)).toMatchObject({ ok: true });
    const held = holdNextSend(rig, 'queued');
    const stop = rig.core.stopTracking(id, HANDLER);
    await ticks();
    expect(held.asked()).toBe(true);
    rig.clock.advance(5_000);
    await rig.sms(deliver(report({ counter: 5, event: 'ALM' }, undefined, rig.clock.now()), HANDSET_NUMBER, 5));
    expect(rig.ofType('incident.re-alarmed')).toHaveLength(1);
    held.release();
    const reply = await stop;
    expect(reply).toMatchObject({ ok: false, error: 'conflict' });
    expect(JSON.stringify(reply)).toContain('new alarm');
    await rig.core.idle();
    expect(sentKinds(rig)).toEqual([]);
    expect((await rig.core.getIncident(id))?.['tracking']).toBe(true);
    expect(rig.ofType('incident.tracking-stopped')).toEqual([]);
    // Asked again now, after her alarm: it goes (the handler decides with the re-alarm in view).
    expect(await rig.core.stopTracking(id, HANDLER)).toMatchObject({ ok: true });
    expect(sentKinds(rig)).toEqual(['STOP']);
  });
});
