// An incident handed to another force, in a real browser against a real gateway HTTP edge and SQLite store
// (console-gateway.ts). Seen in `make demo` (25 Nov): a supervisor closed an incident as "Transferred to another
// force" and typed the force (North Yorkshire Police), which the gateway stores (incident.closed transferredTo);
// the console then said "Incident closed: transferred to another force" and nowhere which force, so the handler
// beside her, or she herself a minute later, could not tell whom to call about the victim.
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe('an incident transferred to another force', () => {
  it('says which force, live and in a console opened afterwards', async () => {
    const t = Date.now() - 60_000;
    core.victims.set('inc-tf', { handsetId: 'TS-0601', victim: { name: 'Test Victim', safetyNotes: 'none', riskMarkers: [], address: '1 Test Street' } });
    await world.store.append([
      ev.opened('inc-tf', 'TS-0601', 'c-tf', t),
      ev.ringing('c-tf', 'tecsos', t, { callerNumber: '+447700900601', handsetId: 'TS-0601', incidentId: 'inc-tf', force: 'Test Force' }),
      ev.status('TS-0601', t),
      ev.answered('c-tf', 'handler'),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-tf"] button').click();
      await poll(() => p.locator('#incident-state').innerText()).toContain('Incident open');
      await poll(() => p.locator('.safety-notes').count()).toBe(1);
      await world.store.append([
        { type: 'incident.tracking-stopped', incidentId: 'inc-tf', handsetId: 'TS-0601', reason: 'handler', by: 'sam' } as NewEvent,
        { type: 'incident.closed', incidentId: 'inc-tf', by: 'sam', outcome: 'transferred', transferredTo: 'North Yorkshire Police' } as NewEvent,
      ]);
      await poll(() => p.locator('#incident-state').innerText()).toBe('Call answered by handler · Incident closed: transferred to North Yorkshire Police, not tracking');
      await poll(() => p.locator('#incident-news').textContent()).toContain('Incident inc-tf closed by sam: transferred to North Yorkshire Police.');
    } finally {
      await p.close();
    }
    // A console opened afterwards starts from the gateway's picture of the log (view=1): the force is in it.
    const q = await openConsole(world.browser, world.gateway, 'super', 1600, 1000, pageErrors);
    try {
      await q.locator('.queue-item[data-key="call:c-tf"] button').click();
      await poll(() => q.locator('#incident-state').innerText()).toBe('Call answered by handler · Incident closed: transferred to North Yorkshire Police, not tracking');
    } finally {
      await q.close();
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
