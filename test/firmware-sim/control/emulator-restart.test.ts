// The handset emulator page left open while the simulator stops and starts again (a Ctrl-C and a second
// `make demo`, as the README invites to see that ./data survives). Seen with the real demo: the page asked the
// new simulator for `/api/events?since=<the last run's last seq>`, and the new run's event log starts at 1, so its
// cards' "Sent" lists stayed on the last run's reports (the state line went on updating, from /api/handsets).
// And while the simulator was down, the page looked as if all was well: "The simulator is not answering." was in
// the screen-reader region only, the cards showed the last state, and a press on a button threw
// "Uncaught (in promise) TypeError: Failed to fetch" in the page.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer, type ControlServer } from '../../../firmware-sim/control/control-server.js';
import { startSim } from '../sim/harness.js';

/** DEVELOPERS.md: Debian's chromium under playwright. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** A bound on waiting for the page (it polls once a second; a loaded 2-core machine), not a timed assertion. */
const WAIT = { timeout: 15_000 };

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

describe('handset emulator page across a simulator restart', () => {
  it('says visibly that the simulator is not answering, and shows what the new run sends once it is back', async () => {
    const first = await startSim();
    let control: ControlServer = await startControlServer(first.sim, { port: 0 });
    const port = Number(new URL(control.url).port);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    let second: Awaited<ReturnType<typeof startSim>> | undefined;
    try {
      // The first run: two alarms, calls and reports, so that its last seq is well past what the second run
      // sends before the check below.
      await first.run(500);
      await page.goto(`${control.url}/`);
      await page.locator('section.card').nth(2).waitFor(WAIT);
      first.sim.button('TS-0002', 'hold');
      first.sim.button('TS-0003', 'hold');
      await first.run(20_000);
      const sent2 = page.locator('section.card', { has: page.locator('h2', { hasText: 'TS-0002' }) }).locator('ol.sent');
      await expect.poll(() => sent2.textContent(), WAIT).toMatch(/ALM n=\d+/);
      const lastSeqOfFirst = first.sim.events.lastSeq;

      await control.close();
      await first.sim.close();
      const offline = page.locator('#offline');
      await expect.poll(() => offline.isVisible(), WAIT).toBe(true);
      expect(await offline.textContent()).toMatch(/simulator is not answering/);
      await page.getByRole('button', { name: /Alarm button of TS-0003/ }).click();
      await expect.poll(() => page.locator('#announce').textContent(), WAIT).toMatch(/TS-0003: hold not sent/);

      second = await startSim();
      control = await startControlServer(second.sim, { port });
      await expect.poll(() => offline.isVisible(), WAIT).toBe(false);
      await second.run(500);
      await page.getByRole('button', { name: /Alarm button of TS-0001/ }).click();
      await expect.poll(() => second?.sim.events.since(0).some((e) => e.type === 'button' && e.handsetId === 'TS-0001'), WAIT).toBe(true);
      await second.run(6000);
      expect(second.sim.events.lastSeq).toBeLessThan(lastSeqOfFirst);
      const sent1 = page.locator('section.card', { has: page.locator('h2', { hasText: 'TS-0001' }) }).locator('ol.sent');
      await expect.poll(() => sent1.textContent(), WAIT).toMatch(/ALM n=\d+/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await control.close();
      await second?.sim.close();
      await first.sim.close().catch(() => undefined);
    }
  });
});
