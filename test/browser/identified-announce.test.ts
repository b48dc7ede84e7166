// The assertive announcement when a call that rang with no number turns out to be a TecSOS call
// (call.identified, 3929495), in a real browser against a real gateway edge and store (console-gateway.ts).
// Still ringing: it is a new TecSOS call for the room. Already answered: it is the call a handler is talking
// to; "New TecSOS call" made a screen reader user on it look for a second call.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, NewEvent } from '../../gateway/store/event-store.js';
import { buildConsole, CHROMIUM_ARGS, ev, FakeCore, openConsole, openTestStore, startGateway, type Gateway } from './console-gateway.js';

let browser: Browser;
let store: EventStore;
let gateway: Gateway;
const core = new FakeCore();
const pageErrors: string[] = [];

/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const announced = (p: Page) => p.evaluate(() => document.getElementById('announcer')?.textContent ?? '');
const identified = (callId: string, incidentId: string): NewEvent => ({
  type: 'call.identified', at: new Date().toISOString(), callId, lineId: 'line1', callerNumber: '+447700900123',
  priority: 'tecsos', handsetId: 'TS-0001', incidentId, force: 'Test Force',
});

beforeAll(async () => {
  const consoleDir = buildConsole();
  ({ store } = await openTestStore());
  gateway = await startGateway(store, core, consoleDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await store?.close();
});

describe('a call identified as TecSOS after it rang', () => {
  it('answered already: says the answered call is hers, not that a new call came', async () => {
    const page = await openConsole(browser, gateway, 'handler', 1280, 720, pageErrors);
    await page.locator('#conn[data-state="live"]').waitFor();
    await store.append([ev.ringing('c-late', 'ordinary', Date.now(), { callerNumber: null })]);
    await store.append([ev.answered('c-late', 'handler')]);
    await poll(() => page.evaluate(() => document.querySelector('#queue [data-key="call:c-late"]')?.className ?? '')).toContain('s-answered');
    await store.append([ev.opened('inc-late', 'TS-0001', 'c-late', Date.now()), identified('c-late', 'inc-late')]);
    await poll(() => announced(page)).toBe('The call handler answered on line1 is a TecSOS call from handset TS-0001');
    await page.close();
  });

  it('still ringing: announced as a new TecSOS call', async () => {
    const page = await openConsole(browser, gateway, 'handler', 1280, 720, pageErrors);
    await page.locator('#conn[data-state="live"]').waitFor();
    await store.append([ev.ringing('c-late2', 'ordinary', Date.now(), { callerNumber: null })]);
    await poll(() => page.evaluate(() => document.querySelector('#queue [data-key="call:c-late2"]') !== null)).toBe(true);
    await store.append([ev.opened('inc-late2', 'TS-0001', 'c-late2', Date.now()), identified('c-late2', 'inc-late2')]);
    await poll(() => announced(page)).toBe('New TecSOS call from handset TS-0001 on line1');
    await page.close();
    expect(pageErrors).toEqual([]);
  });
});
