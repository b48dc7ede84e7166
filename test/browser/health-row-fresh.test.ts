// An engineer's handset health table: a tamper row (cleared only by a re-registration) kept the battery and
// "Last heartbeat" of the moment the TMP came, while the handset went on reporting. The row now shows the
// handset's newest report (handset.status). And the engineer's screen offers no call-handling shortcuts. The
// real console in Debian's chromium against the real HTTP edge.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, NewEvent } from '../../gateway/store/event-store.js';
import { buildConsole, CHROMIUM_ARGS, FakeCore, openConsole, openTestStore, startGateway, type Gateway } from './console-gateway.js';
import { timeOfDay } from '../../console/format.js';

let browser: Browser;
let store: EventStore;
let gateway: Gateway;
const errors: string[] = [];
const T = Date.now() - 3600_000;
const iso = (s: number) => new Date(T + s * 1000).toISOString();
const status = (s: number, batteryPct: number, lastCounter: number): NewEvent =>
  ({ type: 'handset.status', at: iso(s), handsetId: 'TS-0001', batteryPct, csq: 20, lastReportAt: iso(s), lastEvent: 'TRK', lastCounter });

beforeAll(async () => {
  const consoleDir = buildConsole();
  ({ store } = await openTestStore());
  await store.append([
    status(0, 90, 1),
    { type: 'handset.health', at: iso(68), handsetId: 'TS-0001', problem: 'tamper', lastHeartbeatAt: iso(0), batteryPct: 90, detail: 'TMP report: three bad provisioning signatures on the USB port' },
    status(68, 90, 2),
    status(1800, 63, 3),
  ]);
  gateway = await startGateway(store, new FakeCore(), consoleDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await store?.close();
});

describe("the engineer's console", () => {
  it("eng: a tamper row shows the handset's newest battery and heartbeat", async () => {
    const page = await openConsole(browser, gateway, 'eng', 1280, 800, errors);
    try {
      const row = page.locator('#supervisor-body tr', { hasText: 'tamper' });
      await row.waitFor();
      const text = await row.innerText();
      expect(text).toContain('63%');
      expect(text).toContain(timeOfDay(iso(1800)));
      expect(text).not.toContain(timeOfDay(iso(0)));
    } finally {
      await page.close();
    }
    expect(errors).toEqual([]);
  });

  // The help listed only the call handler's keys (accept the selected call, hang up, ...), none of which does
  // anything on an engineer's screen.
  it('eng: no Shortcuts button, and ? opens no list of call-handling keys', async () => {
    const page = await openConsole(browser, gateway, 'eng', 1280, 800, errors);
    try {
      await page.locator('#supervisor-body tr', { hasText: 'tamper' }).waitFor();
      expect(await page.locator('#help-btn').isVisible()).toBe(false);
      await page.keyboard.press('?');
      expect(await page.evaluate(() => document.querySelector('dialog[open]')?.id ?? null)).toBe(null);
    } finally {
      await page.close();
    }
    expect(errors).toEqual([]);
  });
});
