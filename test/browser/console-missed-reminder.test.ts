// The missed-TecSOS reminder (1f03ba9), reviewed: what it says about calls of an incident the handler has
// already dealt with. A registered TecSOS alarm whose call rang and ended unanswered stays in the queue as the
// incident's alarm row (nothing is missed: the handler works the incident from it). Once the handler closes the
// incident, that call must not come back as a red "missed TecSOS call" reminder.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../gateway/store/event-store.js';
import { login } from '../support/gateway-process.js';
import { buildConsole, CHROMIUM_ARGS, ev, FakeCore, openTestStore, PASSWORD, startGateway, type Gateway } from './console-gateway.js';

let browser: Browser;
let store: EventStore;
let gateway: Gateway;
const core = new FakeCore();

async function consoleAs(username: string, width: number, height: number): Promise<Page> {
  const cookie = await login(gateway.url, username, PASSWORD);
  const [name, value] = cookie.split('=') as [string, string];
  const context = await browser.newContext({ viewport: { width, height } });
  await context.addCookies([{ name, value, url: gateway.url }]);
  const p = await context.newPage();
  p.on('close', () => void context.close());
  await p.goto(gateway.url);
  await p.locator('#conn[data-state="live"]').waitFor();
  return p;
}
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const drawn = (p: Page) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

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

describe('missed TecSOS reminder', () => {
  it('a TecSOS alarm handled from its incident row and closed does not come back as a missed-call reminder', async () => {
    const now = Date.now();
    // The handler is on an ordinary call (selected: the first row at sign-in).
    await store.append([ev.ringing('c-ord', 'ordinary', now - 60_000, { callerNumber: '+447700900300' }), ev.answered('c-ord', 'handler')]);
    const p = await consoleAs('handler', 1280, 720);
    try {
      // A registered handset's alarm: its 999 call rings and ends before anyone answers (the incident stays open).
      await store.append([
        ev.opened('inc-1', 'TS-0001', 'c-1', Date.now()),
        ev.ringing('c-1', 'tecsos', Date.now(), { callerNumber: '+447700900001', handsetId: 'TS-0001', incidentId: 'inc-1', force: 'Test Force' }),
      ]);
      await p.locator('.queue-item[data-key="call:c-1"]').waitFor();
      await store.append([{ type: 'call.ended', callId: 'c-1', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null }]);
      await p.locator('.queue-item[data-key="incident:inc-1"]').waitFor();
      await drawn(p);
      const alertBefore = await p.locator('#missed-alert').isVisible();
      // The handler works the incident from its row, then closes it.
      await p.locator('.queue-item[data-key="incident:inc-1"] button').first().click();
      await poll(() => p.locator('#incident-body').getAttribute('data-incident')).toBe('inc-1');
      await store.append([ev.closed('inc-1', 'handler', 'false-alarm')]);
      await poll(() => p.locator('.queue-item[data-key="incident:inc-1"]').count()).toBe(0);
      await drawn(p);
      // It said '⚠ 1 missed TecSOS call: +447700900001 · TS-0001, ended 0:00 ago · Show' about the alarm just closed.
      expect({ alertBefore, alertAfterClose: await p.locator('#missed-alert').isVisible() }).toEqual({ alertBefore: false, alertAfterClose: false });
      // The Missed list (outlined, below the queue) still lists the call.
      expect(await p.locator('.missed-item[data-key="call:c-1"]').count()).toBe(1);
    } finally {
      await p.close();
    }
  });
});
