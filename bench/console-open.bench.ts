// Console open: a call handler signs in to a gateway whose log already holds BENCH_CONSOLE_REPORTS accepted TRK
// reports of 1,000 handsets (each: report.accepted, fix, handset.status: 3 public events), and the real
// console (console/, built as `npm run build:console` does, in Debian's headless chromium) starts from the
// gateway's picture of the control room (`view=1`; before 24 Nov it replayed the log from seq 0;
// docs/console.md). Measured: login click -> the console stands at the last event.
//
// Then, in the same page, what the browser pays for the messages alone: a bare WebSocket that only counts
// the messages up to `live`, with one message per event (`/ws?since=0`), with the backlog in `batch` messages
// (`&batch=1`) and with the picture (`&batch=1&view=1`, what the console asks for; docs/api.md), alternated
// over two rounds.
//
// The log is written before the gateway starts, as after a restart: the gateway builds every role's picture
// from the whole log in the background as soon as it is live (gateway/fanout/console-views.ts; before 24 Nov
// the first console of each role waited for that build). Printed: the time from the start to the background
// build done (and the gateway's event-loop delay meanwhile), then the console's open, a while after the start.
// With BENCH_CONSOLE_AT_START=1 the console signs in at once instead, while the build runs (it joins it).
//
// Last, a shift change: BENCH_CONSOLE_SHIFT (default 10) consoles (bench/support/consoles.ts, in a worker
// thread, one message per event) sign in at once and replay the same log, while the gateway's event-loop
// delay is sampled: what an alarm's RING or SMS would wait meanwhile (the fan-out reads one backlog page per
// event-loop turn for all of them together; docs/api.md).
//
// The gateway is the real HTTP edge and SQLite store (test/browser/console-gateway.ts) with a fake core: no
// events are appended while measuring.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { buildConsole, CHROMIUM_ARGS, FakeCore, openTestStore, PASSWORD, startGateway } from '../test/browser/console-gateway.js';
import type { NewEvent } from '../gateway/store/event-store.js';
import { login } from '../test/support/gateway-process.js';
import { openConsoles } from './support/consoles.js';
import { envNumber, loadNow, machine, now, writeResult } from './support/common.js';

const REPORTS = envNumber('BENCH_CONSOLE_REPORTS', 20_000);
/** Consoles of the shift change (0: none). */
const SHIFT = process.env.BENCH_CONSOLE_SHIFT === '0' ? 0 : envNumber('BENCH_CONSOLE_SHIFT', 10);
/** 1: the console signs in right after the start, while the background build of the pictures runs. */
const AT_START = process.env.BENCH_CONSOLE_AT_START === '1';
/** Rounds of bare WebSockets (0: none, for the console's open alone; at 600,000 events a round takes minutes). */
const ROUNDS = process.env.BENCH_CONSOLE_ROUNDS === '0' ? 0 : envNumber('BENCH_CONSOLE_ROUNDS', 2);
const HANDSETS = 1000;

function history(from: number, to: number, t0: number): NewEvent[] {
  const out: NewEvent[] = [];
  for (let r = from; r < to; r++) {
    const handsetId = `TS-${String(r % HANDSETS).padStart(5, '0')}`;
    const at = new Date(t0 + r * 1000).toISOString();
    const counter = Math.floor(r / HANDSETS) + 1;
    out.push(
      { type: 'report.accepted', at, handsetId, counter, event: 'TRK', batteryPct: 80, csq: 20, incidentId: null, receivedAt: at, fromNumber: '+447700900001', mac: 'qMsP-c9HGHc' },
      {
        type: 'fix', at, incidentId: null, handsetId, callId: null, lat: 51.5 + (r % HANDSETS) * 1e-4, lon: -0.1, accuracyM: 4.5, fixTime: at, gpsStatus: 'valid',
        speedKnots: 1.2, courseDeg: 87, sats: 9, hdop: 0.9, receivedAt: at, source: 'gps', amlMethod: null, reportCounter: counter,
      },
      { type: 'handset.status', at, handsetId, batteryPct: 80, csq: 20, lastReportAt: at, lastEvent: 'TRK', lastCounter: counter },
    );
  }
  return out;
}

