// The supervisor's audit list in the real console (Debian chromium), over the real edge and store: one Refresh is
// one audited read (the audit log is kept for ever), and the list is still the newest 100 entries, newest first,
// with its own read at the top and when it was read.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventStore } from '../../gateway/store/event-store.js';
import { buildConsole, CHROMIUM_ARGS, FakeCore, openConsole, openTestStore, startGateway, type Gateway } from './console-gateway.js';

let browser: Browser;
let store: EventStore;
let gateway: Gateway;

beforeAll(async () => {
  const consoleDir = buildConsole();
  ({ store } = await openTestStore());
  gateway = await startGateway(store, new FakeCore(), consoleDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  // More than the list shows, so "the newest 100" is not the whole log.
  for (let i = 1; i <= 150; i++) await store.appendAudit({ actor: 'handler', action: 'incident.read', subject: `incident:inc-${i}` });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await store?.close();
});

const auditReads = async () => (await store.readAudit(0, 10_000)).filter((e) => e.action === 'audit.read').length;

it('one Refresh writes one audit.read entry and lists the newest 100, its own read first, with the time it was read', async () => {
  const sv = await openConsole(browser, gateway, 'super', 1600, 1000);
  let requests = 0;
  sv.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/audit') requests++;
  });
  const overview = sv.locator('#supervisor-body');
  // A bound on waiting for the page (a loaded machine), not a timed assertion.
  const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });
  /** The audit table's rows (actor, action, subject), found and read in one turn: the overview re-draws each second. */
  const rows = () => sv.evaluate(() => [...document.querySelectorAll('#supervisor-body table.audit tbody tr')]
    .map((tr) => [...tr.querySelectorAll('td')].slice(1, 4).map((td) => td.textContent).join(' ')));
  await poll(() => overview.innerText()).toContain('Hash chain verified: all ');
  for (let refresh = 1; refresh <= 2; refresh++) {
    const before = await auditReads();
    const asked = requests;
    // The read is audited before its answer goes out: once the answer is in, its entry is stored.
    await Promise.all([
      sv.waitForResponse((r) => new URL(r.url()).pathname === '/api/audit'),
      sv.locator('#audit-refresh').click(),
    ]);
    const newest = (await store.readAudit(0, 10_000)).slice(-100).reverse().map((e) => `${e.actor} ${e.action} ${e.subject}`);
    await poll(rows).toEqual(newest);
    expect((await rows())[0]).toBe('super audit.read audit:newest');
    expect(await auditReads() - before, `refresh ${refresh}: audit.read entries written`).toBe(1);
    expect(requests - asked, `refresh ${refresh}: GET /api/audit requests`).toBe(1);
    await poll(() => sv.locator('#supervisor-body [aria-busy="true"]').count()).toBe(0);
    expect(await sv.locator('#audit-read-at').innerText()).toMatch(/^Read \d+:\d\d ago \(\d\d:\d\d:\d\d\)\.$/);
  }
}, 60_000);
