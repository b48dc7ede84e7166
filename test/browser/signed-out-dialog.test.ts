// Her session ends (logged out from another tab, an expiry, an account disabled) while a dialog is open, in chromium
// against a real edge and store (console-gateway.ts). The login screen came up behind the close form, which stayed
// open over it with her note about the victim, the login form inert (its username field could not take the focus),
// her typing still going into the note; Esc left the focus on the page. The open dialogs now close (as cancelled)
// when the login screen comes up, and the focus is in its username field.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserWorld, ev, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const seen = (p: Page) => p.evaluate(() => ({
  focus: document.activeElement?.id || document.activeElement?.tagName.toLowerCase() || null,
  open: [...document.querySelectorAll('dialog[open]')].map((d) => d.id),
  username: (document.getElementById('login-username') as HTMLInputElement).value,
}));

describe('the session ends with a dialog open', () => {
  it('the close form open, her note half typed: the form closes, her typing goes to the login\'s username, nothing is sent', async () => {
    const t = Date.now();
    await world.store.append([ev.opened('inc-so1', 'TS-0711', null, t), ev.status('TS-0711', t)]);
    const p = await openConsole(world.browser, world.gateway, 'handler', 1366, 768, pageErrors);
    try {
      await p.locator('.queue-item[data-key="incident:inc-so1"] button').click();
      await poll(() => p.locator('#incident-body').getAttribute('data-incident')).toBe('inc-so1');
      await p.locator('#act-close').click();
      await p.locator('#close-dialog[open]').waitFor();
      await p.locator('#close-note').click();
      await p.keyboard.type('she is at her sister');
      // Her session ends elsewhere (a logout with her cookie, as from another tab): the gateway closes her socket.
      const cookie = (await p.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
      expect((await fetch(`${world.gateway.url}/api/logout`, { method: 'POST', headers: { cookie } })).status).toBeLessThan(300);
      await poll(() => p.locator('#login-screen').isHidden()).toBe(false);
      await poll(async () => (await seen(p)).open).toEqual([]);
      await p.keyboard.type('handler');
      expect(await seen(p)).toEqual({ focus: 'login-username', open: [], username: 'handler' });
      expect(core.recorded.filter((r) => r.method === 'close')).toEqual([]);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
