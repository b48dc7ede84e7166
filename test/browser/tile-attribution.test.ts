// A deployment's tile server and the credit its licence asks for (TECSOS_TILES_ATTRIBUTION, docs/operations.md):
// the map showed "Map tiles: deployment tile server" whatever the server was, so a console on OpenStreetMap's
// tiles did not credit OpenStreetMap as its licence requires. The credit is plain text from the configuration:
// Leaflet shows attributions as HTML, so the console escapes it (a config file is input like any other).
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogUserDirectory } from '../../gateway/auth/users.js';
import { createHttpServer } from '../../gateway/http/server.js';
import type { EventStore } from '../../gateway/store/event-store.js';
import { buildConsole, CHROMIUM_ARGS, FakeCore, openConsole, openTestStore, type Gateway } from './console-gateway.js';

const CREDIT = '© OpenStreetMap contributors <img src=x onerror=alert(1)> & <b>co</b>';
let browser: Browser;
let store: EventStore;
let gateway: Gateway;
const pageErrors: string[] = [];

beforeAll(async () => {
  const consoleDir = buildConsole();
  ({ store } = await openTestStore());
  const users = new LogUserDirectory(store, () => Date.now());
  await users.load(store);
  const server = await createHttpServer({
    store,
    sessions: store,
    actions: new FakeCore(),
    users,
    logger: pino({ level: 'silent' }),
    config: { port: 0, tiles: '/tiles/{z}/{x}/{y}.png', tilesAttribution: CREDIT },
    consoleDir,
  });
  gateway = { server, url: await server.listen(), close: () => server.close() };
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await store?.close();
});

describe('the map credits the deployment\'s tile server', () => {
  it('shows the configured credit as text, never as markup', async () => {
    const p = await openConsole(browser, gateway, 'handler', 1366, 768, pageErrors);
    try {
      const control = p.locator('.leaflet-control-attribution');
      await expect.poll(() => control.textContent(), { timeout: 15_000 }).toContain(CREDIT);
      expect(await control.locator('img, b').count()).toBe(0);
      expect(await control.textContent()).not.toContain('deployment tile server');
    } finally {
      await p.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
