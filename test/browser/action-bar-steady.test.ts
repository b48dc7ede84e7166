// The action buttons stay where they are while the words around them change. Seen in `make demo` (25 Nov,
// 1600x1000): after Accept the status line ("Accept: request recorded (event N), waiting for confirmation…", then
// "confirmed by the gateway") wrapped to two lines and the state line grew, and the whole button bar moved down
// about 50 px: where Fresh fix had been, Hang up now was, under the pointer of a handler clicking twice. Real
// browser, real gateway HTTP edge and SQLite store (console-gateway.ts).
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
/** Screenshots for a reviewer (not compared): TECSOS_SHOTS=<dir>. */
const SHOTS = process.env['TECSOS_SHOTS'];

const KINDS = ['answer', 'hangup', 'acknowledge', 'locate', 'stop', 'close'] as const;

/** Where each action button is on the page (px, rounded), all read at one moment (the panel is rebuilt on events). */
function boxes(p: Page): Promise<Record<string, string>> {
  return p.evaluate((kinds) => Object.fromEntries(kinds.map((k) => {
    const el = document.getElementById(`act-${k}`);
    if (el === null) return [k, 'missing'];
    const b = el.getBoundingClientRect();
    return [k, `${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}x${Math.round(b.height)}`];
  })), [...KINDS]);
}

async function shot(p: Page, name: string): Promise<void> {
  if (SHOTS === undefined) return;
  mkdirSync(SHOTS, { recursive: true });
  await p.screenshot({ path: path.join(SHOTS, name) });
}

describe('the action buttons', () => {
  for (const [width, height] of [[1600, 1000], [1024, 768]] as const) {
    it(`do not move at ${width}x${height} while the status and state lines change (accept, acknowledge, a long failure)`, async () => {
      const n = `${width}`;
      const t = Date.now() - 30_000;
      core.victims.set(`inc-b${n}`, {
        handsetId: `TS-08${n.slice(0, 2)}`,
        victim: { name: 'Dana Example', safetyNotes: 'Abuser has a key to the flat.', riskMarkers: ['weapons'], address: '4 Example Road, Leeds' },
      });
      core.refusals.set(`locate:inc-b${n}`, { error: 'unavailable', message: 'no modem line is free to send the TSC1 LOCATE command to the handset: every line is on a call or down; try again in a minute' });
      await world.store.append([
        ev.opened(`inc-b${n}`, `TS-08${n.slice(0, 2)}`, `c-b${n}`, t),
        ev.ringing(`c-b${n}`, 'tecsos', t, { callerNumber: '+447700900801', handsetId: `TS-08${n.slice(0, 2)}`, incidentId: `inc-b${n}`, force: 'West Yorkshire Police' }),
        ev.status(`TS-08${n.slice(0, 2)}`, t),
      ]);
      const p = await openConsole(world.browser, world.gateway, 'handler', width, height, pageErrors);
      try {
        await p.locator(`.queue-item[data-key="call:c-b${n}"] button`).click();
        await poll(() => p.locator('.victim').innerText()).toContain('Dana Example');
        await poll(() => p.locator('#act-answer').isEnabled()).toBe(true);
        const before = await boxes(p);
        await shot(p, `${n}-1-ringing.png`);

        await p.locator('#act-answer').click();
        await poll(() => p.locator('#action-status').innerText()).toContain('waiting for confirmation');
        const pending = await boxes(p);
        await shot(p, `${n}-2-accept-pending.png`);
        await world.store.append([ev.answered(`c-b${n}`, 'handler')]);
        await poll(() => p.locator('#action-status').innerText()).toContain('confirmed by the gateway');
        await poll(() => p.locator('#incident-state').innerText()).toContain('Call answered by handler');
        const accepted = await boxes(p);
        await shot(p, `${n}-3-accepted.png`);

        await p.locator('#act-acknowledge').click();
        await world.store.append([{ type: 'incident.acknowledged', incidentId: `inc-b${n}`, by: 'handler' } as NewEvent]);
        await poll(() => p.locator('#incident-state').innerText()).toContain('Incident acknowledged by handler');
        const acknowledged = await boxes(p);

        await p.locator('#act-locate').click();
        await poll(() => p.locator('#action-status').innerText()).toContain('FAILED');
        const failed = await boxes(p);
        await shot(p, `${n}-4-long-failure.png`);

        expect({ pending, accepted, acknowledged, failed }).toEqual({ pending: before, accepted: before, acknowledged: before, failed: before });
        // The long message is all there (read in full by a screen reader; cut at two lines on screen).
        expect(await p.locator('#action-status').textContent()).toContain('try again in a minute');
      } finally {
        await p.close();
      }
      expect(pageErrors).toEqual([]);
    });
  }
});
