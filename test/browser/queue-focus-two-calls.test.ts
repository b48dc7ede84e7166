// A keyboard call handler with two live calls of one incident in the queue (her handset redialled, on another
// line, before her first call's hang-up reached the gateway; or both lines rang), in chromium against a real edge
// and store (console-gateway.ts). Each queue row's button had her incident's focus key (incident:<id>, fd16aec),
// so both of her rows carried the same one; when the focused one of the two ended, dom.ts replaceChildren put the
// focus on the first row with that key, her other call above it, not on the row after it as for any call that
// leaves, and her next Enter selected that call. A row's focus key is now its own (call:<id>), her incident's its
// alias (an alarm row whose call rings still keeps the focus: queue-focus-keys.test.ts).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const world = browserWorld(new FakeCore());
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const drawn = (p: Page) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const callerHungUp = (callId: string): NewEvent => ({ type: 'call.ended', callId, lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null }) as NewEvent;
const tecsos = (callId: string, handsetId: string, incidentId: string | null, at: number, lineId = 'line1') =>
  ev.ringing(callId, 'tecsos', at, { lineId, callerNumber: `+4477009${handsetId.slice(3)}`, handsetId, incidentId, force: 'Test Force' });
/** One file, one store: each test takes its calls and incidents out of the queue when it is done. */
const clear = (calls: readonly string[], incidents: readonly string[]) => world.store.append([
  ...calls.flatMap((c) => [ev.answered(c, 'handler'), { type: 'call.ended', callId: c, lineId: 'line1', endedBy: 'handler', by: 'handler', talkSeconds: 5 } as NewEvent]),
  ...incidents.map((i) => ev.closed(i, 'handler', 'resolved-by-phone')),
]);

/** The queue's rows (row key = its button's focus key), the focused row and the selected call, in one turn of the page. */
const read = (p: Page) => p.evaluate(() => {
  const a = document.activeElement as HTMLElement | null;
  return {
    rows: [...document.querySelectorAll<HTMLElement>('#queue > li')].map((li) => ({ key: li.dataset['key'] ?? null, focusKey: li.querySelector('button')?.dataset['focusKey'] ?? null })),
    focus: a?.closest<HTMLElement>('#queue > li')?.dataset['key'] ?? (a?.id || a?.tagName.toLowerCase() || null),
    same: (a as (HTMLElement & { hMark?: boolean }) | null)?.hMark === true,
    selectedCall: document.getElementById('incident-body')?.dataset['call'] ?? null,
  };
});
const mark = (p: Page) => p.evaluate(() => ((document.activeElement as HTMLElement & { hMark?: boolean }).hMark = true));

describe('two live calls of one incident in the queue, keyboard', () => {
  it('each of her rows has its own focus key, and the focused one keeps its element through the re-draws', async () => {
    const now = Date.now();
    await world.store.append([
      ev.opened('inc-t1', 'TS-0701', 'c-t1a', now - 20_000),
      tecsos('c-t1a', 'TS-0701', 'inc-t1', now - 20_000), ev.answered('c-t1a', 'handler'),
      tecsos('c-t1b', 'TS-0701', 'inc-t1', now - 5_000, 'line2'),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1280, 720, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-t1b"]').waitFor();
      for (const k of ['c-t1a', 'c-t1b']) {
        await p.locator(`.queue-item[data-key="call:${k}"] button`).focus();
        await mark(p);
        await p.keyboard.press('Enter');
        await poll(async () => (await read(p)).selectedCall).toBe(k);
        // Two re-draws of the queue (each second) later: still that row, the same element.
        await p.evaluate(() => new Promise((r) => setTimeout(r, 2_200)));
        const s = await read(p);
        expect({ focus: s.focus, same: s.same }).toEqual({ focus: `call:${k}`, same: true });
      }
      const s = await read(p);
      expect(s.rows).toEqual([{ key: 'call:c-t1b', focusKey: 'call:c-t1b' }, { key: 'call:c-t1a', focusKey: 'call:c-t1a' }]);
    } finally {
      await p.close();
      await clear(['c-t1a', 'c-t1b'], ['inc-t1']);
    }
  });

  it('the focused one of her two ringing calls ends: the focus goes to the row after it (as for any call that leaves), not up to her other call; Enter selects that row', async () => {
    const now = Date.now();
    await world.store.append([
      tecsos('c-o', 'TS-0712', null, now - 30_000),
      ev.opened('inc-t2', 'TS-0711', 'c-t2a', now - 20_000),
      tecsos('c-t2a', 'TS-0711', 'inc-t2', now - 20_000),
      tecsos('c-t2b', 'TS-0711', 'inc-t2', now - 5_000, 'line2'),
      ev.ringing('c-ord', 'ordinary', now - 2_000, { callerNumber: '+447700900719' }),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1280, 720, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-ord"]').waitFor();
      expect((await read(p)).rows.map((r) => r.key)).toEqual(['call:c-o', 'call:c-t2a', 'call:c-t2b', 'call:c-ord']);
      await p.locator('.queue-item[data-key="call:c-t2b"] button').focus();
      await world.store.append([callerHungUp('c-t2b')]);
      await poll(() => p.locator('.queue-item[data-key="call:c-t2b"]').count()).toBe(0);
      await drawn(p);
      const mid = await read(p);
      await p.keyboard.press('Enter');
      await drawn(p);
      expect({ focus: mid.focus, afterEnter: (await read(p)).selectedCall }).toEqual({ focus: 'call:c-ord', afterEnter: 'c-ord' });
    } finally {
      await p.close();
      await clear(['c-o', 'c-t2a', 'c-ord'], ['inc-t2']);
    }
  });

  it('her focused alarm row, then both her calls ring at once: the focus is on the first of them, the row that is selected', async () => {
    const now = Date.now();
    await world.store.append([
      tecsos('c-p', 'TS-0722', null, now - 30_000),
      ev.opened('inc-t3', 'TS-0721', null, now - 25_000),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1280, 720, pageErrors);
    try {
      await p.locator('.queue-item[data-key="incident:inc-t3"]').waitFor();
      await p.locator('.queue-item[data-key="incident:inc-t3"] button').focus();
      await p.keyboard.press('Enter');
      await world.store.append([tecsos('c-t3a', 'TS-0721', 'inc-t3', now - 3_000), tecsos('c-t3b', 'TS-0721', 'inc-t3', now - 2_000, 'line2')]);
      await poll(() => p.locator('.queue-item[data-key="call:c-t3b"]').count()).toBe(1);
      await drawn(p);
      const s = await read(p);
      expect({ order: s.rows.map((r) => r.key), focus: s.focus, selected: s.selectedCall })
        .toEqual({ order: ['call:c-p', 'call:c-t3a', 'call:c-t3b'], focus: 'call:c-t3a', selected: 'c-t3a' });
    } finally {
      await p.close();
      await clear(['c-p', 'c-t3a', 'c-t3b'], ['inc-t3']);
    }
    expect(pageErrors).toEqual([]);
  });
});
