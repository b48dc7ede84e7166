// A keyboard supervisor on the overview, in chromium against a real edge and store (console-gateway.ts). The
// overview is drawn anew every second (app.ts draw: replaceChildren(supervisor-body, supervisorPanel(...))).
// Review 13c: its controls carried no data-focus-key, so the focus on the audit log's Refresh, on an incident's
// link or on a track export link fell to the page within a second (her next Tab started from the top).
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
  it('the page made no errors', () => expect(pageErrors).toEqual([]));
});