async function main(): Promise<void> {
  const conditions = machine();
  console.log(`console-open: ${REPORTS} TRK reports of ${HANDSETS} handsets (${REPORTS * 3} public events) in the log; one console signs in and starts from the picture (view=1); load average at start ${(conditions.loadAverageAtStart as number[]).join(' ')} on ${String(conditions.cpus)} cpus`);
  const dir = buildConsole();
  const { store } = await openTestStore();
  const t0 = Date.now() - REPORTS * 1000;
  for (let i = 0; i < REPORTS; i += 2000) await store.append(history(i, Math.min(REPORTS, i + 2000), t0));
  const last = await store.lastSeq();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  // The start, with the log already written (a restart); the event-loop delay from here to the console's open.
  const startDelay = monitorEventLoopDelay({ resolution: 1 });
  startDelay.enable();
  const started = now();
  const gw = await startGateway(store, new FakeCore(), dir);
  const listeningMs = Math.round(now() - started);
  // The background build of the pictures (absent before 24 Nov: nothing to wait for).
  const building = (gw.server.fanout as { picturesBuilt?: () => Promise<void> }).picturesBuilt?.();
  let builtMs: number | null = null;
  if (!AT_START && building !== undefined) {
    await building;
    builtMs = Math.round(now() - started);
  }
  console.log(`gateway start with the log written: listening after ${listeningMs} ms; ${builtMs === null ? 'no background build waited for' : `every role's picture built in the background ${builtMs} ms after the start`}`);
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(gw.url);
    await page.locator('#login-username').fill('handler');
    await page.locator('#login-password').fill(PASSWORD);
    const s = now();
    await page.locator('#login-submit').click();
    await page.waitForFunction((n) => Number(document.body.dataset['lastSeq']) >= n, last, { timeout: 900_000, polling: 50 });
    const openMs = Math.round(now() - s);
    startDelay.disable();
    const ms1 = (ns: number) => +(ns / 1e6).toFixed(1);
    const startLoop = { p50: ms1(startDelay.percentile(50)), p99: ms1(startDelay.percentile(99)), max: ms1(startDelay.max) };
    console.log(`console open (login click -> last event applied): ${openMs} ms, ${AT_START ? 'signing in right after the start' : `${Math.round(s - started)} ms after the start`}; gateway event-loop delay from the start to then p50 ${startLoop.p50} ms, p99 ${startLoop.p99} ms, max ${startLoop.max} ms`);

    // The browser's cost of the messages alone: count them, nothing else.
    const receive = (query: string) =>
      page.evaluate(
        (q) =>
          new Promise<{ messages: number; ms: number }>((resolve) => {
            const t = performance.now();
            let messages = 0;
            const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/ws?since=0${q}`);
            ws.onmessage = (m) => {
              messages++;
              if (typeof m.data === 'string' && m.data.startsWith('{"v":1,"type":"live"')) {
                ws.close();
                resolve({ messages, ms: Math.round(performance.now() - t) });
              }
            };
          }),
        query,
      );
    const rounds: { single: { messages: number; ms: number }; batch: { messages: number; ms: number }; view: { messages: number; ms: number } }[] = [];
    for (let k = 0; k < ROUNDS; k++) rounds.push({ single: await receive(''), batch: await receive('&batch=1'), view: await receive('&batch=1&view=1') });
    for (const r of rounds) {
      console.log(`bare WebSocket to live: one message per event ${r.single.messages} messages in ${r.single.ms} ms; batches ${r.batch.messages} messages in ${r.batch.ms} ms (${(r.single.ms / r.batch.ms).toFixed(1)}x); the picture ${r.view.messages} messages in ${r.view.ms} ms (${(r.single.ms / Math.max(1, r.view.ms)).toFixed(1)}x)`);
    }

    // Shift change: SHIFT consoles at once; the gateway thread's event-loop delay meanwhile (0: none).
    let shift = null;
    if (SHIFT > 0) {
      const cookie = await login(gw.url, 'handler', PASSWORD);
      const delay = monitorEventLoopDelay({ resolution: 1 });
      delay.enable();
      const t = now();
      const consoles = await openConsoles({ wsUrl: `${gw.url.replace('http', 'ws')}/ws?since=0`, cookie, origin: gw.url, count: SHIFT, capacity: last + 10 });
      const shiftMs = Math.round(now() - t);
      delay.disable();
      const counts = (await consoles.stats()).counts;
      await consoles.stop();
      const ms = (ns: number) => +(ns / 1e6).toFixed(1);
      shift = { consoles: SHIFT, msToAllLive: shiftMs, eventsEach: counts, eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) } };
      console.log(`shift change: ${SHIFT} consoles (worker thread) from seq 0 at once: all live after ${shiftMs} ms, events each ${Math.min(...counts)}-${Math.max(...counts)}; gateway event-loop delay p50 ${shift.eventLoopDelayMs.p50} ms, p99 ${shift.eventLoopDelayMs.p99} ms, max ${shift.eventLoopDelayMs.max} ms`);
    }
    writeResult('console-open', { conditions, reports: REPORTS, handsets: HANDSETS, publicEvents: last, listeningMs, picturesBuiltMs: builtMs, consoleAtStart: AT_START, consoleOpenMs: openMs, eventLoopDelayFromStartMs: startLoop, bareWebSocket: rounds, shift, loadAverageAtEnd: loadNow() });
  } finally {
    await browser.close();
    await gw.close();
    await store.close();
  }
}

await main();
