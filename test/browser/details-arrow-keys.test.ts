// The incident details scroll on their own above the button bar (d645e6d), and Chromium makes that scroller a tab
// stop so that a keyboard user can scroll the victim's record. The arrow keys are also the console's shortcuts for
// the previous / next call in the queue (shortcuts.ts): a handler who tabbed to the record and pressed ↓ to read on
// to the perpetrator notes was moved to another call instead, the record not scrolled at all. A real browser against
// a real gateway HTTP edge and SQLite store (console-gateway.ts).
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe('the incident details, reached with Tab', () => {
  it('scroll with ↓ and ↑ and keep the selected call; on a button ↓ still selects the next call (1024x768)', async () => {
    const t = Date.now() - 30_000;
    core.victims.set('inc-arrow', {
      handsetId: 'TS-0980',
      victim: {
        name: 'Erin Example', riskMarkers: ['weapons', 'children-present'], address: '5 Example Street, York',
        safetyNotes: 'Cannot speak freely: use yes/no questions only. '.repeat(6), perpetratorNotes: 'Drives a silver estate car; known to the local team. '.repeat(4),
      },
    });
    await world.store.append([
      ev.opened('inc-arrow', 'TS-0980', 'c-arrow', t),
      ev.ringing('c-arrow', 'tecsos', t, { callerNumber: '+447700900980', handsetId: 'TS-0980', incidentId: 'inc-arrow', force: 'Test Force' }),
      ev.status('TS-0980', t),
      // A second call in the queue, under hers: ↓ as a shortcut would select it.
      ev.ringing('c-other', 'ordinary', t + 1000, { callerNumber: '+447700900981' }),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1024, 768, pageErrors);
    try {
      await poll(async () => {
        if ((await p.locator('#incident-body').getAttribute('data-call')) !== 'c-arrow') await p.locator('.queue-item[data-key="call:c-arrow"] button').click();
        return p.locator('#incident-body').getAttribute('data-call');
      }).toBe('c-arrow');
      await poll(() => p.locator('.victim').innerText()).toContain('Drives a silver estate car');
      const details = p.locator('.incident-details');
      /** How far the details are scrolled once the keys' smooth scrolling has come to rest (-1 while it moves). */
      const settled = () => details.evaluate((el) => new Promise<number>((resolve) => {
        const at = el.scrollTop;
        let frames = 0;
        const next = () => (el.scrollTop !== at ? resolve(-1) : ++frames === 10 ? resolve(at) : requestAnimationFrame(next));
        requestAnimationFrame(next);
      }));
      expect(await details.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeGreaterThan(100);
      await p.locator('#act-answer').focus();
      await p.keyboard.press('Shift+Tab');
      expect(await p.evaluate(() => document.activeElement?.className ?? null)).toBe('incident-details');

      await p.keyboard.press('ArrowDown');
      await p.keyboard.press('ArrowDown');
      await poll(settled).toBeGreaterThan(0);
      const down = await settled();
      await p.keyboard.press('ArrowUp');
      await poll(async () => { const up = await settled(); return up >= 0 && up < down; }).toBe(true);
      expect({
        call: await p.locator('#incident-body').getAttribute('data-call'),
        focus: await p.evaluate(() => document.activeElement?.className ?? null),
      }).toEqual({ call: 'c-arrow', focus: 'incident-details' });

      // Elsewhere the arrows are still the queue's: on the Accept button ↓ selects the next call.
      await p.locator('#act-answer').focus();
      await p.keyboard.press('ArrowDown');
      await poll(() => p.locator('#incident-body').getAttribute('data-call')).toBe('c-other');
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
