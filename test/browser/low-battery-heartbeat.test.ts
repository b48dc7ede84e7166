// A handset whose last report says its battery is low, before the gateway has raised a low-battery problem of its
// own: the overview lists it from its report (handset.status). Found reading the overview (25 Nov): that row's
// "Last heartbeat" read "?" although the report it came from was its heartbeat (every verified report is one,
// docs/gateway.md "Heartbeat"), a few seconds old; a supervisor or engineer read it as a handset never heard from.
// Real browser, real gateway HTTP edge and SQLite store (console-gateway.ts).
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { timeOfDay } from '../../console/format.js';
import { browserWorld, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** The report's time, a minute and a half ago: the same for both roles' tests. */
const at = new Date(Date.now() - 90_000).toISOString();

describe('a low battery from the last report', () => {
  for (const user of ['eng', 'super']) {
    it(`${user}: its row gives the report's time as the last heartbeat`, async () => {
      if (user === 'eng') {
        await world.store.append([{ type: 'handset.status', at, handsetId: 'TS-0950', batteryPct: 12, csq: 18, lastReportAt: at, lastEvent: 'HBT', lastCounter: 40 } as NewEvent]);
      }
      const p = await openConsole(world.browser, world.gateway, user, 1600, 1000, pageErrors);
      try {
        const row = p.locator('#supervisor-body tr', { hasText: 'TS-0950' });
        await row.waitFor();
        const cells = await row.evaluate((tr: HTMLTableRowElement) => [...tr.cells].map((td) => td.innerText));
        expect(cells.slice(0, 4)).toEqual(['TS-0950', 'low battery', '12%', timeOfDay(at)]);
      } finally {
        await p.close();
      }
      expect(pageErrors).toEqual([]);
    }, 60_000);
  }
});
