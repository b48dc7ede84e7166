// End to end in a real browser: the whole gateway (store, core, HTTP + WebSocket edge: startGateway) with its
// lines on firmware-sim's simulated GSM network (test/gateway/e2e/network-line-bank.ts), a real simulated
// handset (firmware, GPS, battery, modem) provisioned from a manifest, and the console in Debian's chromium.
// Hold the button: the TecSOS call is at the top of the queue within 2 s of the alarm reaching the gateway;
// the track grows; accept (the real core sends ATA to the line) and close are confirmed by the core's events.
//
// startGateway does not take a console directory (yet), so the test adds a second HTTP edge, built exactly as
// startGateway builds its own (createHttpServer over publicLog(store), the same core, users and clock) plus
// `consoleDir`; the browser talks to that one. (Serving the files from playwright instead makes chromium's
// local-network-access checks refuse the WebSocket to 127.0.0.1.)
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../protocol/time/clock.js';
import { SeededRandom } from '../../protocol/time/random.js';
import { SimHandset } from '../../firmware-sim/handset/sim-handset.js';
import { SimNetwork } from '../../firmware-sim/network/index.js';
import { GatewayConfigSchema } from '../../gateway/config/config.js';
import { startGateway, type GatewayApp } from '../../gateway/core/gateway-app.js';
import { DEFAULT_FANOUT } from '../../gateway/fanout/fanout.js';
import { LogUserDirectory } from '../../gateway/auth/users.js';
import { publicLog } from '../../gateway/core/public-log.js';
import { createHttpServer } from '../../gateway/http/server.js';
import { tmpDir } from '../gateway/core/harness.js';
import { NetworkLineBank } from '../gateway/e2e/network-line-bank.js';
import { buildConsole, CHROMIUM_ARGS } from './console-gateway.js';

/** A bound on waiting for the page (a loaded 2-core machine; expect.poll's default gives up after 1 s), not a timed assertion. */
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

const HANDSET_NUMBER = '+447700900123';
const LINES = ['+441632960001', '+441632960002'];
const KEY = new Uint8Array(32).map((_, i) => 0x5a ^ (i * 11));
const PASSWORD = 'e2e-console-password';

let browser: Browser;
let consoleDir: string;

beforeAll(async () => {
  consoleDir = buildConsole();
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
});

