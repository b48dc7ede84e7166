// The supervisor's screen at 1024x768, in a real browser against a real gateway HTTP edge and SQLite store
// (console-gateway.ts). Seen in a review (24 Nov): below 1200 px the supervisor's incident panel (above the
// overview) scrolled as one, the details first and the map under them, below the fold: to see where the caller
// was she had to scroll the panel. The call handler's layout at that size (the fix line and the map on screen,
// d2aede7) is checked in console.test.ts. Seen in review 13c: that layout applied below 1200 px only, and at
// 1280x720 and 1366x768 (three columns) the safety notes (1280x720), the fix line and the map were below the fold of
// the incident column, less than at 1024x768 (at 1600x1000 the fix line and the map too); with the missed-TecSOS
// reminder shown, a second ringing TecSOS call was cut off under the first in her queue at 1024x768.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'artifacts');

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];

beforeAll(() => {
  mkdirSync(ARTIFACTS, { recursive: true });
});

/**
 * Whether `sel` shows whole, found and measured in one turn of the page: its box inside the window and inside
 * every box that scrolls or clips it, and not drawn over at its top left corner.
 */
const shown = (p: Page, sel: string) => p.evaluate((sel) => {
  const el = document.querySelector(sel);
  if (el === null) return `${sel}: missing`;
  const r = el.getBoundingClientRect();
  let [top, left, bottom, right] = [0, 0, innerHeight, innerWidth];
  for (let a = el.parentElement; a !== null; a = a.parentElement) {
    if (getComputedStyle(a).overflow === 'visible') continue;
    const b = a.getBoundingClientRect();
    [top, left, bottom, right] = [Math.max(top, b.top), Math.max(left, b.left), Math.min(bottom, b.bottom), Math.min(right, b.right)];
  }
  const hit = document.elementFromPoint(r.left + 4, r.top + 4);
  const ok = r.height > 0 && hit !== null && el.contains(hit) && r.top >= top - 1 && r.left >= left - 1 && r.right <= right + 1 && r.bottom <= bottom + 1;
  return ok ? 'shown' : `${sel} [${Math.round(r.left)},${Math.round(r.top)} to ${Math.round(r.right)},${Math.round(r.bottom)}] outside [${Math.round(left)},${Math.round(top)} to ${Math.round(right)},${Math.round(bottom)}]`;
}, sel);

const SIZES = [[1024, 768], [1280, 720], [1366, 768], [1600, 1000]] as const;
const nextFrame = (p: Page) => p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

