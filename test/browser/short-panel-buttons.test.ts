// A short incident panel: 1600x1000 at 200% browser zoom (800x500 CSS px, WCAG reflow) or a short window. Since
// d645e6d the details scroll on their own and the button bar is under them, outside the scroller; where the
// panel is too short for the bar, #incident-body did not scroll any more (it had), and the bar's last row was drawn
// under the fix line and the map: Stop tracking and Close incident could be neither seen nor clicked. A real
// browser against a real gateway HTTP edge and SQLite store (console-gateway.ts).
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const KINDS = ['answer', 'hangup', 'acknowledge', 'locate', 'stop', 'close'] as const;

describe('the action buttons in a short incident panel (800x500: 1600x1000 at 200% zoom)', () => {
  let n = 0;
  for (const user of ['handler', 'super']) {
    it(`${user}: each button can be scrolled to and is not under the fix line or the map`, async () => {
      n += 1;
      const [inc, call, hs] = [`inc-sp${n}`, `c-sp${n}`, `TS-097${n}`];
      const t = Date.now() - 30_000;
      core.victims.set(inc, { handsetId: hs, victim: { name: 'Fay Example', riskMarkers: ['weapons'], address: '6 Example Row, Hull', safetyNotes: 'Cannot speak freely: use yes/no questions only.' } });
      await world.store.append([
        ev.opened(inc, hs, call, t),
        ev.ringing(call, 'tecsos', t, { callerNumber: '+447700900970', handsetId: hs, incidentId: inc, force: 'Test Force' }),
        ev.status(hs, t),
      ]);
      const p = await openConsole(world.browser, world.gateway, user, 800, 500, pageErrors);
      try {
        await poll(async () => {
          if ((await p.locator('#incident-body').getAttribute('data-call')) !== call) await p.locator(`.queue-item[data-key="call:${call}"] button`).click();
          return p.locator('#incident-body').getAttribute('data-call');
        }).toBe(call);
        await poll(() => p.locator('.safety-notes').innerText()).toContain('Cannot speak freely');
        const hidden: string[] = [];
        for (const k of KINDS) {
          const b = p.locator(`#act-${k}`);
          await b.scrollIntoViewIfNeeded();
          // What the pointer would hit at the button's centre, once scrolled to (read in one turn of the page).
          const hit = await b.evaluate((el) => {
            const r = el.getBoundingClientRect();
            const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return at !== null && el.contains(at) ? 'the button' : `${at?.id || at?.className || 'nothing'} [${Math.round(r.top)} to ${Math.round(r.bottom)}]`;
          });
          if (hit !== 'the button') hidden.push(`${k}: ${hit}`);
        }
        expect(hidden).toEqual([]);
      } finally {
        await p.close();
      }
      expect(pageErrors).toEqual([]);
    }, 60_000);
  }
});
