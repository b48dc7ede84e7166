// A console that signs in on a log that already holds a day's work starts from the gateway's picture of the
// control room (`view=1`, docs/console.md), not from every event: the real console in Debian's chromium
// against the real HTTP edge and SQLite store. It must show exactly what replaying every event shows (the
// TecSOS call ringing now; test/gateway/fanout/console-views.test.ts compares the states whole), count every event once,
// and go on with live events after the picture.
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayEvent } from '../../protocol/schemas/events.js';
import type { EventStore, NewEvent } from '../../gateway/store/event-store.js';
import { buildConsole, CHROMIUM_ARGS, ev, FakeCore, openConsole, openTestStore, startGateway, type Gateway } from './console-gateway.js';

/** A bound on waiting for the page (a loaded 2-core machine; expect.poll's default gives up after 1 s), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

let browser: Browser;
let store: EventStore;
let gateway: Gateway;
const errors: string[] = [];

/** Every stored event a call handler receives. */
async function handlerEvents(): Promise<number> {
  const all = await store.readSince(0, 10_000);
  return all.filter((e) => GatewayEvent.safeParse({ v: 1, seq: e.seq, ...e.event }).success).length;
}

beforeAll(async () => {
  const consoleDir = buildConsole();
  ({ store } = await openTestStore());
  const t0 = Date.now() - 3_600_000;
  const day: NewEvent[] = [];
  // 80 ordinary calls that rang and ended: the console keeps the newest 50.
  for (let i = 0; i < 80; i++) {
    day.push(ev.ringing(`c-old-${i}`, 'ordinary', t0 + i * 1000), { type: 'call.ended', at: new Date(t0 + i * 1000 + 500).toISOString(), callId: `c-old-${i}`, lineId: 'line1', endedBy: 'caller', by: null, talkSeconds: null });
  }
  day.push(ev.opened('inc-7', 'TS-0007', null, t0 + 100_000), ev.status('TS-0007', t0 + 100_000));
  for (let i = 0; i < 5; i++) day.push(ev.fix('inc-7', 'TS-0007', i, t0 + 100_000 + i * 30_000));
  day.push(ev.ringing('c-now', 'tecsos', Date.now() - 5000, { handsetId: 'TS-0007', incidentId: 'inc-7', force: 'Test Force' }));
  await store.append(day);
  gateway = await startGateway(store, new FakeCore(), consoleDir);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await store?.close();
});

describe('console opening on a long log', () => {
  it('starts from the picture: at the last seq, the call ringing now shown, every event counted once, live after it', async () => {
    const page = await openConsole(browser, gateway, 'handler', 1600, 1000, errors);
    expect(gateway.server.fanout.stats.views).toBe(1);
    const head = await store.lastSeq();
    expect(Number(await page.locator('body').getAttribute('data-last-seq'))).toBe(head);
    expect(Number(await page.locator('body').getAttribute('data-applied'))).toBe(await handlerEvents());
    await page.locator('.queue-item[data-key="call:c-now"]').waitFor();
    expect(await page.locator('.queue-item[data-key="call:c-now"]').innerText()).toContain('TecSOS');
    const state = await page.evaluate(() => document.body.dataset['applied']);
    expect(Number(state)).toBeGreaterThan(160);
    // Live after the picture: a new event shows, once.
    await store.append([ev.fix('inc-7', 'TS-0007', 9, Date.now())]);
    await poll(async () => Number(await page.locator('body').getAttribute('data-last-seq'))).toBe(head + 1);
    expect(Number(await page.locator('body').getAttribute('data-applied'))).toBe(await handlerEvents());
    expect(errors).toEqual([]);
    await page.close();
  });
});
