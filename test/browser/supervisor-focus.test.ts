// A keyboard supervisor on the overview, in chromium against a real edge and store (console-gateway.ts). The
// overview is drawn anew every second (app.ts draw: replaceChildren(supervisor-body, supervisorPanel(...))).
// Review 13c: its controls carried no data-focus-key, so the focus on the audit log's Refresh, on an incident's
// link or on a track export link fell to the page within a second (her next Tab started from the top).
// Then: a focused incident link (or export link) whose incident closed still fell to the page (its focus key was
// gone and nothing took the focus on): it now goes to the same control of the next open incident, else of the one
// before, else to the audit log's Refresh.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const world = browserWorld(new FakeCore());
const pageErrors: string[] = [];

describe('supervisor overview, keyboard', () => {
  for (const sel of ['#audit-refresh', '#supervisor-body button.link', '#supervisor-body a[download$=".gpx"]']) {
    it(`the focus on ${sel} stays on it through the 1 s re-draw`, async () => {
      const t0 = Date.now() - 60_000;
      const id = `inc-f${sel.length}`;
      await world.store.append([ev.opened(id, 'TS-0601', null, t0), ev.status('TS-0601', t0)]);
      const p = await openConsole(world.browser, world.gateway, 'super', 1366, 768, pageErrors);
      try {
        await p.locator(sel).first().waitFor();
        await p.locator(sel).first().focus();
        const first = await p.evaluate(() => ({ tag: document.activeElement?.tagName.toLowerCase() ?? null, text: document.activeElement?.textContent ?? '' }));
        // The overview drawn anew (its first section is a new element), then the focus read.
        await p.evaluate(() => ((window as unknown as { svMark?: Element | null }).svMark = document.querySelector('#supervisor-body > *')));
        await expect.poll(() => p.evaluate(() => (window as unknown as { svMark?: Element | null }).svMark?.isConnected), { timeout: 15_000 }).toBe(false);
        const later = await p.evaluate(() => ({ tag: document.activeElement?.tagName.toLowerCase() ?? null, text: document.activeElement?.textContent ?? '' }));
        expect(later).toEqual(first);
      } finally {
        await p.close();
        await world.store.append([ev.closed(id, 'super', 'resolved-by-phone')]);
      }
    });
  }
  /** The focused control: its focus key, or the page's tag. */
  const focusOf = (p: Page) => p.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['focusKey'] ?? document.activeElement?.tagName.toLowerCase() ?? null);
  const linkOf = (id: string) => `#supervisor-body [data-focus-key="sv-incident:${id}"]`;
  const closedEv = (id: string) => ev.closed(id, 'handler', 'resolved-by-phone');

  it('a focused incident link whose incident closes: the focus goes to the next incident\'s link, then the one before, then Refresh; never the page', async () => {
    const t0 = Date.now() - 60_000;
    await world.store.append([ev.opened('inc-g1', 'TS-0611', null, t0), ev.opened('inc-g2', 'TS-0612', null, t0 + 1_000), ev.opened('inc-g3', 'TS-0613', null, t0 + 2_000)]);
    const p = await openConsole(world.browser, world.gateway, 'super', 1366, 768, pageErrors);
    const seen: (string | null)[] = [];
    try {
      await p.locator(linkOf('inc-g3')).waitFor();
      await p.locator(linkOf('inc-g2')).focus();
      for (const id of ['inc-g2', 'inc-g3', 'inc-g1']) {
        await world.store.append([closedEv(id)]);
        await expect.poll(() => p.locator(linkOf(id)).count(), { timeout: 15_000 }).toBe(0);
        seen.push(await focusOf(p));
      }
      expect(seen).toEqual(['sv-incident:inc-g3', 'sv-incident:inc-g1', 'audit-refresh']);
    } finally {
      await p.close();
    }
  });

  it('a focused GPX link whose incident closes: the focus goes to the next incident\'s GPX link', async () => {
    const t0 = Date.now() - 60_000;
    await world.store.append([ev.opened('inc-h1', 'TS-0621', null, t0), ev.opened('inc-h2', 'TS-0622', null, t0 + 1_000)]);
    const p = await openConsole(world.browser, world.gateway, 'super', 1366, 768, pageErrors);
    try {
      await p.locator(linkOf('inc-h2')).waitFor();
      await p.locator('#supervisor-body [data-focus-key="sv-gpx:inc-h1"]').focus();
      await world.store.append([closedEv('inc-h1')]);
      await expect.poll(() => p.locator(linkOf('inc-h1')).count(), { timeout: 15_000 }).toBe(0);
      expect(await focusOf(p)).toBe('sv-gpx:inc-h2');
    } finally {
      await p.close();
      await world.store.append([closedEv('inc-h2')]);
    }
  });

  it('the page made no errors', () => expect(pageErrors).toEqual([]));
});