describe('console end to end with firmware-sim and the whole gateway', () => {
  it('hold the button: TecSOS call at the top within 2 s of the alarm reaching the gateway; track; accept; close', async () => {
    const dir = tmpDir();
    const manifest = path.join(dir, 'sim-registry.json');
    writeFileSync(manifest, JSON.stringify({
      version: 1,
      handsets: [{
        id: 'TS-0042', number: HANDSET_NUMBER, imei: '356938035643809', key: Buffer.from(KEY).toString('hex'), force: 'Metropolitan Police',
        victim: { name: 'Jane Doe', safetyNotes: 'Abuser has keys. Hearing impaired.', riskMarkers: ['weapons', 'children-present'] },
      }],
    }));
    const clock = new ManualClock(Date.now());
    const random = new SeededRandom(11);
    const network = new SimNetwork({ clock, random, emergencyLines: LINES });
    const handset = new SimHandset({
      clock, random, network, msisdn: HANDSET_NUMBER,
      identity: { id: 'TS-0042', firmware: '1.0.0', imei: '356938035643809' },
      provision: { config: { gatewayNumber: LINES[0] as string }, key: KEY },
      route: { waypoints: [{ lat: 51.5007, lon: -0.1218, speedMps: 1.4 }, { lat: 51.5033, lon: -0.1195, speedMps: 1.4 }] },
      gps: { coldStartS: 20 },
      batteryPercent: 90,
    });
    const config = GatewayConfigSchema.parse({ db: path.join(dir, 'tecsos.db'), http: '127.0.0.1:0', registry: manifest, demoUsers: true, demoPassword: PASSWORD });
    const app: GatewayApp = await startGateway({
      config, env: {}, clock, logger: pino({ level: 'silent' }),
      // The manual clock jumps: no heartbeat termination of the browser's socket in this test.
      http: { fanout: { ...DEFAULT_FANOUT, heartbeatMs: 365 * 86_400_000 } },
      lineBank: (_specs, listener) => new NetworkLineBank(network, LINES, listener, clock),
    });
    /** Simulated time in 250 ms slices, letting I/O (the browser's WebSocket, playwright) run between them. */
    const run = async (ms: number) => {
      for (let t = 0; t < ms; t += 250) {
        await clock.advanceAsync(Math.min(250, ms - t), 50);
        await new Promise((r) => setImmediate(r));
      }
      await app.core.idle();
    };
    const users = new LogUserDirectory(app.store, () => clock.now());
    await users.load(app.store);
    const edge = await createHttpServer({
      store: publicLog(app.store), actions: app.core, users, clock, logger: pino({ level: 'silent' }), consoleDir,
      config: { port: 0, fanout: { ...DEFAULT_FANOUT, heartbeatMs: 365 * 86_400_000 } },
    });
    const url = await edge.listen();
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await handset.firmware.boot();
      await run(60_000);

      await page.goto(url);
      await page.locator('#login-username').fill('handler');
      await page.locator('#login-password').fill(PASSWORD);
      await page.locator('#login-submit').click();
      await page.locator('#conn[data-state="live"]').waitFor({ timeout: 5000 }).catch(async (e: unknown) => {
        throw new Error(`not live: conn=${await page.locator('#conn').innerText()} login=${await page.locator('#login-error').innerText()} errors=${errors.join('|')} ${String(e)}`);
      });

      let ringingStoredAt = 0;
      const unsubscribe = app.store.subscribe((events) => {
        for (const e of events) if (e.event.type === 'call.ringing' && e.event['priority'] === 'tecsos' && ringingStoredAt === 0) ringingStoredAt = Date.now();
      });
      const seen = page.locator('.queue-item[data-priority="tecsos"]:first-child').waitFor({ timeout: 30_000 }).then(() => Date.now());
      handset.button.setContact(true);
      await run(2100);
      handset.button.setContact(false);
      await run(10_000);
      const seenAt = await seen;
      unsubscribe();
      expect(ringingStoredAt).toBeGreaterThan(0);
      // The bound, in wall-clock time from the store commit to the row on screen.
      expect(seenAt - ringingStoredAt).toBeLessThan(2000);
      const top = page.locator('.queue-item').first();
      expect(await top.innerText()).toContain('TecSOS');
      expect(await top.innerText()).toContain('TS-0042');
      await poll(() => page.locator('.victim').innerText()).toContain('Hearing impaired');

      // Accept: the real core sends ATA on the line; call.answered confirms it.
      await page.locator('body').press('a');
      expect(await page.locator('#act-answer').innerText()).toMatch(/pending|Accept/);
      await run(3000);
      await poll(() => page.locator('#incident-state').innerText()).toContain('Call answered by handler');
      expect(await page.locator('#action-status').innerText()).toContain('confirmed by the gateway');

      // Two minutes of tracking: the drawn track grows.
      const drawnBefore = Number(await page.locator('.map-panel').getAttribute('data-drawn') ?? 0);
      await run(120_000);
      await poll(async () => Number(await page.locator('.map-panel').getAttribute('data-drawn'))).toBeGreaterThanOrEqual(drawnBefore + 3);
      await page.screenshot({ path: path.join(import.meta.dirname, '..', 'artifacts', 'console-e2e.png') });

      // Close with an outcome: incident.closed from the core.
      await page.locator('body').press('c');
      await page.locator('#close-outcome').selectOption('resolved-by-phone');
      await page.locator('#close-submit').click();
      await run(1000);
      await poll(() => page.locator('#incident-state').innerText()).toContain('Incident closed: resolved by phone');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await edge.close();
      await app.close();
    }
  }, 60_000);
});
