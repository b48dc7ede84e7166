// The action status line says whose call or incident it is about, in a real browser against a real gateway HTTP
// edge and SQLite store (console-gateway.ts). Seen in `make demo --interactive` (25 Nov, three alarms at once): the
// handler answered TS-0001's call and moved to TS-0003's, still ringing; above TS-0003's record the status line read
// "Call answered: confirmed by the gateway (event 73)." for 40 s, as if the call on screen had been answered.
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole, selectCall } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const tecsos = (callId: string, handsetId: string, incidentId: string, at: number, lineId: string) =>
  ev.ringing(callId, 'tecsos', at, { callerNumber: `+44770090${handsetId.slice(-4)}`, handsetId, incidentId, force: 'Test Force', lineId });

describe('the status line names whose call it is about', () => {
  it('her confirmed answer of one victim\'s call, read while another victim\'s call is on screen, names the first', async () => {
    const t = Date.now() - 30_000;
    core.victims.set('inc-w1', { handsetId: 'TS-0901', victim: { name: 'Ann Example', safetyNotes: 'Abuser has a key.', riskMarkers: [], address: '1 Example Road' } });
    core.victims.set('inc-w3', { handsetId: 'TS-0903', victim: { name: 'Cat Example', safetyNotes: 'Speaks Polish.', riskMarkers: [], address: '3 Example Road' } });
    await world.store.append([
      ev.opened('inc-w1', 'TS-0901', 'c-w1', t),
      tecsos('c-w1', 'TS-0901', 'inc-w1', t, 'line1'),
      ev.opened('inc-w3', 'TS-0903', 'c-w3', t + 2000),
      tecsos('c-w3', 'TS-0903', 'inc-w3', t + 2000, 'line3'),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      await selectCall(p, 'c-w1');
      await p.locator('body').press('a');
      await poll(() => core.recorded.filter((r) => r.method === 'answer').map((r) => r.id)).toEqual(['c-w1']);
      await world.store.append([ev.answered('c-w1', 'handler')]);
      await poll(() => p.locator('#action-status').innerText()).toContain('confirmed by the gateway');
      // She moves on to the other victim's ringing call: the line above her record says whose call was answered.
      await selectCall(p, 'c-w3');
      expect(await p.locator('#incident-h').innerText()).toContain('TS-0903');
      expect(await p.locator('#action-status').innerText()).toMatch(/^Call answered \(TS-0901\): confirmed by the gateway/);
      // An incident action names her handset too.
      await p.locator('body').press('k');
      await poll(() => core.recorded.filter((r) => r.method === 'acknowledge').map((r) => r.id)).toEqual(['inc-w3']);
      await world.store.append([{ type: 'incident.acknowledged', incidentId: 'inc-w3', by: 'handler' } as NewEvent]);
      await poll(() => p.locator('#action-status').innerText()).toMatch(/^Incident acknowledged \(TS-0903\): confirmed by the gateway/);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
