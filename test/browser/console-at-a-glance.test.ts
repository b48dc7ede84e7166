// What a call handler or supervisor sees without scrolling, on the screens control rooms have (1280x720,
// 1366x768, 1024x768), in a real browser (Debian's chromium, playwright-core) against a real gateway HTTP edge
// and SQLite store (console-gateway.ts). Five findings of reviews, each seen on the console before its fix:
// - a TecSOS call that ended unanswered was listed under Missed below a long queue: nothing red on screen;
// - the keyboard focus ring and the selected row were the same yellow: a keyboard user could not tell them apart;
// - the supervisor's tables were wider than the overview, their last columns cut off or scrolled out of sight;
// - a track of 200 fixes drew 199 direction arrows on top of each other;
// - a keyboard handler on a row of the Missed list lost the focus (and her place) at the queue's 1 s re-draw.
// Each test signs in on its own page with the session cookie of test/support's REST login.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore, NewEvent } from '../../gateway/store/event-store.js';
import { buildConsole, CHROMIUM_ARGS, ev, FakeCore, openConsole, openTestStore, startGateway, type Gateway } from './console-gateway.js';

const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'artifacts');

let browser: Browser;
let store: EventStore;
let gateway: Gateway;
const core = new FakeCore();
const pageErrors: string[] = [];

/** A page signed in as `username`, live (console-gateway.ts openConsole). */
const consoleAs = (username: string, width: number, height: number): Promise<Page> => openConsole(browser, gateway, username, width, height, pageErrors);

/**
 * expect.poll with room for a loaded machine (its default is 1 s; one failure of the focus test, not seen again
 * in 20 runs, fits a poll that ran out while the page redrew after a click). A bound on waiting, not a timed
 * assertion.
 */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

/** Two animation frames: what the last event changed is drawn. */
const drawn = (p: Page) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

