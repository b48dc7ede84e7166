// An engineer's console and refused reports. A handset whose reports the gateway refuses (a wrong key after a
// botched provisioning: bad MAC; the wrong SIM in it: sender mismatch; never registered; a cloned handset or a
// counter gone back: replay) needs an engineer, and the engineer's overview has a "Refused reports" table
// (reasons in words, console/format.ts REJECT_TEXT). But the gateway sent engineers no `report.rejected`
// (gateway/fanout/audience.ts gave `report.*` to handlers and supervisors only): with the console open, nothing
// came, and nothing after a reload either; the table never showed. Now an engineer receives the refused reports
// that name a handset, reduced to the reason, the handset, its counter and the time (docs/api.md "Who sees
// what"): never the sender's number (it may be a member of the public's) nor the gateway's detail text. Live,
// and the same from the picture after a reload. The real console in Debian's chromium against the real HTTP edge.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { REJECT_TEXT } from '../../console/format.js';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, openConsole } from './console-gateway.js';

const world = browserWorld();
const errors: string[] = [];
const SIM = '+447700900101';
const PUBLIC = '+447700900777';
const OTHER_SIM = '+447700900555';

function refused(reason: string, claimedHandsetId: string | null, fromNumber: string | null, counter: number | null, detail: string): NewEvent {
  const at = new Date().toISOString();
  return { type: 'report.rejected', at, reason, claimedHandsetId, counter, fromNumber, receivedAt: at, detail };
}

const refusedTable = (p: Page) => p.locator('#supervisor-body table', { hasText: 'Refused reports' });
const rows = (p: Page) => refusedTable(p).locator('tbody tr');

describe("the engineer's refused reports", () => {
  it('eng: refused reports naming a handset show live and after a reload, without a sender number or detail', { timeout: 60_000 }, async () => {
    const eng = await openConsole(world.browser, world.gateway, 'eng', 1280, 800, errors);
    const sup = await openConsole(world.browser, world.gateway, 'super', 1600, 1000, errors);
    try {
      await world.store.append([
        refused('bad-mac', 'TS-0007', SIM, 12, `MAC does not match the key of TS-0007`),
        refused('sender-mismatch', 'TS-0008', OTHER_SIM, 40, `TS-0008 is registered with ${SIM}, the SMS came from ${OTHER_SIM}`),
        // A member of the public's SMS: nothing of it for the engineer.
        refused('unknown-sender', null, PUBLIC, null, 'neither TSR1 nor AML (42 characters)'),
      ]);
      // The supervisor's table has all three, with the numbers (her view is unchanged).
      const supTable = refusedTable(sup);
      await expect.poll(() => supTable.innerText(), { timeout: 15_000 }).toContain(PUBLIC);
      expect(await supTable.innerText()).toContain(OTHER_SIM);

      // The engineer's, live, with the page open.
      await expect.poll(() => rows(eng).count(), { timeout: 15_000 }).toBe(2);
      const live = await refusedTable(eng).innerText();
      expect(live).toContain('Refused reports (2)');
      expect(live).toContain(REJECT_TEXT['bad-mac']);
      expect(live).toContain(REJECT_TEXT['sender-mismatch']);
      expect(live).toContain('TS-0007');
      expect(live).toContain('TS-0008');
      // The counter where the supervisor has the sender (newest first: the sender mismatch's).
      expect(await rows(eng).first().locator('td[data-label="Counter"]').innerText()).toBe('40');
      expect(await refusedTable(eng).locator('thead').innerText()).not.toContain('From');
      for (const secret of [SIM, OTHER_SIM, PUBLIC, 'MAC does not match', 'registered with', REJECT_TEXT['unknown-sender']]) expect(live).not.toContain(secret);
      expect(await eng.locator('body').innerText()).not.toContain(PUBLIC);

      // After a reload: the picture (view=1) says the same.
      await eng.reload();
      await eng.locator('#conn[data-state="live"]').waitFor();
      await expect.poll(() => rows(eng).count(), { timeout: 15_000 }).toBe(2);
      const reloaded = await refusedTable(eng).innerText();
      expect(reloaded).toBe(live);
    } finally {
      await eng.close();
      await sup.close();
    }
    expect(errors).toEqual([]);
  });
});
