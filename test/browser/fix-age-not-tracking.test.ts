// The last fix's age is an alarm (amber "Ageing", red "STALE") only for a live track. Seen in `make demo` (25 Nov):
// a closed incident whose tracking had stopped turned its fix line amber and then red, as if reports from her
// handset were missing, when none were due. docs/console.md "Map". Real browser, real gateway HTTP edge and
// SQLite store (console-gateway.ts).
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe('the fix line of a track that has ended', () => {
  it('shows the age without the stale alarm once tracking stopped or the incident closed; a live track still goes red', async () => {
    const t = Date.now() - 5 * 60_000;
    await world.store.append([
      ev.opened('inc-s1', 'TS-0701', null, t),
      ev.status('TS-0701', t),
      ev.fix('inc-s1', 'TS-0701', 0, t),
      ev.fix('inc-s1', 'TS-0701', 1, t + 30_000),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    const line = async () => ({
      staleness: await p.locator('.map-panel').getAttribute('data-staleness'),
      colour: await p.locator('#fix-info').getAttribute('class'),
      text: await p.locator('#fix-info').innerText(),
    });
    try {
      await p.locator('.queue-item[data-key="incident:inc-s1"] button').click();
      // Still tracking, a fix 4:30 old: the alarm is right.
      await poll(async () => (await line()).staleness).toBe('stale');
      expect((await line()).text).toMatch(/^STALE: Last fix 4:\d\d ago/);

      await world.store.append([{ type: 'incident.tracking-stopped', incidentId: 'inc-s1', handsetId: 'TS-0701', reason: 'handler', by: 'handler' } as NewEvent]);
      await poll(async () => (await line()).staleness).toBe('ended');
      const stopped = await line();
      expect(stopped.colour).toBe('fix-info ended');
      expect(stopped.text).toMatch(/^Not tracking: last fix 4:\d\d ago/);

      await world.store.append([ev.closed('inc-s1', 'handler', 'officers-attended')]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Incident closed');
      expect((await line()).colour).toBe('fix-info ended');
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
