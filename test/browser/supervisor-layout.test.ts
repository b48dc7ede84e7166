// The supervisor's screen at 1024x768, in a real browser against a real gateway HTTP edge and SQLite store
// (console-gateway.ts). Seen in a review (24 Nov): below 1200 px the supervisor's incident panel (above the
// overview) scrolled as one, the details first and the map under them, below the fold: to see where the caller
// was she had to scroll the panel. The call handler's layout at that size (the fix line and the map on screen,
// d2aede7) is checked in console.test.ts.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'artifacts');

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];

beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true });
});

/**
 * Whether `sel` shows whole, found and measured in one turn of the page: its box inside the window and inside
 * every box that scrolls or clips it, and not drawn over at its top left corner.
 */
const shown = (p: Page, sel: string) => p.evaluate((sel) => {
  const el = document.querySelector(sel);
  if (el === null) return `${sel}: missing`;
  const r = el.getBoundingClientRect();
  let [top, left, bottom, right] = [0, 0, innerHeight, innerWidth];
  for (let a = el.parentElement; a !== null; a = a.parentElement) {
    if (getComputedStyle(a).overflow === 'visible') continue;
    const b = a.getBoundingClientRect();
    [top, left, bottom, right] = [Math.max(top, b.top), Math.max(left, b.left), Math.min(bottom, b.bottom), Math.min(right, b.right)];
  }
  const hit = document.elementFromPoint(r.left + 4, r.top + 4);
  const ok = r.height > 0 && hit !== null && el.contains(hit) && r.top >= top - 1 && r.left >= left - 1 && r.right <= right + 1 && r.bottom <= bottom + 1;
  return ok ? 'shown' : `${sel} [${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)}] outside [${Math.round(left)},${Math.round(top)} to ${Math.round(right)},${Math.round(bottom)}]`;
}, sel);

describe('supervisor at 1024x768', () => {
  it('the fix line and the map of the open incident are on screen without scrolling, and so is the overview', async () => {
    core.victims.set('inc-sv', {
      handsetId: 'TS-0070',
      victim: { name: 'Carla Example', safetyNotes: 'Abuser has keys to the flat. Cannot speak freely: use yes/no questions only.', riskMarkers: ['weapons', 'children-present'], address: '3 Example Lane, London' },
    });
    const t0 = Date.now() - 20 * 10_000;
    const fixes: NewEvent[] = Array.from({ length: 20 }, (_, i) => ev.fix('inc-sv', 'TS-0070', i, t0 + i * 10_000));
    await world.store.append([
      ev.opened('inc-sv', 'TS-0070', null, t0),
      ev.ringing('c-sv', 'tecsos', t0, { handsetId: 'TS-0070', incidentId: 'inc-sv', force: 'Test Force', callerNumber: '+447700900070' }),
      ev.status('TS-0070', t0),
      ...fixes,
    ]);
    const p = await openConsole(world.browser, world.gateway, 'super', 1024, 768, pageErrors);
    try {
      await expect.poll(() => p.locator('#incident-body').getAttribute('data-call'), { timeout: 15_000 }).toBe('c-sv');
      await expect.poll(() => p.locator('.safety-notes').innerText(), { timeout: 15_000 }).toContain('Cannot speak freely');
      await expect.poll(() => p.locator('.map-panel').getAttribute('data-drawn'), { timeout: 15_000 }).toBe('20');
      await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await p.screenshot({ path: path.join(ARTIFACTS, 'console-supervisor-incident-1024x768.png') });
      const seen: Record<string, unknown> = {
        // The page itself does not scroll (the column heads kept for screen readers, placed in the page, made it 1102 px high).
        page: await p.evaluate(() => document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth),
      };
      for (const sel of ['#incident-h', '#act-answer', '#act-close', '#fix-info', '#map', '#sv-h']) seen[sel] = await shown(p, sel);
      expect(seen).toEqual({ page: true, '#incident-h': 'shown', '#act-answer': 'shown', '#act-close': 'shown', '#fix-info': 'shown', '#map': 'shown', '#sv-h': 'shown' });
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
