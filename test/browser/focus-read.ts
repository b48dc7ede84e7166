// Reading where the keyboard focus is in the console, for the browser tests of focus (action-focus*.test.ts).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** Where the focus is: the action button's id, the toolbar, or the element's tag (body: the page). */
export const focusAt = (p: Page) =>
  p.evaluate(() => {
    const a = document.activeElement as HTMLElement | null;
    if (a === null) return null;
    if (a.getAttribute('role') === 'toolbar') return 'toolbar';
    return a.id || a.tagName.toLowerCase();
  });

/**
 * Watches an open dialog's next close event; the function returned waits until it has been handled. A dialog's
 * `open` attribute goes at once, its close event (where the console gives the focus back) comes in a task after:
 * the focus read between the two is still the dialog's own button. Registered after the console's own listener
 * (added as the dialog opened), so it runs after it.
 */
export const watchClose = async (p: Page, id: string) => {
  await p.evaluate((dialog) => {
    const w = window as unknown as { closeSeen?: boolean };
    w.closeSeen = false;
    document.getElementById(dialog)?.addEventListener('close', () => (w.closeSeen = true), { once: true });
  }, id);
  // A bound on waiting for the page (a loaded machine), not a timed assertion.
  return () => expect.poll(() => p.evaluate(() => (window as unknown as { closeSeen?: boolean }).closeSeen), { timeout: 15_000 }).toBe(true);
};