beforeAll(async () => {
  const consoleDir = buildConsole();
  ({ store } = await openTestStore());
  gateway = await startGateway(store, core, consoleDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await store?.close();
});

/** WCAG relative luminance of `rgb(r, g, b)` / `rgba(...)`. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
function rgbDistance(a: string, b: string): number {
  const [x, y] = [a, b].map((c) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number)) as [number[], number[]];
  return Math.hypot(...x.map((v, i) => v - (y[i] as number)));
}

describe('the console at a glance', () => {
  it('a TecSOS call that ends unanswered below a long queue is on screen, in red, until the handler looks at it', async () => {
    const now = Date.now();
    // More ordinary calls than the queue panel shows at 1280x720: the Missed list is below all of them.
    await store.append(Array.from({ length: 14 }, (_, i) => ev.ringing(`c-ord${i}`, 'ordinary', now - 900_000 + i * 1000, { callerNumber: `+4477009002${String(i).padStart(2, '0')}` })));
    const p = await consoleAs('handler', 1280, 720);
    try {
      // Whether something in the queue panel that says a TecSOS call was missed is on screen: inside the
      // window and the panel's visible part, not drawn over, and red (its text, border or fill).
      const missedShown = () => p.evaluate(() => {
        const panel = (document.getElementById('queue-panel') as HTMLElement).getBoundingClientRect();
        const red = (c: string) => {
          const [r, g, b] = (c.match(/[\d.]+/g) ?? []).map(Number) as [number, number, number];
          return r > 150 && r > 2 * g && r > 2 * b;
        };
        for (const el of document.querySelectorAll<HTMLElement>('#queue-panel *')) {
          const text = el.innerText ?? '';
          if (!/missed/i.test(text) || !/TecSOS/.test(text) || el.children.length > 0 && [...el.children].some((c) => /missed/i.test((c as HTMLElement).innerText) && /TecSOS/.test((c as HTMLElement).innerText))) continue;
          const r = el.getBoundingClientRect();
          if (r.height === 0 || r.top < Math.max(0, panel.top) - 1 || r.bottom > Math.min(innerHeight, panel.bottom) + 1) continue;
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          if (hit === null || !el.contains(hit)) continue;
          const s = getComputedStyle(el);
          if ([s.color, s.backgroundColor, s.borderTopColor].some(red)) return true;
        }
        return false;
      });
      await store.append([ev.ringing('c-gone', 'tecsos-unregistered', Date.now(), { callerNumber: '+447700900777' })]);
      // A ringing TecSOS call is brought into view at the top of the queue (an earlier fix).
      await p.locator('.queue-item[data-key="call:c-gone"]:first-child').waitFor();
      await store.append([{ type: 'call.ended', callId: 'c-gone', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null }]);
      await p.locator('.missed-item[data-key="call:c-gone"]').waitFor();
      await drawn(p);
      await p.screenshot({ path: path.join(ARTIFACTS, 'console-missed-tecsos.png') });
      expect({ atTop: await missedShown() }).toEqual({ atTop: true });
      // Scrolled to the middle of the queue: still on screen.
      await p.locator('#queue-panel').evaluate((el) => (el.scrollTop = el.scrollHeight / 3));
      await drawn(p);
      expect({ scrolled: await missedShown() }).toEqual({ scrolled: true });
      // The handler looks at it (the banner, or Enter on it): the call is shown; the reminder goes, the Missed row stays.
      await p.getByRole('button', { name: /missed TecSOS/i }).first().click();
      await poll(() => p.locator('#incident-body').getAttribute('data-call')).toBe('c-gone');
      await poll(missedShown).toBe(false);
      expect(await p.locator('.missed-item[data-key="call:c-gone"]').count()).toBe(1);
      // Another one: the reminder is back, for that call.
      await store.append([
        ev.ringing('c-gone2', 'tecsos', Date.now(), { callerNumber: '+447700900778', handsetId: 'TS-0078' }),
        { type: 'call.ended', callId: 'c-gone2', lineId: 'line1', endedBy: 'network', by: null, talkSeconds: null },
      ]);
      await poll(missedShown).toBe(true);
      expect(await p.locator('#queue-panel').innerText()).toMatch(/1 missed TecSOS call/i);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('the keyboard focus and the selected row look different, each with 3:1 contrast against what is around it', async () => {
    const p = await consoleAs('handler', 1280, 720);
    try {
      // The queue is the one of the test above (ordinary calls); the first is selected at sign-in.
      await p.locator('.queue-item[data-key="call:c-ord0"] button').click();
      await poll(() => p.locator('#incident-body').getAttribute('data-call')).toBe('c-ord0');
      // Tab moves the focus to the next row without selecting it: one row selected, another focused.
      await p.keyboard.press('Tab');
      await drawn(p);
      // Found and read in one turn of the page (page.evaluate), so the 1 s re-draw cannot replace the row in
      // between. A locator's evaluate finds the element, then reads it in a second round trip: under load 8 to 24
      // in 100 such reads got a row the re-draw had just detached, whose computed style is empty (a selection
      // colour of '' failed CI once; a0e4f5e's re-read covered these two rows, not the red row below).
      const look = (key: string) => p.evaluate((k) => {
        const rows = document.querySelectorAll<HTMLElement>(`.queue-item[data-key="${CSS.escape(k)}"] button`);
        const b = rows[0];
        if (rows.length !== 1 || b === undefined) throw new Error(`${rows.length} rows ${k}`);
        const s = getComputedStyle(b);
        const panel = getComputedStyle(document.getElementById('queue-panel') as HTMLElement).backgroundColor;
        return {
          focused: b.matches(':focus-visible'),
          current: b.getAttribute('aria-current'),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 ? s.outlineColor : null,
          border: /rgba\(.*, 0\)$/.test(s.borderTopColor) ? null : s.borderTopColor,
          shadow: s.boxShadow === 'none' ? null : s.boxShadow,
          background: s.backgroundColor,
          panel,
        };
      }, key);
      const sel = await look('call:c-ord0');
      const foc = await look('call:c-ord1');
      await p.locator('#queue-panel').screenshot({ path: path.join(ARTIFACTS, 'console-focus-selection.png') });
      expect([sel.focused, sel.current, foc.focused, foc.current]).toEqual([false, 'true', true, null]);
      // The focus: a ring around the row, nothing else; the selection: no ring, its own mark.
      expect(foc.outline).not.toBeNull();
      expect(sel.outline).toBeNull();
      const focusColour = foc.outline as string;
      const selectionColours = [sel.border, ...(sel.shadow?.match(/rgba?\([^)]*\)/g) ?? [])].filter((c): c is string => c !== null);
      expect(selectionColours.length).toBeGreaterThan(0);
      // Not the same colour (the two were both #facc15): far apart in RGB.
      for (const c of selectionColours) expect({ c, apart: rgbDistance(c, focusColour) > 120 }).toEqual({ c, apart: true });
      // WCAG 1.4.11 (non-text contrast): each mark 3:1 against what it is drawn on.
      expect(contrast(focusColour, foc.panel)).toBeGreaterThanOrEqual(3);
      for (const c of selectionColours) {
        expect(contrast(c, sel.background)).toBeGreaterThanOrEqual(3);
        expect(contrast(c, sel.panel)).toBeGreaterThanOrEqual(3);
      }
      // The same mark on a red TecSOS row (its fill and its flash).
      await store.append([ev.ringing('c-red', 'tecsos', Date.now(), { callerNumber: '+447700900781', handsetId: 'TS-0081' })]);
      await p.locator('.queue-item[data-key="call:c-red"] button').click();
      await poll(() => p.locator('#incident-body').getAttribute('data-call')).toBe('c-red');
      const red = await p.evaluate(() => {
        const s = getComputedStyle(document.querySelector('.queue-item[data-key="call:c-red"] button') as HTMLElement);
        return { border: s.borderTopColor, shadow: s.boxShadow };
      });
      for (const c of [red.border, ...(red.shadow.match(/rgba?\([^)]*\)/g) ?? [])]) {
        expect({ c, onRed: contrast(c, 'rgb(185, 28, 28)') >= 3, onFlash: contrast(c, 'rgb(127, 29, 29)') >= 3 }).toEqual({ c, onRed: true, onFlash: true });
      }
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('supervisor: every table fits the overview at laptop sizes, every column (the stale last fix too) inside the panel', async () => {
    const now = Date.now();
    await store.append([
      ev.opened('inc-stale', 'TS-0090', null, now - 600_000),
      ev.fix('inc-stale', 'TS-0090', 0, now - 400_000),
      { type: 'line.health', lineId: 'line-north-7', port: 'tcp://serial-server-north.control.example:7107', state: 'up', registration: 'searching', signalCsq: 9, detail: 'registration searching; SMS storage 48/50' },
      { type: 'handset.health', handsetId: 'TS-0091', problem: 'missed-heartbeat', lastHeartbeatAt: new Date(now - 26 * 3600_000).toISOString(), batteryPct: 40, detail: 'no HBT for 26 h' },
    ]);
    core.victims.set('inc-stale', { handsetId: 'TS-0090', victim: { name: 'Beth Example', safetyNotes: 'None.', riskMarkers: [], address: '2 Example Road' } });
    // Audit entries: a read of the record by the supervisor.
    const sv = await consoleAs('super', 1280, 720);
    try {
      await sv.locator('#supervisor-body button.link', { hasText: 'inc-stale' }).click();
      await sv.locator('#audit-refresh').click();
      await poll(() => sv.locator('table.audit').innerText()).toMatch(/incident:inc-stale/);
      for (const [width, height] of [[1280, 720], [1366, 768], [1024, 768], [1920, 1080]] as const) {
        await sv.setViewportSize({ width, height });
        await drawn(sv);
        const fit = await sv.evaluate(() => {
          const panel = document.getElementById('supervisor-panel') as HTMLElement;
          const box = panel.getBoundingClientRect();
          const out: string[] = [];
          if (panel.scrollWidth > panel.clientWidth) out.push(`panel scrolls sideways: ${panel.scrollWidth} > ${panel.clientWidth}`);
          for (const cell of panel.querySelectorAll<HTMLElement>('th, td')) {
            const r = cell.getBoundingClientRect();
            if (r.left < box.left - 1 || r.right > box.right + 1) out.push(`${cell.closest('table')?.querySelector('caption')?.textContent ?? 'table'}: "${cell.innerText.slice(0, 30)}" ${Math.round(r.left)}-${Math.round(r.right)} outside ${Math.round(box.left)}-${Math.round(box.right)}`);
          }
          // No cell cuts its own text off (a word wider than its column, hidden).
          for (const cell of panel.querySelectorAll<HTMLElement>('th, td')) if (cell.scrollWidth > cell.clientWidth + 1) out.push(`cut: "${cell.innerText.slice(0, 30)}"`);
          return out;
        });
        await sv.locator('#supervisor-panel').evaluate((el) => (el.scrollTop = 0));
        await sv.screenshot({ path: path.join(ARTIFACTS, `console-supervisor-${width}x${height}.png`) });
        expect({ width, fit }).toEqual({ width, fit: [] });
        // The stale column a supervisor watches: red, in words.
        expect(await sv.locator('#supervisor-body tr', { hasText: 'inc-stale' }).locator('td.stale').innerText()).toMatch(/ago/);
      }
    } finally {
      await sv.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('a 200-fix track: arrows thinned to one per stretch of screen, the newest always drawn last, more when zoomed in', async () => {
    const t0 = Date.now() - 200 * 10_000;
    const fixes: NewEvent[] = [];
    for (let i = 0; i < 200; i++) fixes.push({ ...ev.fix('inc-long', 'TS-0095', i, t0 + i * 10_000), lat: 51.5072 + Math.sin(i / 15) * 0.01, lon: -0.1276 + i * 0.0002 } as NewEvent);
    // The newest fix heads south-west: its arrow is the only one turned 200 degrees.
    const lastFix = fixes[199] as NewEvent & { courseDeg: number };
    fixes[199] = { ...lastFix, courseDeg: 200 } as NewEvent;
    core.victims.set('inc-long', { handsetId: 'TS-0095', victim: { name: 'Cara Example', safetyNotes: 'None.', riskMarkers: [], address: '3 Example Lane' } });
    await store.append([
      ev.opened('inc-long', 'TS-0095', null, t0),
      ev.ringing('c-long', 'tecsos', t0, { handsetId: 'TS-0095', incidentId: 'inc-long', force: 'Test Force', callerNumber: '+447700900095' }),
      ...fixes,
    ]);
    const p = await consoleAs('handler', 1280, 720);
    try {
      await poll(async () => {
        if ((await p.locator('#incident-body').getAttribute('data-call')) !== 'c-long') await p.locator('.queue-item[data-key="call:c-long"] button').click();
        return p.locator('#incident-body').getAttribute('data-call');
      }).toBe('c-long');
      await poll(() => p.locator('.map-panel').getAttribute('data-drawn')).toBe('200');
      await drawn(p);
      // Found and measured in one turn of the page. A locator's evaluateAll finds the arrows, then measures them in
      // a second round trip: the second zoom's end (zoomend) re-draws every arrow in between, and the arrows of the
      // zoom before, detached, all measure (0, 0) (2 in 20 runs of this zoom step: 13 arrows on one spot, spread 0).
      const arrows = () => p.evaluate(() => [...document.querySelectorAll<HTMLElement>('.leaflet-marker-pane .arrow')].map((e) => {
        const r = e.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2, turn: (e.querySelector('span') as HTMLElement).style.transform };
      }));
      const spread = (a: { x: number; y: number }[]) => {
        let min = Infinity;
        for (let i = 0; i < a.length; i++) for (let j = i + 1; j < a.length; j++) min = Math.min(min, Math.hypot((a[i] as { x: number }).x - (a[j] as { x: number }).x, (a[i] as { y: number }).y - (a[j] as { y: number }).y));
        return min;
      };
      await p.locator('#map').screenshot({ path: path.join(ARTIFACTS, 'console-arrows.png') });
      const seen = await arrows();
      // Before: 199 arrows, a few pixels apart, a solid blue band along the line.
      expect({ count: seen.length <= 40, spread: spread(seen) >= 30 }).toEqual({ count: true, spread: true });
      expect(seen.length).toBeGreaterThan(3);
      // The newest direction: drawn, and last (on top of the others).
      expect(seen[seen.length - 1]?.turn).toBe('rotate(200deg)');
      // Zoomed in, the same stretch of track is longer on screen: more of its arrows are drawn.
      await p.locator('#follow').uncheck();
      await p.locator('.leaflet-control-zoom-in').click();
      await p.locator('.leaflet-control-zoom-in').click();
      await poll(async () => (await arrows()).length).toBeGreaterThan(seen.length);
      const zoomed = await arrows();
      expect(spread(zoomed)).toBeGreaterThanOrEqual(30);
      expect(zoomed[zoomed.length - 1]?.turn).toBe('rotate(200deg)');
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('a keyboard handler keeps her place through the 1 s re-draw: on a queue row and on a Missed row, with its ring', async () => {
    const p = await consoleAs('handler', 1280, 720);
    try {
      // Where the focus is, found and read in one turn of the page.
      const focus = () => p.evaluate(() => {
        const a = document.activeElement;
        const row = a?.closest('li');
        return { list: row?.parentElement?.id ?? null, key: row?.dataset['key'] ?? null, ring: a?.matches(':focus-visible') ?? false };
      });
      // Until the list has been drawn anew (every second): its rows are marked, and a row without the mark is a new one.
      const redrawn = async (list: string) => {
        await p.locator(`#${list}`).evaluate((el) => el.querySelectorAll('li').forEach((li) => li.setAttribute('data-h-old', '')));
        await p.locator(`#${list} > li:not([data-h-old])`).first().waitFor({ state: 'attached' });
      };
      // The Missed list of the first test: c-gone2 (newest) above c-gone.
      // (Read in one turn of the page: a locator's evaluateAll finds the rows and reads them in a second round trip.)
      expect(await p.evaluate(() => [...document.querySelectorAll('#missed > li')].map((r) => r.getAttribute('data-key')))).toEqual(['call:c-gone2', 'call:c-gone']);
      // A queue row reached with Tab: still hers, ring and all, after the re-draw.
      await p.locator('.queue-item[data-key="call:c-ord2"] button').focus();
      await p.keyboard.press('Tab');
      expect(await focus()).toEqual({ list: 'queue', key: 'call:c-ord3', ring: true });
      await redrawn('queue');
      expect(await focus()).toEqual({ list: 'queue', key: 'call:c-ord3', ring: true });
      // A Missed row reached with Tab. Before the fix the re-draw dropped the focus to the page (nothing ringed),
      // and the next Shift+Tab started from wherever the page put it.
      await p.locator('.missed-item[data-key="call:c-gone2"] button').focus();
      await p.keyboard.press('Tab');
      expect(await focus()).toEqual({ list: 'missed', key: 'call:c-gone', ring: true });
      await redrawn('missed');
      expect(await focus()).toEqual({ list: 'missed', key: 'call:c-gone', ring: true });
      await p.keyboard.press('Shift+Tab');
      expect(await focus()).toEqual({ list: 'missed', key: 'call:c-gone2', ring: true });
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
