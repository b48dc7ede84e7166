// The open incidents' "Last fix" age in the supervisor's overview is an alarm (amber, red and bold) only for a live
// track, as the incident's own fix line (fix-age-not-tracking.test.ts). Found walking the overview (25 Nov): an open
// incident whose tracking a handler had stopped ("Tracking: no") had its last fix turn amber, then red and bold,
// as if reports from her handset were missing, when none were due. Real browser, real gateway HTTP edge and SQLite
// store (console-gateway.ts).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

/** Each open incident's Last fix and State cells as drawn (text, colour, weight), read in one turn of the page. */
const rows = (p: Page) => p.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLTableRowElement>('#supervisor-body table tbody tr')]
  .filter((tr) => tr.cells[0]?.innerText.startsWith('inc-'))
  .map((tr) => {
    const look = (td: HTMLTableCellElement | undefined) => (td === undefined ? '' : `${getComputedStyle(td).color} ${getComputedStyle(td).fontWeight}`);
    return [tr.cells[0]?.innerText.split(' ')[0], { age: tr.cells[1]?.innerText, ageLook: look(tr.cells[1]), plainLook: look(tr.cells[2]) }];
  })));

describe("the overview's last-fix age", () => {
  it('is red for a live track ten minutes without a fix, and plain for one whose tracking was stopped', async () => {
    const t = Date.now() - 10 * 60_000;
    for (const id of ['inc-live', 'inc-stopped']) {
      core.victims.set(id, { handsetId: `TS-${id === 'inc-live' ? '0901' : '0902'}`, victim: { name: 'Test Victim', safetyNotes: 'none', riskMarkers: [] } });
    }
    await world.store.append([
      ev.opened('inc-live', 'TS-0901', null, t), ev.fix('inc-live', 'TS-0901', 0, t),
      ev.opened('inc-stopped', 'TS-0902', null, t), ev.fix('inc-stopped', 'TS-0902', 0, t),
      { type: 'incident.tracking-stopped', incidentId: 'inc-stopped', handsetId: 'TS-0902', reason: 'handler', by: 'handler' } as NewEvent,
    ]);
    const p = await openConsole(world.browser, world.gateway, 'super', 1600, 1000, pageErrors);
    try {
      await poll(async () => Object.keys(await rows(p)).sort()).toEqual(['inc-live', 'inc-stopped']);
      const r = await rows(p);
      expect(r['inc-live']?.age).toMatch(/^10:0\d ago$/);
      expect(r['inc-stopped']?.age).toMatch(/^10:0\d ago$/);
      // The live track's stale fix is an alarm: not drawn as the text beside it.
      expect(r['inc-live']?.ageLook).not.toBe(r['inc-live']?.plainLook);
      // The stopped one's is just a time.
      expect(r['inc-stopped']?.ageLook).toBe(r['inc-stopped']?.plainLook);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
