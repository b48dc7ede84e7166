// The modem lines' signal in the overview, in a real browser against a real gateway HTTP edge and SQLite store
// (console-gateway.ts). Seen in `make demo` (25 Nov), as a supervisor and as an engineer: every line's Signal
// read "20", the modem's raw AT+CSQ figure, while the incident's handset beside it read "5/5 (-73 dBm)" for the
// same figure. "20" means nothing to a supervisor (20 of what? a percentage?), and a weak line (CSQ 6) read as
// a bigger number than a dead one. Now a line's signal is in the handset's words: bars out of 5 and dBm.
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const line = (lineId: string, signalCsq: number | null, state: 'up' | 'down' = 'up'): NewEvent =>
  ({ type: 'line.health', at: new Date().toISOString(), lineId, port: `tcp://127.0.0.1:71${lineId.slice(-2)}`, state, registration: 'home', signalCsq, detail: 'initialised' });

/** Each line's Signal cell, read in one turn of the page (the overview is drawn anew every second). */
const signals = (p: import('playwright-core').Page) => p.evaluate(() => Object.fromEntries([...document.querySelectorAll<HTMLTableRowElement>('#supervisor-body tr[data-line]')]
  .map((tr) => [tr.dataset['line'], tr.cells[4]?.innerText ?? ''])));

describe("a modem line's signal", () => {
  for (const user of ['super', 'eng']) {
    it(`${user}: reads as bars out of 5 and dBm, as the handset's does, not the modem's raw figure`, async () => {
      if (user === 'super') await world.store.append([line('sig-20', 20), line('sig-06', 6), line('sig-99', 99), line('sig-nn', null)]);
      const p = await openConsole(world.browser, world.gateway, user, 1280, 800, pageErrors);
      try {
        await poll(async () => Object.keys(await signals(p)).length).toBe(4);
        expect(await signals(p)).toEqual({ 'sig-20': '5/5 (-73 dBm)', 'sig-06': '2/5 (-101 dBm)', 'sig-99': 'unknown', 'sig-nn': 'unknown' });
        // A line that is not up has no signal to show (the event keeps the last one it had).
        await world.store.append([line('sig-20', 20, 'down')]);
        await poll(async () => (await signals(p))['sig-20']).toBe('—');
        await world.store.append([line('sig-20', 20)]);
        await poll(async () => (await signals(p))['sig-20']).toBe('5/5 (-73 dBm)');
      } finally {
        await p.close();
      }
      expect(pageErrors).toEqual([]);
    }, 60_000);
  }
});
