// A laptop screen at 200% browser zoom (WCAG 1.4.10 reflow): 1280x800 is 640x400 CSS px, 1366x768 683x384. The
// details scrolled on their own above the button bar, with the fix line and the map under them: there the details
// were 0 px high (header, safety notes, risk markers not seen at all) and buttons sat under the fix line and map.
// In a short viewport the panel is one page scrolling as a whole. Also 1600x1000 at 200% (800x500): there, since
// d645e6d, #incident-body did not scroll and the bar's last row (Stop tracking, Close incident) was drawn under the
// fix line and the map, neither seen nor clicked (090c349). A real browser against a real gateway.
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole, selectCall } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const KINDS = ['answer', 'hangup', 'acknowledge', 'locate', 'stop', 'close'] as const;

describe('the safety notes and action buttons at 200% zoom on a laptop screen', () => {
  let n = 0;
  for (const [user, w, h] of [['handler', 640, 400], ['super', 640, 400], ['handler', 683, 384], ['super', 683, 384], ['handler', 800, 500], ['super', 800, 500]] as const) {
    it(`${user} at ${w}x${h}: the safety notes and each button can be scrolled to and is not under the fix line or the map`, async () => {
      n += 1;
      const [inc, call, hs] = [`inc-zr${n}`, `c-zr${n}`, `TS-098${n}`];
      const t = Date.now() - 30_000;
      core.victims.set(inc, { handsetId: hs, victim: { name: 'Fay Example', riskMarkers: ['weapons'], address: '6 Example Row, Hull', safetyNotes: 'Cannot speak freely: use yes/no questions only.' } });
      await world.store.append([
        ev.opened(inc, hs, call, t),
        ev.ringing(call, 'tecsos', t, { callerNumber: '+447700900970', handsetId: hs, incidentId: inc, force: 'Test Force' }),
        ev.status(hs, t),
      ]);
      const p = await openConsole(world.browser, world.gateway, user, w, h, pageErrors);
      try {
        await selectCall(p, call);
        await poll(() => p.locator('.safety-notes').innerText()).toContain('Cannot speak freely');
        const hidden: string[] = [];
        for (const k of ['notes', ...KINDS]) {
          const b = p.locator(k === 'notes' ? '.safety-notes' : `#act-${k}`);
          await b.scrollIntoViewIfNeeded();
          // What the pointer would hit at the button's centre, once scrolled to (read in one turn of the page).
          const hit = await b.evaluate((el) => {
            const r = el.getBoundingClientRect();
            const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return at !== null && el.contains(at) ? 'seen' : `${at?.id || at?.className || 'nothing'} [${Math.round(r.top)} to ${Math.round(r.bottom)}]`;
          });
          if (hit !== 'seen') hidden.push(`${k}: ${hit}`);
        }
        expect(hidden).toEqual([]);
      } finally {
        await p.close();
      }
      expect(pageErrors).toEqual([]);
    }, 60_000);
  }
});
