// A keyboard (or screen-reader) call handler on a queue row, in a real browser against a real gateway HTTP edge
// and SQLite store (console-gateway.ts). Two findings of a review (24 Nov), each seen on the console before its fix:
// - the row she was on left the queue (its call ended): the focus fell to the page, and her next Tab or ↓
//   started from the top of the page, not from her place in the queue;
// - the 1 s re-draw built every row anew and put the focus on the new one, whose label carried the ticking wait
//   clock: a screen reader is given a new focused element with a new name every second.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];

const consoleAs = (username: string, width: number, height: number): Promise<Page> => openConsole(world.browser, world.gateway, username, width, height, pageErrors);
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const drawn = (p: Page) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
/** A call answered by the handler and ended by her: it leaves the queue and is not a missed call. */
const endCall = (callId: string): NewEvent[] => [
  ev.answered(callId, 'handler'),
  { type: 'call.ended', callId, lineId: 'line1', endedBy: 'handler', by: 'handler', talkSeconds: 5 },
];

/**
 * Where the focus is, found and read in one turn of the page (the rows are drawn anew every second: a locator
 * finds a row and reads it in a second round trip). `row`: the queue row's key; `on`: the focused element's id
 * when it is no row; `ring`: the focus ring shows; the scroll positions of the page and of the queue panel.
 */
const focus = (p: Page) => p.evaluate(() => {
  const a = document.activeElement as HTMLElement | null;
  const row = a?.closest<HTMLElement>('#queue > li');
  const panel = document.getElementById('queue-panel') as HTMLElement;
  return {
    row: row?.dataset['key'] ?? null,
    on: row ? null : (a?.id || a?.tagName.toLowerCase() || null),
    ring: a?.matches(':focus-visible') ?? false,
    pageScroll: document.scrollingElement?.scrollTop ?? 0,
    panelScroll: panel.scrollTop,
  };
});

describe('keyboard focus in the call queue', () => {
  it('when the focused row leaves the queue, the focus goes to the next row, else the previous, else the queue, without scrolling', async () => {
    const now = Date.now();
    // A queue longer than the panel at 1280x720 (it scrolls), the oldest first.
    await world.store.append(Array.from({ length: 12 }, (_, i) => ev.ringing(`c-${i}`, 'ordinary', now - 600_000 + i * 1000, { callerNumber: `+4477009001${String(i).padStart(2, '0')}` })));
    const p = await consoleAs('handler', 1280, 720);
    try {
      await p.locator('.queue-item[data-key="call:c-11"]').waitFor();
      // She scrolled the queue down a little and Tabbed onto a row in the middle of what she sees.
      await p.locator('#queue-panel').evaluate((el) => (el.scrollTop = 300));
      await p.locator('.queue-item[data-key="call:c-4"] button').focus();
      await p.keyboard.press('Tab');
      const before = await focus(p);
      expect({ row: before.row, ring: before.ring }).toEqual({ row: 'call:c-5', ring: true });
      expect(before.panelScroll).toBeGreaterThan(0);
      // Its call ends: the next row has the focus, and neither the page nor the queue moved.
      await world.store.append(endCall('c-5'));
      await poll(() => p.locator('.queue-item[data-key="call:c-5"]').count()).toBe(0);
      await drawn(p);
      expect(await focus(p)).toEqual({ ...before, row: 'call:c-6' });
      // Tab goes on from there.
      await p.keyboard.press('Tab');
      expect((await focus(p)).row).toBe('call:c-7');
      // The last row ends: the previous one.
      await p.locator('.queue-item[data-key="call:c-10"] button').focus();
      await p.keyboard.press('Tab');
      expect((await focus(p)).row).toBe('call:c-11');
      await world.store.append(endCall('c-11'));
      await poll(() => p.locator('.queue-item[data-key="call:c-11"]').count()).toBe(0);
      await drawn(p);
      expect((await focus(p)).row).toBe('call:c-10');
      // Every call ends: the queue itself ("No calls waiting."), not the page.
      await world.store.append(['c-0', 'c-1', 'c-2', 'c-3', 'c-4', 'c-6', 'c-7', 'c-8', 'c-9', 'c-10'].flatMap(endCall));
      await poll(() => p.locator('#queue .empty').count()).toBe(1);
      await drawn(p);
      expect((await focus(p)).on).toBe('queue');
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('the focused row is the same element, with the same accessible name, while only its clock ticks', async () => {
    const now = Date.now();
    await world.store.append([
      ev.ringing('c-t', 'tecsos', now - 5_000, { callerNumber: '+447700900201', handsetId: 'TS-0201', force: 'Test Force' }),
      ev.ringing('c-o', 'ordinary', now - 3_000, { callerNumber: '+447700900202' }),
    ]);
    const p = await consoleAs('handler', 1280, 720);
    try {
      await p.locator('.queue-item[data-key="call:c-o"]').waitFor();
      await p.locator('.queue-item[data-key="call:c-o"] button').focus();
      // The focused button is marked and its name and clock read, in one turn of the page.
      const read = () => p.evaluate(() => {
        const a = document.activeElement as HTMLElement & { hMark?: boolean };
        const same = a.hMark === true;
        a.hMark = true;
        return {
          same,
          key: a.closest<HTMLElement>('li')?.dataset['key'] ?? null,
          name: a.getAttribute('aria-label'),
          clock: a.querySelector('.q-clock')?.textContent ?? null,
        };
      });
      const first = await read();
      expect({ ...first, name: first.name !== null }).toEqual({ same: false, key: 'call:c-o', name: true, clock: first.clock });
      // Two ticks of the wait clock (the queue drawn twice).
      let last = first;
      for (let n = 0; n < 2; n++) {
        const clockBefore = last.clock;
        await poll(async () => (last = await read()).clock).not.toBe(clockBefore);
      }
      expect({ same: last.same, key: last.key, name: last.name }).toEqual({ same: true, key: 'call:c-o', name: first.name });
      // The name says what the row is, and since when it has rung (not a clock that changes every second).
      expect(first.name).toMatch(/^999 call, RINGING since \d\d:\d\d:\d\d, \+447700900202/);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
