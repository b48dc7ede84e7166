// The supervisor's middle column (three columns, 1600x1000): since d645e6d the incident details scroll on their
// own above the button bar, the fix line and the map under them. With the demo's victim record (firmware-sim
// defaults: two risk markers, two sentences of safety notes, an address) the details box was about 200 px high in
// the ordinary state of an answered, acknowledged, tracking call: the name, the markers and two lines of the notes
// showed, the rest of the notes and the address had to be scrolled to. The whole record shows there now, the fix
// line and a map with her newest position under it. A real browser against a real gateway HTTP edge and SQLite
// store (console-gateway.ts).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole, selectCall } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
/** Screenshots for a reviewer (not compared): TECSOS_SHOTS=<dir>. */
const SHOTS = process.env['TECSOS_SHOTS'];

/** Where something sits against the details' visible box (px, rounded): "shown" when inside it. */
type Seen = { name: string; markers: string; notesEnd: string; address: string; map: number; newest: string; fix: string; details: number; record: string };

describe('the supervisor\'s incident: the victim record whole on screen', () => {
  let n = 0;
  // Three columns at 1600x1000; her two columns (the incident as tall as the window) at 1280x800.
  for (const [width, height] of [[1600, 1000], [1280, 800]] as const) it(`${width}x${height}, answered, acknowledged, tracking: name, markers, the whole safety notes and the address show without scrolling; the fix line and the map with her newest position under them`, async () => {
    n += 1;
    const [inc, call, hs] = [`inc-rw${n}`, `c-rw${n}`, `TS-096${n}`];
    const t = Date.now() - 60_000;
    // The demo's first victim (firmware-sim/sim/defaults.ts).
    core.victims.set(inc, {
      handsetId: hs,
      victim: {
        name: 'Demo Victim One', safetyNotes: 'Abuser has a key to the flat. May be unable to speak: listen for background.',
        riskMarkers: ['weapons', 'strangulation-history'], address: 'City Square, Leeds LS1', perpetratorNotes: 'Ex-partner, male, 30s, drives a blue van.',
      },
    });
    await world.store.append([
      ev.opened(inc, hs, call, t),
      ev.ringing(call, 'tecsos', t, { callerNumber: '+447700900961', handsetId: hs, incidentId: inc, force: 'West Yorkshire Police' }),
      ev.status(hs, t),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'super', width, height, pageErrors);
    try {
      await selectCall(p, call);
      await poll(() => p.locator('.victim').innerText()).toContain('City Square');
      await world.store.append([
        ev.answered(call, 'super'),
        ev.fix(inc, hs, 0, Date.now() - 40_000), ev.fix(inc, hs, 1, Date.now() - 20_000), ev.fix(inc, hs, 2, Date.now() - 5_000),
      ]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Call answered by super');
      await poll(() => p.locator('#fix-info').innerText()).toContain('Last fix');
      await p.locator('#act-acknowledge').click();
      await world.store.append([{ type: 'incident.acknowledged', incidentId: inc, by: 'super' } as NewEvent]);
      await poll(() => p.locator('#action-status').innerText()).toMatch(/acknowledged \(TS-[0-9]+\): confirmed by the gateway/);

      // Read in one turn of the page, after its next two frames (the panel is rebuilt on events).
      const seen = await p.evaluate(() => new Promise<Seen>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
        const details = document.querySelector('.incident-details') as HTMLElement;
        const box = details.getBoundingClientRect();
        const victim = details.querySelector('.victim') as HTMLElement;
        const where = (el: Element | null | undefined, part: 'all' | 'end' = 'all') => {
          if (el === null || el === undefined) return 'missing';
          const r = el.getBoundingClientRect();
          // The notes' last line: the bottom of the paragraph; its top only for the whole of it.
          const top = part === 'end' ? r.bottom - 4 : r.top;
          return top >= box.top - 1 && r.bottom <= box.bottom + 1 ? 'shown' : `[${Math.round(top)} to ${Math.round(r.bottom)}] in [${Math.round(box.top)} to ${Math.round(box.bottom)}]`;
        };
        const address = [...victim.querySelectorAll('p')].find((q) => (q.textContent ?? '').startsWith('Address:'));
        const map = (document.querySelector('.map') as HTMLElement).getBoundingClientRect();
        // Her position dot is drawn on a canvas: the newest direction's arrow is just ahead of it.
        const newest = document.querySelector('.map .arrow.newest');
        const n = newest?.getBoundingClientRect();
        const fix = (document.getElementById('fix-info') as HTMLElement).getBoundingClientRect();
        resolve({
          name: where(victim.querySelector('h3')), markers: where(victim.querySelector('.risk-markers')),
          notesEnd: where(victim.querySelector('.safety-notes'), 'end'), address: where(address),
          map: Math.round(map.height),
          newest: n === undefined ? 'missing' : n.top >= map.top && n.bottom <= map.bottom && n.left >= map.left && n.right <= map.right ? 'on the map' : 'off the map',
          fix: fix.top >= 0 && fix.bottom <= map.top + 1 ? 'above the map' : 'not',
          details: Math.round(box.height),
          record: (() => { const v = victim.getBoundingClientRect(); return `${Math.round(Math.min(v.bottom, box.bottom) - Math.max(v.top, box.top))} of ${Math.round(v.height)}`; })(),
        });
      }))));
      if (SHOTS !== undefined) {
        mkdirSync(SHOTS, { recursive: true });
        await p.screenshot({ path: path.join(SHOTS, `super-${width}x${height}-record-whole.png`) });
      }
      console.log(`supervisor ${width}x${height}: details ${seen.details} px high, the record ${seen.record} px shown, map ${seen.map} px`);
      expect({ ...seen, map: seen.map >= 150, details: undefined, record: undefined }).toEqual({
        name: 'shown', markers: 'shown', notesEnd: 'shown', address: 'shown', map: true, newest: 'on the map', fix: 'above the map', details: undefined, record: undefined,
      });
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
