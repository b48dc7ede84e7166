// The selected row's mark when the handler's selected call ends and her incident stays in the queue, in a real
// browser against a real gateway HTTP edge and SQLite store (console-gateway.ts). Seen in `make demo` (25 Nov): the
// handler accepted the victim's TecSOS call, acknowledged, stopped tracking and hung up; the incident panel still
// showed her call and incident (a selected call that ended stays on screen), and her incident's alarm row stood red
// at the top of the queue, but without the selected mark (white border and bar, aria-current): nothing in the queue
// said which row the panel showed.
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe('the selected row when the selected call ends', () => {
  it("her incident's alarm row carries the selected mark, and ↓ goes on from it", async () => {
    const t = Date.now() - 60_000;
    await world.store.append([
      ev.opened('inc-s1', 'TS-0701', 'c-s1', t),
      ev.ringing('c-s1', 'tecsos', t, { callerNumber: '+447700900701', handsetId: 'TS-0701', incidentId: 'inc-s1', force: 'Test Force' }),
      ev.status('TS-0701', t),
      ev.ringing('c-s2', 'ordinary', t + 1000, { callerNumber: '+447700900702' }),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      const selectedRows = () => p.evaluate(() => [...document.querySelectorAll<HTMLElement>('#queue > li')]
        .filter((li) => li.classList.contains('selected') || li.querySelector('[aria-current="true"]') !== null)
        .map((li) => li.dataset['key']));
      // She chooses the TecSOS call.
      await p.locator('.queue-item[data-key="call:c-s1"] button').click();
      await poll(selectedRows).toEqual(['call:c-s1']);
      // She answers and hangs up; her incident stays open: its alarm row takes the call's place at the top.
      await world.store.append([
        ev.answered('c-s1', 'handler'),
        { type: 'call.ended', callId: 'c-s1', lineId: 'line1', endedBy: 'handler', by: 'handler', talkSeconds: 30 },
      ]);
      await p.locator('.queue-item[data-key="incident:inc-s1"]').waitFor();
      // The panel still shows her call and incident, and the queue marks the row that stands for them.
      expect(await p.locator('#incident-body').getAttribute('data-incident')).toBe('inc-s1');
      await poll(selectedRows).toEqual(['incident:inc-s1']);
      const mark = await p.locator('.queue-item[data-key="incident:inc-s1"]').evaluate((li) => ({
        current: li.querySelector('button')?.getAttribute('aria-current') ?? null,
        border: getComputedStyle(li.querySelector('button') as HTMLElement).borderTopColor,
      }));
      expect(mark).toEqual({ current: 'true', border: 'rgb(255, 255, 255)' });
      // ↓ from her row: the next call.
      await p.locator('body').press('ArrowDown');
      await poll(selectedRows).toEqual(['call:c-s2']);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
