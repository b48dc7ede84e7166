// The map's direction arrows for a victim standing still, in a real browser against a real gateway HTTP edge and
// SQLite store (console-gateway.ts). Seen in `make demo` (25 Nov): handset TS-0002 stood in one place (every
// report 0 knots, course 0, the same position) and the map drew the large "newest direction" arrow just north
// of her dot, as if she were heading north: a GPS receiver standing still reports a course of 0 or its last
// one, which says nothing about where she is going.
import type { NewEvent } from '../../gateway/store/event-store.js';
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

/** Her fixes: walking north-east (2.5 knots, course 45) for `walk`, then `still` standing where she stopped. */
function track(incidentId: string, handsetId: string, t0: number, walk: number, still: number): NewEvent[] {
  const fixes: NewEvent[] = [];
  for (let i = 0; i < walk + still; i++) {
    const f = ev.fix(incidentId, handsetId, Math.min(i, walk - 1), t0 + i * 30_000) as NewEvent & { speedKnots: number; courseDeg: number };
    fixes.push(i < walk ? f : ({ ...f, speedKnots: 0, courseDeg: 0 } as NewEvent));
  }
  return fixes;
}

/** The arrows on the map, read in one turn of the page: each one's turn, and whether it is the newest one. */
const arrows = (p: import('playwright-core').Page) => p.evaluate(() => [...document.querySelectorAll<HTMLElement>('.leaflet-marker-pane .arrow')]
  .map((e) => ({ newest: e.classList.contains('newest'), turn: (e.querySelector('span') as HTMLElement).style.transform })));

describe('direction arrows of a victim standing still', () => {
  it('no arrow says she is heading anywhere while she stands still; her walk there keeps its arrows', async () => {
    const t0 = Date.now() - 10 * 30_000;
    core.victims.set('inc-still', { handsetId: 'TS-0601', victim: { name: 'Dana Example', safetyNotes: 'None.', riskMarkers: [] } });
    await world.store.append([
      ev.opened('inc-still', 'TS-0601', 'c-still', t0),
      ev.ringing('c-still', 'tecsos', t0, { callerNumber: '+447700900601', handsetId: 'TS-0601', incidentId: 'inc-still', force: 'Test Force' }),
      ev.status('TS-0601', t0),
      ...track('inc-still', 'TS-0601', t0, 4, 3),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-still"] button').click();
      await poll(() => p.locator('.map-panel').getAttribute('data-drawn')).toBe('7');
      await p.locator('#follow').uncheck();
      // Zoomed in, so that each segment of her walk is far enough from the others to have its arrow.
      await p.locator('.leaflet-control-zoom-in').click();
      await p.locator('.leaflet-control-zoom-in').click();
      await poll(async () => (await arrows(p)).length).toBeGreaterThan(0);
      const seen = await arrows(p);
      // No newest-direction arrow (she is standing still), and no arrow turned to her standing course of 0.
      expect(seen.filter((a) => a.newest)).toEqual([]);
      expect(seen.filter((a) => a.turn !== 'rotate(45deg)')).toEqual([]);
      // The fix line says she is not moving.
      expect(await p.locator('.fix-info').innerText()).toContain('0 mph');
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('walking, the newest direction is drawn as before', async () => {
    const t0 = Date.now() - 10 * 30_000;
    core.victims.set('inc-walk', { handsetId: 'TS-0602', victim: { name: 'Erin Example', safetyNotes: 'None.', riskMarkers: [] } });
    await world.store.append([
      ev.opened('inc-walk', 'TS-0602', 'c-walk', t0),
      ev.ringing('c-walk', 'tecsos', t0, { callerNumber: '+447700900602', handsetId: 'TS-0602', incidentId: 'inc-walk', force: 'Test Force' }),
      ev.status('TS-0602', t0),
      ...track('inc-walk', 'TS-0602', t0, 4, 0),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-walk"] button').click();
      await poll(() => p.locator('.map-panel').getAttribute('data-drawn')).toBe('4');
      await poll(async () => (await arrows(p)).filter((a) => a.newest)).toEqual([{ newest: true, turn: 'rotate(45deg)' }]);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
