// The overview's section heads, in a real browser against a real gateway HTTP edge and SQLite store
// (console-gateway.ts). Seen in `make demo` (25 Nov), as an engineer and a supervisor: "Handset health" (with no
// problems) and "Audit log" were drawn larger than "Open incidents" and "Modem lines", as if modem lines were a
// part of handset health; the same "Handset health" head shrank to the others' size once a problem came (a table's
// caption instead of a heading). Every section head of the overview now looks the same.
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

describe("the overview's section heads", () => {
  for (const user of ['super', 'eng']) {
    it(`${user}: are all of one size and weight`, async () => {
      if (user === 'super') {
        await world.store.append([{ type: 'line.health', at: new Date().toISOString(), lineId: 'L1', port: 'tcp://127.0.0.1:7101', state: 'up', registration: 'home', signalCsq: 20, detail: 'initialised' } as NewEvent]);
      }
      const p = await openConsole(world.browser, world.gateway, user, 1280, 800, pageErrors);
      try {
        await p.locator('#supervisor-body tr[data-line="L1"]').waitFor();
        if (user === 'super') await poll(() => p.locator('#supervisor-body').innerText()).toContain('entries, newest first');
        const looks = await p.evaluate(() => [...document.querySelectorAll<HTMLElement>('#supervisor-body .sv-block > h3, #supervisor-body .sv-block caption')]
          .map((el) => [el.innerText.replace(/\s*Refresh$/, '').replace(/:.*/, ''), `${getComputedStyle(el).fontSize} ${getComputedStyle(el).fontWeight}`] as const));
        const heads = Object.fromEntries(looks);
        // The audit log's head and its table's caption ("Audit log: the newest 3 entries") under one name: both are checked.
        expect(Object.keys(heads)).toEqual(user === 'super' ? ['Open incidents', 'Handset health', 'Modem lines', 'Audit log'] : ['Handset health', 'Modem lines']);
        expect(new Set(looks.map(([, look]) => look)).size, JSON.stringify(looks)).toBe(1);
      } finally {
        await p.close();
      }
      expect(pageErrors).toEqual([]);
    }, 60_000);
  }
});
