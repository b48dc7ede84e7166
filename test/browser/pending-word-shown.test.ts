// A pending button says so on screen. "Acknowledge: pending…" and "Stop tracking: pending…" were cut with "…" at
// their end on one line (styles.css: a pending label is kept to one line so the button keeps its size): at 1280x720
// and 1024x768 they read "Acknowledge: pen…" and "Stop tracking: pen…", the word saying what was happening the
// part lost. Each role at both sizes; a real browser against a real gateway HTTP edge and SQLite store
// (console-gateway.ts).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserWorld, ev, FakeCore, openConsole, selectCall } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
/** Screenshots for a reviewer (not compared): TECSOS_SHOTS=<dir>. */
const SHOTS = process.env['TECSOS_SHOTS'];

/**
 * Whether the word "pending" in the button is drawn whole (read in one turn of the page, after its next two
 * frames): not past the edge of a box that clips it, nor under the "…" of one that overflows (1em kept for it);
 * with the button's box (px, rounded).
 */
async function pendingWord(p: Page, kind: string): Promise<{ word: string; box: number[] }> {
  return p.evaluate((kind) => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const b = document.getElementById(`act-${kind}`) as HTMLElement;
    const box = (({ x, y, width, height }) => [x, y, width, height].map(Math.round))(b.getBoundingClientRect());
    const walker = document.createTreeWalker(b, NodeFilter.SHOW_TEXT);
    for (let t = walker.nextNode(); t !== null; t = walker.nextNode()) {
      const at = (t.textContent ?? '').indexOf('pending');
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(t, at);
      range.setEnd(t, at + 'pending'.length);
      const r = range.getBoundingClientRect();
      for (let a = t.parentElement; a !== null && b.contains(a); a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflow === 'visible') continue;
        const edge = a.getBoundingClientRect().right - parseFloat(s.borderRightWidth) - parseFloat(s.paddingRight);
        const ellipsis = s.textOverflow === 'ellipsis' && a.scrollWidth > a.clientWidth + 1 ? parseFloat(s.fontSize) : 0;
        if (r.right > edge - ellipsis + 0.5 || r.left < a.getBoundingClientRect().left) {
          resolve({ word: `cut: "pending" ends at ${Math.round(r.right)}, ${a.className || a.tagName} shows to ${Math.round(edge - ellipsis)}`, box });
          return;
        }
      }
      resolve({ word: 'shown', box });
      return;
    }
    resolve({ word: 'no "pending"', box });
  }))), kind);
}

describe('a pending button says "pending" on screen, as big as before and where it was', () => {
  let n = 0;
  for (const user of ['handler', 'super']) {
    for (const [width, height] of [[1280, 720], [1024, 768]] as const) {
      it(`${user} at ${width}x${height}: Acknowledge and Stop tracking, pending`, async () => {
        n += 1;
        const [inc, call, hs] = [`inc-pw${n}`, `c-pw${n}`, `TS-095${n}`];
        const t = Date.now() - 30_000;
        core.victims.set(inc, { handsetId: hs, victim: { name: 'Gail Example', riskMarkers: ['weapons'], address: '7 Example Row, York', safetyNotes: 'Cannot speak freely: use yes/no questions only.' } });
        await world.store.append([
          ev.opened(inc, hs, call, t),
          ev.ringing(call, 'tecsos', t, { callerNumber: '+447700900950', handsetId: hs, incidentId: inc, force: 'Test Force' }),
          ev.status(hs, t),
          ev.answered(call, user),
          ev.fix(inc, hs, 0, Date.now() - 10_000),
        ]);
        const p = await openConsole(world.browser, world.gateway, user, width, height, pageErrors);
        try {
          await selectCall(p, call);
          await poll(() => p.locator('#incident-state').innerText()).toContain('tracking');
          const boxes = { acknowledge: (await pendingWord(p, 'acknowledge')).box, stop: (await pendingWord(p, 'stop')).box };
          // Neither confirmed by the gateway (no event follows): both stay pending.
          await p.locator('#act-acknowledge').click();
          await poll(() => p.locator('#act-acknowledge').innerText()).toContain('pending');
          await p.locator('#act-stop').click();
          await p.locator('#confirm-dialog[open]').waitFor();
          await p.locator('#confirm-yes').click();
          await poll(() => p.locator('#act-stop').innerText()).toContain('pending');
          const seen = { acknowledge: await pendingWord(p, 'acknowledge'), stop: await pendingWord(p, 'stop') };
          if (SHOTS !== undefined) {
            mkdirSync(SHOTS, { recursive: true });
            await p.locator('.actions').screenshot({ path: path.join(SHOTS, `pending-${user}-${width}x${height}.png`) });
          }
          // Its accessible name says the action and that it is pending.
          const names = { acknowledge: await p.locator('#act-acknowledge').evaluate((e) => e.textContent), stop: await p.locator('#act-stop').evaluate((e) => e.textContent) };
          expect({ seen, names }).toEqual({
            seen: { acknowledge: { word: 'shown', box: boxes.acknowledge }, stop: { word: 'shown', box: boxes.stop } },
            names: { acknowledge: expect.stringMatching(/Acknowledge.*pending/) as string, stop: expect.stringMatching(/Stop tracking.*pending/) as string },
          });
          await expect.poll(() => p.getByRole('button', { name: /Acknowledge.*pending/ }).count()).toBe(1);
          await expect.poll(() => p.getByRole('button', { name: /Stop tracking.*pending/ }).count()).toBe(1);
        } finally {
          await p.close();
        }
        expect(pageErrors).toEqual([]);
      }, 60_000);
    }
  }
});