describe('supervisor at 1024x768, 1280x720, 1366x768 and 1600x1000', () => {
  it('the safety notes, the buttons, the fix line and the map of the open incident are on screen without scrolling, and so is the overview', async () => {
    core.victims.set('inc-sv', {
      handsetId: 'TS-0070',
      victim: { name: 'Carla Example', safetyNotes: 'Abuser has keys to the flat. Cannot speak freely: use yes/no questions only.', riskMarkers: ['weapons', 'children-present'], address: '3 Example Lane, London' },
    });
    const t0 = Date.now() - 20 * 10_000;
    const fixes: NewEvent[] = Array.from({ length: 20 }, (_, i) => ev.fix('inc-sv', 'TS-0070', i, t0 + i * 10_000));
    await world.store.append([
      ev.opened('inc-sv', 'TS-0070', null, t0),
      ev.ringing('c-sv', 'tecsos', t0, { handsetId: 'TS-0070', incidentId: 'inc-sv', force: 'Test Force', callerNumber: '+447700900070' }),
      ev.status('TS-0070', t0),
      ...fixes,
    ]);
    const seen: Record<string, unknown> = {};
    for (const [width, height] of SIZES) {
      const p = await openConsole(world.browser, world.gateway, 'super', width, height, pageErrors);
      try {
        await expect.poll(() => p.locator('#incident-body').getAttribute('data-call'), { timeout: 15_000 }).toBe('c-sv');
        await expect.poll(() => p.locator('.safety-notes').innerText(), { timeout: 15_000 }).toContain('Cannot speak freely');
        await expect.poll(() => p.locator('.map-panel').getAttribute('data-drawn'), { timeout: 15_000 }).toBe('20');
        await nextFrame(p);
        await p.screenshot({ path: path.join(ARTIFACTS, `console-supervisor-incident-${width}x${height}.png`) });
        // The page itself does not scroll (the column heads kept for screen readers, placed in the page, made it 1102 px high).
        seen[`${width}x${height} page`] = await p.evaluate(() => document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth);
        for (const sel of ['#incident-h', '.safety-notes', '#act-answer', '#act-close', '#fix-info', '#map', '#sv-h']) seen[`${width}x${height} ${sel}`] = await shown(p, sel);
      } finally {
        await p.close();
      }
    }
    expect(Object.entries(seen).filter(([, v]) => v !== 'shown' && v !== true)).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  it('with the missed-TecSOS reminder shown, two ringing TecSOS calls are both whole in her queue', async () => {
    const t0 = Date.now() - 60_000;
    await world.store.append([
      ev.ringing('c-sv-missed', 'tecsos-unregistered', t0, { callerNumber: '+447700900599' }),
      { type: 'call.ended', callId: 'c-sv-missed', lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null } as NewEvent,
      ev.ringing('c-sv2', 'tecsos', t0 + 1000, { handsetId: 'TS-0071', force: 'Test Force', callerNumber: '+447700900071' }),
      ...Array.from({ length: 4 }, (_, i) => ev.ringing(`c-sv-o${i}`, 'ordinary', t0 + 2000 + 1000 * i, { callerNumber: `+4477009006${String(i).padStart(2, '0')}` })),
    ]);
    const seen: Record<string, string> = {};
    for (const [width, height] of SIZES) {
      const p = await openConsole(world.browser, world.gateway, 'super', width, height, pageErrors);
      try {
        await p.locator('.queue-item[data-key="call:c-sv-o3"]').waitFor();
        await p.locator('#missed-alert').waitFor();
        await nextFrame(p);
        for (const sel of ['#missed-alert', '.queue-item[data-key="call:c-sv"]', '.queue-item[data-key="call:c-sv2"]']) seen[`${width}x${height} ${sel}`] = await shown(p, sel);
        await p.screenshot({ path: path.join(ARTIFACTS, `console-supervisor-two-tecsos-${width}x${height}.png`) });
      } finally {
        await p.close();
      }
    }
    expect(Object.entries(seen).filter(([, v]) => v !== 'shown')).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 120_000);

  // Review 13c's check for the three roles, kept: the supervisor's layout above must not cost the others theirs.
  it('handler, supervisor and engineer: no panel over another or over the top bar, everything reachable in its own panel, the page does not scroll', async () => {
    const roles = {
      handler: ['#queue-h', '.queue-item button', '#missed-h', '#incident-body h2, #incident-body h3', '#act-answer', '#act-close', '#fix-info', '#map', '#logout', '#help-btn'],
      super: ['#queue-h', '.queue-item button', '#act-answer', '#act-close', '#fix-info', '#map', '#sv-h', '#audit-refresh', '#supervisor-body table', '#logout', '#help-btn'],
      eng: ['#sv-h', '#supervisor-body table', '#logout'],
    } as const;
    // The engineer's overview: the modem lines (one up, one down).
    const at = new Date().toISOString();
    await world.store.append([
      { type: 'line.health', at, lineId: 'line1', port: 'tcp://127.0.0.1:7101', state: 'up', registration: 'home', signalCsq: 20, detail: 'poll' } as NewEvent,
      { type: 'line.health', at, lineId: 'line2', port: 'tcp://127.0.0.1:7102', state: 'down', registration: 'home', signalCsq: 20, detail: 'connection refused; retry in 30000 ms' } as NewEvent,
    ]);
    const seen: Record<string, unknown> = {};
    for (const [user, sels] of Object.entries(roles)) {
      for (const [width, height] of SIZES) {
        const p = await openConsole(world.browser, world.gateway, user, width, height, pageErrors);
        try {
          if (user !== 'eng') await expect.poll(() => p.locator('#incident-body').getAttribute('data-call'), { timeout: 15_000 }).toBe('c-sv');
          if (user !== 'handler') await p.locator('#supervisor-body table').first().waitFor();
          if (user === 'super') await p.locator('#audit-refresh').waitFor();
          await nextFrame(p);
          const m = await measure(p, sels);
          if (m.overlaps.length > 0 || m.pageScrolls !== null || m.unreachable.length > 0) seen[`${user} ${width}x${height}`] = m;
        } finally {
          await p.close();
        }
      }
    }
    expect(seen).toEqual({});
    expect(pageErrors).toEqual([]);
  }, 240_000);
});

/**
 * Found and measured in one turn of the page: overlaps between the panels and the top bar's items, whether the
 * page scrolls, and each selector brought into view by its own panel (scrollIntoView) and hit at its top left.
 */
const measure = (p: Page, sels: readonly string[]) => p.evaluate((sels) => {
  const vis = (el: Element | null): el is HTMLElement => el instanceof HTMLElement && el.offsetParent !== null && el.getBoundingClientRect().width > 0;
  const boxes = ['#conn', '#sound-btn', '#user', '#help-btn', '#logout', '#queue-panel', '#incident-panel', '#supervisor-panel']
    .map((s) => [s, document.querySelector(s)] as const).filter(([, el]) => vis(el)).map(([s, el]) => [s, (el as HTMLElement).getBoundingClientRect()] as const);
  const overlaps: string[] = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [sa, a] = boxes[i] as readonly [string, DOMRect];
    const [sb, b] = boxes[j] as readonly [string, DOMRect];
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const hgt = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 1 && hgt > 1) overlaps.push(`${sa}/${sb} ${Math.round(w)}x${Math.round(hgt)}`);
  }
  const page = { h: document.documentElement.scrollHeight, w: document.documentElement.scrollWidth, ih: innerHeight, iw: innerWidth };
  const unreachable: string[] = [];
  for (const sel of sels) {
    const el = document.querySelector(sel);
    if (!vis(el)) { unreachable.push(`${sel}: missing`); continue; }
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + Math.min(8, r.width / 2), r.top + Math.min(8, r.height / 2));
    const inWin = r.top >= -1 && r.left >= -1 && r.bottom <= innerHeight + 1 && r.right <= innerWidth + 1;
    if (!inWin || hit === null || !(el.contains(hit) || hit.contains(el)))
      unreachable.push(`${sel} [${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}] hit ${hit?.id || hit?.className || hit?.tagName}`);
  }
  window.scrollTo(0, 0);
  return { overlaps, pageScrolls: page.h > page.ih || page.w > page.iw ? page : null, unreachable };
}, sels);
