// The overview's refused reports and handset problems in words, in a real browser against a real gateway HTTP edge
// and SQLite store (console-gateway.ts). Found walking the supervisor's overview (25 Nov): a refused report's Reason
// was the gateway's code ("bad-mac", "sender-mismatch", "unknown-sender", "not-gsm7"), and a handset problem read
// "missed-heartbeat": a supervisor cannot tell from "bad-mac" that a report's signature was wrong (forged, or the
// handset's key changed), the one refusal she must act on.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../gateway/store/event-store.js';
import { browserWorld, FakeCore, openConsole } from './console-gateway.js';

const core = new FakeCore();
const world = browserWorld(core);
const pageErrors: string[] = [];
/** A bound on waiting for the page (a loaded machine), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
const at = new Date().toISOString();

const refused = (reason: string, claimedHandsetId: string | null): NewEvent =>
  ({ type: 'report.rejected', at, reason, claimedHandsetId, counter: null, fromNumber: '+447700900666', receivedAt: at, detail: 'test' });

/** The second cell of each row of the table with the given caption, read in one turn of the page. */
const column = (p: Page, caption: string) => p.evaluate((caption) => [...document.querySelectorAll<HTMLTableElement>('#supervisor-body table')]
  .filter((t) => t.caption?.innerText.startsWith(caption)).flatMap((t) => [...t.tBodies[0]?.rows ?? []].map((r) => r.cells[1]?.innerText ?? '')), caption);

describe('the overview in words', () => {
  it("super: a refused report's reason and a handset's problem are words, not the gateway's codes", async () => {
    await world.store.append([
      refused('bad-mac', 'TS-0801'), refused('sender-mismatch', 'TS-0802'), refused('unknown-sender', null),
      { type: 'handset.health', at, handsetId: 'TS-0803', problem: 'missed-heartbeat', lastHeartbeatAt: null, batteryPct: 50, detail: 'no report for 25 h' } as NewEvent,
    ]);
    const p = await openConsole(world.browser, world.gateway, 'super', 1600, 1000, pageErrors);
    try {
      await poll(async () => (await column(p, 'Refused reports')).length).toBe(3);
      expect(await column(p, 'Refused reports')).toEqual([
        'not a TecSOS report, from a number with no call in progress',
        "sent from a number other than the handset's",
        "signature wrong (forged, or the handset's key changed)",
      ]);
      expect(await column(p, 'Handset health')).toEqual(['missed heartbeat']);
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
