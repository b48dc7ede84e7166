// The assertive announcement when a call that rang with no number turns out to be a TecSOS call
// (call.identified, 3929495), in a real browser against a real gateway edge and store (console-gateway.ts).
// Still ringing: it is a new TecSOS call for the room. Already answered: it is the call a handler is talking
// to; "New TecSOS call" made a screen reader user on it look for a second call.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];

/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const announced = (p: Page) => p.evaluate(() => document.getElementById('announcer')?.textContent ?? '');
const identified = (callId: string, incidentId: string): NewEvent => ({
  type: 'call.identified', at: new Date().toISOString(), callId, lineId: 'line1', callerNumber: '+447700900123',
  priority: 'tecsos', handsetId: 'TS-0001', incidentId, force: 'Test Force',
});

describe('a call identified as TecSOS after it rang', () => {
  it('answered already: says the answered call is hers, not that a new call came', async () => {
    const page = await openConsole(world.browser, world.gateway, 'handler', 1280, 720, pageErrors);
    await page.locator('#conn[data-state="live"]').waitFor();
    await world.store.append([ev.ringing('c-late', 'ordinary', Date.now(), { callerNumber: null })]);
    await world.store.append([ev.answered('c-late', 'handler')]);
    await poll(() => page.evaluate(() => document.querySelector('#queue [data-key="call:c-late"]')?.className ?? '')).toContain('s-answered');
    await world.store.append([ev.opened('inc-late', 'TS-0001', 'c-late', Date.now()), identified('c-late', 'inc-late')]);
    await poll(() => announced(page)).toBe('The call handler answered on line1 is a TecSOS call from handset TS-0001');
    await page.close();
  });

  it('still ringing: announced as a new TecSOS call', async () => {
    const page = await openConsole(world.browser, world.gateway, 'handler', 1280, 720, pageErrors);
    await page.locator('#conn[data-state="live"]').waitFor();
    await world.store.append([ev.ringing('c-late2', 'ordinary', Date.now(), { callerNumber: null })]);
    await poll(() => page.evaluate(() => document.querySelector('#queue [data-key="call:c-late2"]') !== null)).toBe(true);
    await world.store.append([ev.opened('inc-late2', 'TS-0001', 'c-late2', Date.now()), identified('c-late2', 'inc-late2')]);
    await poll(() => announced(page)).toBe('New TecSOS call from handset TS-0001 on line1');
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
