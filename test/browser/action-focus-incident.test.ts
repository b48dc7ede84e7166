// The action buttons keep the keyboard focus across re-draws by their focus key (console/dom.ts replaceChildren).
// The key named the action only ("act-acknowledge"), not the incident or call it acts on. When the console changed
// the selection by itself (her selected call ended, then dropped from memory after 50 more ended calls; the panel
// then shows the first row of the queue, another victim's alarm), the focus went to "the same" button of the other
// incident, and her next Enter acknowledged (or accepted, hung up, closed) that incident, not hers.
// In chromium against a real edge and store (console-gateway.ts).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { ENDED_KEEP } from '../../protocol/schemas/console-state.js';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';
import { focusAt, watchClose } from './focus-read.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
/** After the draw of whatever the last key press asked for (the console draws in an animation frame). */
const drawn = (p: Page) => p.evaluate(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r()))));
const ended = (callId: string): NewEvent => ({ type: 'call.ended', callId, lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null } as NewEvent);

describe('a focused action button when the console selects another incident by itself', () => {
  it('her ended call is dropped (50 more ended): the panel shows another alarm, the focus is not on its Acknowledge, Enter acknowledges nothing', async () => {
    const t = Date.now() - 60_000;
    // The other victim's alarm (no call), older: the first row of the queue. Then hers, with a TecSOS call.
    await world.store.append([
      ev.opened('inc-f1', 'TS-0811', null, t), ev.status('TS-0811', t),
      ev.opened('inc-f2', 'TS-0812', 'c-f2', t + 1),
      ev.ringing('c-f2', 'tecsos', t + 1, { callerNumber: '+447700900812', handsetId: 'TS-0812', incidentId: 'inc-f2', force: 'Test Force' }),
      ev.status('TS-0812', t + 1),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1366, 768, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-f2"] button').focus();
      await p.keyboard.press('Enter');
      await poll(() => p.locator('#incident-body').getAttribute('data-call')).toBe('c-f2');
      // Her caller hangs up: her call stays on screen (selected), her incident open, Acknowledge available.
      await world.store.append([ended('c-f2')]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Call ended');
      await p.locator('#act-acknowledge').focus();
      const before = { incident: await p.locator('#incident-body').getAttribute('data-incident'), focus: await focusAt(p) };
      // ENDED_KEEP ordinary calls ring and end after hers: hers, the oldest ended, is dropped from the console's memory.
      const others: NewEvent[] = [];
      for (let i = 0; i < ENDED_KEEP; i++) others.push(ev.ringing(`c-o${i}`, 'ordinary', t + 10 + i, { lineId: 'line2' }), { ...ended(`c-o${i}`), lineId: 'line2' } as NewEvent);
      await world.store.append(others);
      await poll(() => p.locator('#incident-body').getAttribute('data-incident')).toBe('inc-f1');
      const after = await focusAt(p);
      await p.keyboard.press('Enter');
      await drawn(p);
      const acknowledge = await p.locator('#act-acknowledge').innerText();
      expect({ before, after, pending: acknowledge.includes('pending'), recorded: core.recorded.map((r) => `${r.method}:${r.id}`) })
        .toEqual({ before: { incident: 'inc-f2', focus: 'act-acknowledge' }, after: 'toolbar', pending: false, recorded: [] });
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('the same behind the close form opened from her Close incident: Esc gives the focus to the toolbar, not the other alarm\'s Close incident', async () => {
    const t = Date.now() - 30_000;
    // inc-f1 (the first test's, older) is still the first row of the queue.
    await world.store.append([
      ev.opened('inc-f3', 'TS-0813', 'c-f3', t),
      ev.ringing('c-f3', 'tecsos', t, { callerNumber: '+447700900813', handsetId: 'TS-0813', incidentId: 'inc-f3', force: 'Test Force' }),
      ev.status('TS-0813', t),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1366, 768, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-f3"] button').focus();
      await p.keyboard.press('Enter');
      await poll(() => p.locator('#incident-body').getAttribute('data-call')).toBe('c-f3');
      await world.store.append([ended('c-f3')]);
      await poll(() => p.locator('#incident-state').innerText()).toContain('Call ended');
      await p.locator('#act-close').focus();
      await p.keyboard.press('Enter');
      await p.locator('#close-dialog[open]').waitFor();
      const others: NewEvent[] = [];
      for (let i = 0; i < ENDED_KEEP; i++) others.push(ev.ringing(`c-p${i}`, 'ordinary', t + 10 + i, { lineId: 'line2' }), { ...ended(`c-p${i}`), lineId: 'line2' } as NewEvent);
      await world.store.append(others);
      await poll(() => p.locator('#incident-body').getAttribute('data-incident')).toBe('inc-f1');
      const formClosed = await watchClose(p, 'close-dialog');
      await p.keyboard.press('Escape');
      await formClosed();
      expect(await focusAt(p)).toBe('toolbar');
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
