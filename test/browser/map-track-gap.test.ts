// A gap in her track on the map, in a real browser against a real gateway HTTP edge and SQLite store
// (console-gateway.ts). Two fixes far apart in time (GPS lost in a building or a tunnel, no coverage, the handset
// off; in `make demo` a simulated handset restarted at its route's start) were joined by the same solid blue line
// with a direction arrow as her walk, which a call handler reads as the way she went. The map's track is drawn on
// a canvas (Leaflet's preferCanvas), so the line is read from its pixels along the row the track runs on.
import type { NewEvent } from '../../gateway/store/event-store.js';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const LAT = 51.5072;
const LON = -0.1276;
/** One 30 s report apart, moving east at 5 knots: about 76 m. */
const STEP = 0.0011;

/**
 * Her fixes, due east on one line of latitude: `before` fixes 30 s apart, then nothing for 12 minutes (she is
 * `jump` steps further east when it comes back), then `after` fixes 30 s apart.
 */
function track(incidentId: string, handsetId: string, t0: number, before: number, jump: number, after: number): NewEvent[] {
  const fixes: NewEvent[] = [];
  for (let i = 0; i < before + after; i++) {
    const at = i < before ? t0 + i * 30_000 : t0 + (before - 1) * 30_000 + 12 * 60_000 + (i - before) * 30_000;
    const lon = LON + (i < before ? i : i - 1 + jump) * STEP;
    fixes.push({ ...ev.fix(incidentId, handsetId, i, at), lat: LAT, lon, speedKnots: 5, courseDeg: 90 } as NewEvent);
  }
  return fixes;
}

/** The arrows on the map: the middle of each on screen, its turn, whether it is the newest. */
const arrows = (p: Page) => p.evaluate(() => [...document.querySelectorAll<HTMLElement>('.leaflet-marker-pane .arrow')].map((e) => {
  const r = e.getBoundingClientRect();
  return { x: r.x + r.width / 2, y: r.y + r.height / 2, newest: e.classList.contains('newest'), turn: (e.querySelector('span') as HTMLElement).style.transform };
}));

/**
 * The track's line along one row of the screen (y), from x0 to x1: the stretches (screen x, from-to) where the
 * canvas is the track's blue, each at least one pixel long.
 */
const blueRuns = (p: Page, y: number, x0: number, x1: number) => p.evaluate(({ y, x0, x1 }) => {
  const canvas = document.querySelector('.leaflet-overlay-pane canvas') as HTMLCanvasElement;
  const r = canvas.getBoundingClientRect();
  const sx = canvas.width / r.width;
  const sy = canvas.height / r.height;
  const row = Math.round((y - r.y) * sy);
  const from = Math.max(0, Math.round((x0 - r.x) * sx));
  const to = Math.min(canvas.width - 1, Math.round((x1 - r.x) * sx));
  // A band of rows around the line's middle: a pixel is the line's if any row of the band is blue there.
  const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(from, row - 1, to - from + 1, 3).data;
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= to - from; i++) {
    let blue = false;
    for (let k = 0; k < 3; k++) {
      const o = (k * (to - from + 1) + i) * 4;
      const [red, green, b, a] = [data[o] as number, data[o + 1] as number, data[o + 2] as number, data[o + 3] as number];
      if (a > 40 && b > red + 50 && b > green + 30) blue = true;
    }
    if (blue && start < 0) start = i;
    if (!blue && start >= 0) {
      runs.push([r.x + (from + start) / sx, r.x + (from + i - 1) / sx]);
      start = -1;
    }
  }
  if (start >= 0) runs.push([r.x + (from + start) / sx, r.x + to / sx]);
  return runs;
}, { y, x0, x1 });

describe('a gap in her track', () => {
  it('two fixes 12 minutes apart are joined by a broken line with no arrow; her walk either side stays solid with its arrows', async () => {
    const t0 = Date.now() - 20 * 60_000;
    core.victims.set('inc-gap', { handsetId: 'TS-0611', victim: { name: 'Fern Example', safetyNotes: 'None.', riskMarkers: [] } });
    await world.store.append([
      ev.opened('inc-gap', 'TS-0611', 'c-gap', t0),
      ev.ringing('c-gap', 'tecsos', t0, { callerNumber: '+447700900611', handsetId: 'TS-0611', incidentId: 'inc-gap', force: 'Test Force' }),
      ev.status('TS-0611', t0),
      ...track('inc-gap', 'TS-0611', t0, 4, 4, 2),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-gap"] button').click();
      await poll(() => p.locator('.map-panel').getAttribute('data-drawn')).toBe('6');
      await p.locator('#follow').uncheck();
      // Zoomed in until each segment of her walk is far enough from the others to have its arrow.
      const scale = await p.locator('.leaflet-control-scale-line').first().innerText();
      await p.locator('.leaflet-control-zoom-in').click();
      // The zoom done: the scale bar redrawn (at its end) and no zoom animation running.
      await poll(async () => (await p.locator('.leaflet-control-scale-line').first().innerText()) !== scale && (await p.locator('.leaflet-zoom-anim').count()) === 0).toBe(true);
      const seen = await arrows(p);
      // Every arrow points east (her course) and sits on the track's row.
      expect(seen.filter((a) => a.turn !== 'rotate(90deg)')).toEqual([]);
      const walk = seen.filter((a) => !a.newest).sort((a, b) => a.x - b.x);
      const y = (walk[0] as { y: number }).y;
      // Her fixes on screen, from the arrows at the middles of her first two segments (all about 55 px long at this zoom).
      const xs = walk.map((a) => a.x);
      const step = (xs[1] as number) - (xs[0] as number);
      const fixX = (k: number): number => (xs[0] as number) + (k - 0.5) * step;
      // The gap: from her 4th fix to her 5th, 4 steps east. No arrow there.
      const gapFrom = fixX(3);
      const gapTo = fixX(3) + 4 * step;
      expect(seen.filter((a) => a.x > gapFrom + 4 && a.x < gapTo - 4)).toEqual([]);
      // The line across the gap is broken (dashes: several short stretches of blue with space between them),
      // the line of her walk before it one unbroken stretch.
      const across = await blueRuns(p, y, gapFrom + 12, gapTo - 30);
      expect(across.length).toBeGreaterThan(3);
      expect(across.every(([a, b]) => b - a < step / 2)).toBe(true);
      const walked = await blueRuns(p, y, fixX(0) + 4, gapFrom - 12);
      expect(walked.length).toBe(1);
      // The fix line says so of the first fix after the gap (replayed to it), not of the newest, 30 s after it.
      expect(await p.locator('#fix-info').innerText()).not.toContain('gap');
      await p.locator('#replay').fill('4');
      await poll(() => p.locator('#fix-info').innerText()).toMatch(/^Replay 5\/6 .*after a gap of 12 min/);
      // Replayed to the first fix after the gap, the gap is still broken and arrowless.
      expect(await blueRuns(p, y, gapFrom + 12, gapTo - 30)).toEqual(across);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
