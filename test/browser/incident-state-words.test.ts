// The incident's state line in words, in a real browser against a real gateway HTTP edge and SQLite store
// (console-gateway.ts). Seen in `make demo` (25 Nov): after Acknowledge the line read "Call answered by handler ·
// Incident acknowledged (ack handler), tracking", and after the close "Incident closed (ack handler): officers
// attended": "ack handler" is shorthand a handler has to decode, beside "answered by handler" on the same line.
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe('the incident state line', () => {
  it('says who acknowledged the incident in words, open and closed', async () => {
    const t = Date.now() - 60_000;
    await world.store.append([
      ev.opened('inc-w1', 'TS-0501', 'c-w1', t),
      ev.ringing('c-w1', 'tecsos', t, { callerNumber: '+447700900501', handsetId: 'TS-0501', incidentId: 'inc-w1', force: 'Test Force' }),
      ev.status('TS-0501', t),
      ev.answered('c-w1', 'handler'),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-w1"] button').click();
      await world.store.append([{ type: 'incident.acknowledged', incidentId: 'inc-w1', by: 'sam' } as NewEvent]);
      await poll(() => p.locator('#incident-state').innerText()).toBe('Call answered by handler · Incident acknowledged by sam, tracking');
      await world.store.append([
        { type: 'incident.tracking-stopped', incidentId: 'inc-w1', handsetId: 'TS-0501', reason: 'handler', by: 'handler' } as NewEvent,
        ev.closed('inc-w1', 'handler', 'officers-attended'),
      ]);
      await poll(() => p.locator('#incident-state').innerText()).toBe('Call answered by handler · Incident closed: officers attended (acknowledged by sam), not tracking');
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
