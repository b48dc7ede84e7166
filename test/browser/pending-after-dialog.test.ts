// A confirmed action is pending only once its request is sent. Seen in `make demo` (25 Nov, screenshot
// 12-close-form.png): the Close incident button read "Close incident: pending…" behind the close form before she
// had chosen an outcome, and Hang up and Stop tracking said "pending…" behind their questions; a cancelled
// dialog must leave no trace. Real browser, real gateway HTTP edge and SQLite store (console-gateway.ts).
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe('an action behind a dialog', () => {
  it('is not pending while its dialog is open, nor after it is cancelled', async () => {
    const t = Date.now() - 60_000;
    await world.store.append([
      ev.opened('inc-d1', 'TS-0601', 'c-d1', t),
      ev.ringing('c-d1', 'tecsos', t, { callerNumber: '+447700900601', handsetId: 'TS-0601', incidentId: 'inc-d1', force: 'Test Force' }),
      ev.status('TS-0601', t),
      ev.answered('c-d1', 'handler'),
    ]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1600, 1000, pageErrors);
    try {
      await p.locator('.queue-item[data-key="call:c-d1"] button').click();
      await poll(() => p.locator('#incident-state').innerText()).toContain('Incident open, tracking');
      for (const [kind, dialog, cancel] of [
        ['close', '#close-dialog', '#close-cancel'],
        ['hangup', '#confirm-dialog', '#confirm-no'],
        ['stop', '#confirm-dialog', '#confirm-no'],
      ] as const) {
        await p.locator(`#act-${kind}`).click();
        await p.locator(`${dialog}[open]`).waitFor();
        // A redraw while the dialog is open: an event rebuilds the panel (the same draw says its seq in the top bar).
        const before = await p.locator('#conn').innerText();
        await world.store.append([ev.status('TS-0601', Date.now())]);
        await poll(() => p.locator('#conn').innerText()).not.toBe(before);
        const behind = { text: await p.locator(`#act-${kind}`).innerText(), busy: await p.locator(`#act-${kind}`).getAttribute('aria-busy') };
        expect(behind, `${kind} behind its dialog`).toEqual({ text: expect.not.stringContaining('pending') as string, busy: null });
        await p.locator(cancel).click();
        await poll(() => p.locator(`${dialog}`).evaluate((d) => (d as HTMLDialogElement).open)).toBe(false);
        const after = { text: await p.locator(`#act-${kind}`).innerText(), disabled: await p.locator(`#act-${kind}`).isDisabled() };
        expect(after, `${kind} after Cancel`).toEqual({ text: expect.not.stringContaining('pending') as string, disabled: false });
      }
      expect(core.recorded.map((r) => r.method)).toEqual([]);
      // Confirmed: pending then, until the gateway's event.
      await p.locator('#act-stop').click();
      await p.locator('#confirm-dialog[open]').waitFor();
      await p.locator('#confirm-yes').click();
      await poll(() => p.locator('#act-stop').innerText()).toContain('pending');
      expect(core.recorded.map((r) => r.method)).toEqual(['stopTracking']);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
