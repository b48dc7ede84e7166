// An engineer (or supervisor) who opens or reloads the console an hour into a modem line's outage: the console
// starts from the gateway's picture (`view=1`), which holds only the newest 200 events, and the line's retries
// since it went down are more than that. Its "Since" said "HH:MM:SS or earlier" (the oldest retry the picture
// still held, minutes after it went down); now the picture carries each line's run (`lineRuns`) and it says
// when the line went down. The real console in Debian's chromium against the real HTTP edge and SQLite store.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, NewEvent } from '../../gateway/store/event-store.js';
import { buildConsole, CHROMIUM_ARGS, FakeCore, openConsole, openTestStore, startGateway, type Gateway } from './console-gateway.js';

let browser: Browser;
let store: EventStore;
let gateway: Gateway;
const errors: string[] = [];
const T = Date.now();

const line = (secondsAgo: number, state: 'up' | 'down' | 'initialising', detail: string): NewEvent =>
  ({ type: 'line.health', at: new Date(T - secondsAgo * 1000).toISOString(), lineId: 'line2', port: 'tcp://127.0.0.1:7102', state, registration: 'home', signalCsq: 20, detail });

beforeAll(async () => {
  const consoleDir = buildConsole();
  ({ store } = await openTestStore());
  // Up two hours ago, down an hour ago (3600 s), then a retry every 20 s: 2 x 170 events since it went down.
  const events: NewEvent[] = [line(7200, 'up', 'poll'), line(3600, 'down', 'connection refused; retry in 500 ms')];
  for (let i = 1; i <= 170; i++) events.push(line(3600 - i * 20, 'initialising', 'initialising (retry)'), line(3599 - i * 20, 'down', 'connection refused; retry in 30000 ms'));
  await store.append(events);
  gateway = await startGateway(store, new FakeCore(), consoleDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await store?.close();
});

describe('a console opened an hour into an outage', () => {
  for (const user of ['eng', 'super']) {
    it(`${user}: the line's "Since" is when it went down, not "or earlier"`, async () => {
      const page = await openConsole(browser, gateway, user, 1280, 800, errors);
      try {
        await page.locator('#supervisor-body tr[data-line="line2"]').waitFor();
        // From the picture: no event of the log was sent before it.
        expect(gateway.server.fanout.stats.views).toBeGreaterThan(0);
        const since = await page.evaluate(() => document.querySelector<HTMLElement>('#supervisor-body tr[data-line="line2"] td.line-since')?.innerText ?? '');
        expect(since).not.toContain('or earlier');
        // An hour ago (and the few seconds or minutes this test took since it wrote the log): "1:00:15 ago (15:41:45)".
        expect(since).toMatch(/^1:0\d:\d\d ago \(/);
      } finally {
        await page.close();
      }
      expect(errors).toEqual([]);
    });
  }
});
