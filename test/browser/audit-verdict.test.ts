// The audit log's hash-chain verdict in the supervisor's overview, in the real console (Debian chromium) over the
// real edge and SQLite store. Found walking the overview (25 Nov): the verdict read "Hash chain verified." under
// "the newest 33 entries" (it verifies the whole log, not the entries listed, which a supervisor cannot tell), and
// a broken chain read only "HASH CHAIN BROKEN: tell the system owner.": not which entry, nor what was done to it,
// though the gateway says both (verification brokenAt and message), and the entry was in the list she was reading.
import Database from 'better-sqlite3';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventStore } from '../../gateway/store/event-store.js';
import { buildConsole, CHROMIUM_ARGS, FakeCore, openConsole, openTestStore, startGateway, type Gateway } from './console-gateway.js';

let browser: Browser;
let store: EventStore;
let file: string;
let gateway: Gateway;
const errors: string[] = [];

beforeAll(async () => {
  const consoleDir = buildConsole();
  ({ store, file } = await openTestStore());
  gateway = await startGateway(store, new FakeCore(), consoleDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  for (let i = 1; i <= 5; i++) await store.appendAudit({ actor: 'handler', action: 'incident.read', subject: `incident:inc-${i}` });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await store?.close();
});

it('says how many entries it verified, and which entry broke the chain and how', async () => {
  const sv = await openConsole(browser, gateway, 'super', 1600, 1000, errors);
  // A bound on waiting for the page (a loaded machine), not a timed assertion.
  const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
  /** The paragraph that gives the verdict, found and read in one turn (the overview is drawn anew every second). */
  const verdict = () => sv.evaluate(() => [...document.querySelectorAll<HTMLElement>('#supervisor-body p')].find((x) => /hash chain/i.test(x.innerText))?.innerText ?? 'no verdict');
  try {
    // The whole log at the time of the read: at least every entry up to the console's own read (its audit.read),
    // at most the log now. Not exactly either: the console's WebSocket subscription is audited too, before the read,
    // after it, or between the read's entry and its verification (gateway/http/routes/audit-routes.ts).
    await poll(verdict).toMatch(/^Hash chain verified: all \d+ entries, from the first\.$/);
    const verified = Number(/all (\d+) entries/.exec(await verdict())?.[1]);
    const all = await store.readAudit(0, 10_000);
    const atRead = all.map((e) => e.action).lastIndexOf('audit.read') + 1;
    // (The five entries written above and its own read at least: 6 or more.)
    expect({ atLeastToItsRead: verified >= atRead && atRead >= 6, atMostAll: verified <= all.length }).toEqual({ atLeastToItsRead: true, atMostAll: true });
    // Entry 4 (handler's read of inc-*) edited behind the gateway's back, as someone with the file could.
    const target = (await store.readAudit(0, 10_000)).find((e) => e.subject === 'incident:inc-4');
    expect(target).toBeDefined();
    const raw = new Database(file);
    try {
      raw.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
      raw.prepare(`UPDATE audit SET actor = 'nobody' WHERE seq = ?`).run(target?.seq);
    } finally {
      raw.close();
    }
    await sv.locator('#audit-refresh').click();
    await poll(verdict).toBe(`HASH CHAIN BROKEN: audit entry ${target?.seq}: its content does not match its hash (it was edited). Tell the system owner.`);
    // The broken entry is marked in the list.
    expect(await sv.evaluate(() => [...document.querySelectorAll<HTMLTableRowElement>('#supervisor-body table.audit tbody tr.warn')].map((tr) => tr.cells[1]?.innerText)))
      .toEqual(['nobody']);
  } finally {
    await sv.close();
  }
  expect(errors).toEqual([]);
}, 60_000);
