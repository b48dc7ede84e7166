// A modem line going down, as the supervisor and the engineer see it, in a real browser against a real gateway
// HTTP edge and SQLite store (console-gateway.ts). Seen in `make demo` (25 Nov) with the simulator's line fault
// (POST /api/lines/4/fault hang): with two open incidents the supervisor's overview at 1600x1000 showed the open
// incidents, handset health and lines L1 to L3; L4's row, the only one saying "down", was below the fold of the
// overview (which scrolls on its own), and nothing else on the screen said that a line was down: she had to think
// of scrolling the overview to learn that a quarter of her 999 lines were gone. The same at 1280x800, where the
// overview is under the queue. Now the overview says at its top which lines are not working.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const line = (lineId: string, state: 'up' | 'down', detail = 'initialised'): NewEvent =>
  ({ type: 'line.health', at: new Date().toISOString(), lineId, port: `tcp://127.0.0.1:710${lineId.slice(-1)}`, state, registration: 'home', signalCsq: 20, detail });

/**
 * The texts of the overview's paragraphs and rows that are on screen whole: inside the window and inside every box
 * that scrolls or clips them, found and measured in one turn of the page.
 */
const onScreen = (p: Page) => p.evaluate(() => [...document.querySelectorAll<HTMLElement>('#supervisor-body p, #supervisor-body tr, #supervisor-body caption, #supervisor-body h3')].filter((el) => {
  const r = el.getBoundingClientRect();
  let [top, bottom] = [0, innerHeight];
  for (let a = el.parentElement; a !== null; a = a.parentElement) {
    if (getComputedStyle(a).overflow === 'visible') continue;
    const b = a.getBoundingClientRect();
    [top, bottom] = [Math.max(top, b.top), Math.min(bottom, b.bottom)];
  }
  return r.height > 0 && r.top >= top - 1 && r.bottom <= bottom + 1;
}).map((el) => el.innerText.replace(/\s+/g, ' ')));

describe('a modem line down', () => {
  it('is said on screen, without scrolling, to the supervisor (1600x1000, 1280x800) and the engineer, and when it is back', async () => {
    const t = Date.now() - 60_000;
    for (const n of [1, 2]) {
      core.victims.set(`inc-ld${n}`, { handsetId: `TS-070${n}`, victim: { name: 'Test Victim', safetyNotes: 'none', riskMarkers: [] } });
    }
    await world.store.append([
      ev.opened('inc-ld1', 'TS-0701', null, t), ev.opened('inc-ld2', 'TS-0702', null, t),
      ev.fix('inc-ld1', 'TS-0701', 0, t), ev.fix('inc-ld2', 'TS-0702', 0, t),
      line('L1', 'up'), line('L2', 'up'), line('L3', 'up'), line('L4', 'up'),
    ]);
    const pages = [
      await openConsole(world.browser, world.gateway, 'super', 1600, 1000, pageErrors),
      await openConsole(world.browser, world.gateway, 'super', 1280, 800, pageErrors),
      await openConsole(world.browser, world.gateway, 'eng', 1280, 800, pageErrors),
    ];
    try {
      for (const p of pages) await p.locator('#supervisor-body tr[data-line="L4"]').waitFor();
      await world.store.append([line('L4', 'down', 'init failed at ATQ0V1: no answer; retry in 30000 ms')]);
      for (const p of pages) {
        await poll(() => p.locator('#supervisor-body tr[data-line="L4"] td').nth(2).innerText()).toBe('down');
        // Something on screen names the line and says it is down.
        expect((await onScreen(p)).filter((x) => x.includes('L4') && /\bdown\b/.test(x))).not.toEqual([]);
      }
      await world.store.append([line('L4', 'up')]);
      for (const p of pages) {
        await poll(() => p.locator('#supervisor-body tr[data-line="L4"] td').nth(2).innerText()).toBe('up');
        expect((await onScreen(p)).filter((x) => x.includes('L4') && /\bdown\b/.test(x))).toEqual([]);
      }
    } finally {
      for (const p of pages) await p.close();
    }
    expect(pageErrors).toEqual([]);
  }, 90_000);
});
