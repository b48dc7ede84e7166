// Her selected call ended and her handset dialled 999 again: the selection follows her to the new call, in a real
// browser against a real gateway HTTP edge and SQLite store (console-gateway.ts). Seen in `make demo --interactive`
// (25 Nov, three alarms at once, the gateway SIGKILLed and the demo started again): the handler was on TS-0002's
// answered call; the restart ended it (network) and her handset rang again on a new call of the same incident. The
// panel stayed on the ended call, Accept greyed, and no queue row was marked selected, while her new call rang
// unmarked between two other victims' calls: A said "Accept call: the call has ended".
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const tecsos = (callId: string, handsetId: string, incidentId: string, at: number, lineId = 'line1') =>
  ev.ringing(callId, 'tecsos', at, { callerNumber: `+44770090${handsetId.slice(-4)}`, handsetId, incidentId, force: 'Test Force', lineId });

describe('her selected call ends and she rings again', () => {
  it('the panel and the selected mark go to her new call, and A answers it', async () => {
    const t = Date.now() - 120_000;
    await world.store.append([
      ev.opened('inc-r1', 'TS-0801', 'c-r1', t),
      tecsos('c-r1', 'TS-0801', 'inc-r1', t),
      ev.status('TS-0801', t),
      ev.opened('inc-r2', 'TS-0802', 'c-x', t + 1000),
      tecsos('c-x', 'TS-0802', 'inc-r2', t + 1000, 'line2'),
      ev.answered('c-r1', 'handler'),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      const read = () => p.evaluate(() => ({
        call: document.getElementById('incident-body')?.dataset['call'] ?? null,
        marked: [...document.querySelectorAll<HTMLElement>('#queue > li.selected')].map((li) => li.dataset['key']),
      }));
      await p.locator('.queue-item[data-key="call:c-r1"] button').click();
      await poll(read).toEqual({ call: 'c-r1', marked: ['call:c-r1'] });
      // Her call drops (a gateway restart, a network fault); her handset dials again: a new call of her incident.
      await world.store.append([
        { type: 'call.ended', callId: 'c-r1', lineId: 'line1', endedBy: 'network', by: null, talkSeconds: 60 },
        tecsos('c-r3', 'TS-0801', 'inc-r1', Date.now(), 'line3'),
      ]);
      await p.locator('.queue-item[data-key="call:c-r3"]').waitFor();
      await poll(read).toEqual({ call: 'c-r3', marked: ['call:c-r3'] });
      await p.locator('body').press('a');
      await poll(() => core.recorded.filter((r) => r.method === 'answer').map((r) => r.id)).toEqual(['c-r3']);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
