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

  // Seen walking the demo as a supervisor (25 Nov): she answered a call and pressed Hang up, and the line read
  // "Call ended: hung up by a handler (answered by super)". call.ended says who hung up (`by`); the call's view
  // did not keep it. A handler's console watching the same call names her too, apart from who answered.
  it('names the user who hung up: the supervisor who answered it, and someone else than the answerer', async () => {
    const t = Date.now() - 60_000;
    await world.store.append([
      ev.opened('inc-w2', 'TS-0502', 'c-w2', t),
      ev.ringing('c-w2', 'tecsos', t, { callerNumber: '+447700900502', handsetId: 'TS-0502', incidentId: 'inc-w2', force: 'Test Force' }),
      ev.status('TS-0502', t),
      ev.answered('c-w2', 'super'),
      ev.opened('inc-w3', 'TS-0503', 'c-w3', t),
      ev.ringing('c-w3', 'tecsos', t, { callerNumber: '+447700900503', handsetId: 'TS-0503', incidentId: 'inc-w3', force: 'Test Force' }),
      ev.status('TS-0503', t),
      ev.answered('c-w3', 'handler'),
    ]);
    const sup = await openConsole(world.browser, world.gateway, 'super', 1600, 1000, pageErrors);
    const handler = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      await sup.locator('.queue-item[data-key="call:c-w2"] button').click();
      await poll(() => sup.locator('#incident-state').innerText()).toContain('Call answered by super');
      await sup.locator('#act-hangup').click();
      await sup.locator('#confirm-dialog[open]').waitFor();
      await sup.keyboard.press('Enter');
      await poll(() => core.recorded.filter((r) => r.method === 'hangup').map((r) => r.id)).toContain('c-w2');
      // What the core appends for her hang-up (gateway-core.ts hangup: endedBy handler, by her username).
      await world.store.append([{ type: 'call.ended', callId: 'c-w2', lineId: 'line1', endedBy: 'handler', by: 'super', talkSeconds: 60 } as NewEvent]);
      await poll(() => sup.locator('#incident-state').innerText()).toMatch(/^Call ended: answered and hung up by super · /);

      await handler.locator('.queue-item[data-key="call:c-w3"] button').click();
      await poll(() => handler.locator('#incident-state').innerText()).toContain('Call answered by handler');
      await world.store.append([{ type: 'call.ended', callId: 'c-w3', lineId: 'line1', endedBy: 'handler', by: 'super', talkSeconds: 60 } as NewEvent]);
      await poll(() => handler.locator('#incident-state').innerText()).toMatch(/^Call ended: hung up by super \(answered by handler\) · /);
    } finally {
      await sup.close();
      await handler.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
