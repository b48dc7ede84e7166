// A handler's shift, reviewed (24 Nov) on the real gateway, handset simulator and chromium: what the console says
// while she works two alarms. Each case was seen there first and is replayed here on the test edge:
// - a new TecSOS call rings while she is on another incident; A (accept) did nothing and said nothing, the
//   alert beeping on; now the status line says why and where the ringing call is;
// - another handler hangs up the call she answered: the incident read "Call ended by sam (ended by handler)"
//   on both consoles (sam had answered; handler hung up); now who answered is apart from how it ended.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe('a handler working two alarms', () => {
  it('A while another incident is selected and a TecSOS call rings: says why nothing was accepted, and where the call is', async () => {
    const p: Page = await openConsole(world.browser, world.gateway, 'handler', 1280, 720);
    try {
      // The first alarm: its call answered, then hung up; the incident stays open (tracking), and selected. Her
      // record is there (without it the console's read answers 404, said in the status line a moment later, which
      // could come after A's message below and replace it).
      core.victims.set('inc-1', { handsetId: 'TS-0001', victim: { name: 'Ann Example', safetyNotes: 'None.', riskMarkers: [] } });
      await world.store.append([
        ev.opened('inc-1', 'TS-0001', 'c-1', Date.now() - 120_000),
        ev.ringing('c-1', 'tecsos', Date.now() - 120_000, { callerNumber: '+447700900001', handsetId: 'TS-0001', incidentId: 'inc-1', force: 'Test Force' }),
        ev.answered('c-1', 'handler'),
        { type: 'call.ended', callId: 'c-1', lineId: 'line1', endedBy: 'handler', by: 'handler', talkSeconds: 90 },
      ]);
      await p.locator('.queue-item[data-key="incident:inc-1"] button').click();
      await poll(() => p.locator('#incident-body').getAttribute('data-incident')).toBe('inc-1');
      await poll(() => p.locator('.victim h3').innerText()).toBe('Ann Example');
      // A second TecSOS call rings; the selection stays on the first incident (docs/console.md).
      await world.store.append([
        ev.opened('inc-2', 'TS-0002', 'c-2', Date.now()),
        ev.ringing('c-2', 'tecsos', Date.now(), { callerNumber: '+447700900002', handsetId: 'TS-0002', incidentId: 'inc-2', force: 'Test Force' }),
      ]);
      await p.locator('.queue-item[data-key="call:c-2"]').waitFor();
      await p.locator('body').press('a');
      await poll(() => p.locator('#action-status').innerText()).toMatch(/^Accept call: .+ A call is ringing: select it in the queue/);
      expect(await p.locator('#action-status').getAttribute('role')).toBe('alert');
      expect(core.recorded.filter((r) => r.method === 'answer')).toEqual([]);
      // K on the open first incident still works as before; K again (acknowledged by then) says so.
      await world.store.append([{ type: 'incident.acknowledged', incidentId: 'inc-1', by: 'sam' }]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Incident acknowledged');
      await p.locator('body').press('k');
      await poll(() => p.locator('#action-status').innerText()).toBe('Acknowledge: the incident is already acknowledged by sam.');
    } finally {
      await p.close();
    }
  });

  it('a call answered by one handler and hung up by another: the state says who answered apart from how it ended', async () => {
    await world.store.append([
      ev.opened('inc-3', 'TS-0003', 'c-3', Date.now()),
      ev.ringing('c-3', 'tecsos', Date.now(), { callerNumber: '+447700900003', handsetId: 'TS-0003', incidentId: 'inc-3', force: 'Test Force' }),
      ev.answered('c-3', 'sam'),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1280, 720);
    try {
      await p.locator('.queue-item[data-key="call:c-3"] button').click();
      await poll(() => p.locator('#incident-state').innerText()).toContain('Call answered by sam');
      await world.store.append([{ type: 'call.ended', callId: 'c-3', lineId: 'line1', endedBy: 'handler', by: 'handler', talkSeconds: 30 }]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Call ended: hung up by handler (answered by sam)');
      expect(await p.locator('#incident-state').innerText()).not.toContain('Call ended by sam');
    } finally {
      await p.close();
    }
  });
});
