// The handset emulator page in a real browser (Debian's chromium, headless, driven by playwright-core): it lists
// the simulation's handsets, a click on a big button raises that handset's alarm, and the card then shows the
// new state and the ALM it sent. The simulation runs on a ManualClock that the test moves on.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startControlServer } from '../../../firmware-sim/control/control-server.js';
import { startSim } from '../sim/harness.js';

/** DEVELOPERS.md: Debian's chromium under playwright. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

let browser: Browser;
beforeAll(async () => {
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

describe('handset emulator page', () => {
  it('shows each handset; clicking its big button raises the alarm; the card shows the state and the ALM sent', async () => {
    const { sim, run } = await startSim();
    const control = await startControlServer(sim, { port: 0 });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    try {
      await run(500);
      await page.goto(`${control.url}/`);
      await page.locator('section.card').nth(2).waitFor({ timeout: 15_000 });
      expect(await page.locator('section.card h2').allTextContents()).toEqual(['TS-0001 (+447700900101)', 'TS-0002 (+447700900102)', 'TS-0003 (+447700900103)']);
      const card = page.locator('section.card', { has: page.locator('h2', { hasText: 'TS-0002' }) });
      await expect.poll(() => card.locator('dd').first().textContent(), { timeout: 10_000 }).toBe('idle');

      const button = card.getByRole('button', { name: /Alarm button of TS-0002/ });
      await button.click();
      await expect.poll(() => sim.events.since(0).some((e) => e.type === 'button' && e.handsetId === 'TS-0002' && e.gesture === 'hold'), { timeout: 10_000 }).toBe(true);
      await run(6000);
      await expect.poll(() => card.locator('dd').first().textContent(), { timeout: 10_000 }).toMatch(/^(alarm|calling)$/);
      await expect.poll(() => card.locator('ol.sent').textContent(), { timeout: 10_000 }).toMatch(/ALM n=\d+/);
      expect(await page.locator('#announce').getAttribute('aria-live')).toBe('polite');

      // Press and hold 2 s on TS-0003 sends one hold (the click that ends the press sends nothing more);
      // its small button sends a tap.
      const card3 = page.locator('section.card', { has: page.locator('h2', { hasText: 'TS-0003' }) });
      const box = await card3.getByRole('button', { name: /Alarm button of TS-0003/ }).boundingBox();
      if (box === null) throw new Error('no button');
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await new Promise((r) => setTimeout(r, 2300));
      await page.mouse.up();
      await card3.getByRole('button', { name: 'Tap once' }).click();
      const gestures = () => sim.events.since(0).flatMap((e) => (e.type === 'button' && e.handsetId === 'TS-0003' ? [e.gesture] : []));
      await expect.poll(gestures, { timeout: 10_000 }).toEqual(['hold', 'tap']);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await control.close();
      await sim.close();
    }
  });
});
