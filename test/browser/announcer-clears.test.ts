// The assertive announcement (#announcer, "New TecSOS call ...") leaves its region some seconds after it was made
// (app.ts ANNOUNCE_KEEP_MS, 15 s), in chromium against a real edge and store (console-gateway.ts). It stayed: a screen
// reader user reading the page from the top, long after her call was dealt with, heard "New TecSOS call from handset
// ..." as if it were ringing now. Not cut short: a newer announcement stays its full time. The page's clock is moved
// on (no waiting); a draw after each move is awaited on the DOM (the event it drew), not on time.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { login } from '../support/gateway-process.js';
import { browserWorld, ev, FakeCore, PASSWORD } from './console-gateway.js';

const world = browserWorld(new FakeCore());
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const announced = (p: Page) => p.evaluate(() => document.getElementById('announcer')?.textContent ?? '');

/** A handler's console whose clock the test moves on; `later(s)`: s seconds on, and a draw after it awaited. */
async function clockedConsole(): Promise<{ p: Page; later: (s: number) => Promise<void>; close: () => Promise<void> }> {
  const cookie = await login(world.gateway.url, 'handler', PASSWORD);
  const [name, value] = cookie.split('=') as [string, string];
  const context = await world.browser.newContext({ viewport: { width: 1366, height: 768 } });
  // The page's clock, moved on below without waiting (it runs at the normal pace until then).
  await context.clock.install();
  await context.addCookies([{ name, value, url: world.gateway.url }]);
  const p = await context.newPage();
  p.on('pageerror', (e) => pageErrors.push(e.message));
  let ahead = 0;
  const later = async (s: number) => {
    ahead += s * 1000;
    await p.clock.setSystemTime(Date.now() + ahead);
    const [stored] = await world.store.append([ev.status('TS-0940', Date.now())]);
    await poll(() => p.evaluate(() => Number(document.body.dataset['lastSeq']))).toBeGreaterThanOrEqual(stored?.seq ?? Infinity);
  };
  await p.goto(world.gateway.url);
  await p.locator('#conn[data-state="live"]').waitFor();
  return { p, later, close: () => context.close() };
}

describe('the assertive announcement', () => {
  it('goes 15 s after it was made, not before, and a newer one stays its own 15 s', async () => {
    const { p, later, close } = await clockedConsole();
    try {
      await world.store.append([ev.ringing('c-an1', 'tecsos', Date.now(), { handsetId: 'TS-0941' })]);
      await poll(() => announced(p)).toBe('New TecSOS call from handset TS-0941 on line1');
      // Still there 10 s on (read out long since, but not taken away while it may still be read).
      await later(10);
      expect(await announced(p)).toBe('New TecSOS call from handset TS-0941 on line1');
      // A second call 10 s after the first: its announcement replaces the first one's...
      await world.store.append([ev.ringing('c-an2', 'tecsos', Date.now(), { handsetId: 'TS-0942', lineId: 'line2' })]);
      await poll(() => announced(p)).toBe('New TecSOS call from handset TS-0942 on line2');
      // ...and is not cut short when the first one's 15 s are up.
      await later(10);
      expect(await announced(p)).toBe('New TecSOS call from handset TS-0942 on line2');
      // 16 s after it was made: gone, so nobody reading the page later hears a stale alarm.
      await later(6);
      await poll(() => announced(p)).toBe('');
      expect(await p.locator('#announcer').getAttribute('role')).toBe('alert');
    } finally {
      await close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('the polite news about her call and her first position go 15 s after they were said too', async () => {
    // The same for #incident-news ("Incident ... acknowledged by super.") and #fix-announce ("First position: Last
    // fix 0:00 ago ..."): read from the top minutes later, "Last fix 0:00 ago" stood next to the fix line's real age.
    const t = Date.now();
    await world.store.append([ev.opened('inc-an3', 'TS-0943', null, t), ev.status('TS-0943', t)]);
    const { p, later, close } = await clockedConsole();
    const text = (id: string) => p.evaluate((x) => document.getElementById(x)?.textContent ?? '', id);
    try {
      await p.locator('.queue-item[data-key="incident:inc-an3"] button').click();
      await poll(() => p.locator('#incident-body').getAttribute('data-incident')).toBe('inc-an3');
      await world.store.append([ev.fix('inc-an3', 'TS-0943', 0, Date.now()), { type: 'incident.acknowledged', incidentId: 'inc-an3', by: 'super' } as NewEvent]);
      await poll(() => text('incident-news')).toBe('Incident inc-an3 acknowledged by super.');
      await poll(() => text('fix-announce')).toMatch(/^First position: Last fix 0:0\d ago/);
      await later(10);
      expect({ news: await text('incident-news'), fix: await text('fix-announce') }).toEqual({ news: 'Incident inc-an3 acknowledged by super.', fix: expect.stringMatching(/^First position: /) });
      await later(6);
      await poll(async () => ({ news: await text('incident-news'), fix: await text('fix-announce') })).toEqual({ news: '', fix: '' });
    } finally {
      await close();
      await world.store.append([ev.closed('inc-an3', 'handler', 'resolved-by-phone')]);
    }
    expect(pageErrors).toEqual([]);
  });
});
