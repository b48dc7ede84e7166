// A real gateway HTTP edge (createHttpServer, gateway/http) over a real SQLite event store in a temp dir, with
// a fake core (the GatewayActions the edge calls) that records every command and never emits events itself:
// the test appends the protocol/schemas events a real core would, so each confirmation is under its control.
// Used until a whole gateway + firmware-sim stack drives the browser test.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { pino } from 'pino';
import type { IncidentView } from '../../protocol/schemas/views.js';
import type { VictimRecord } from '../../protocol/schemas/handsets.js';
import { hashPassword } from '../../gateway/auth/password.js';
import { LogUserDirectory } from '../../gateway/auth/users.js';
import type {
  AcknowledgeRequest, ActionResult, Actor, CallView, CloseIncidentRequest, GatewayActions, GatewayHealth, HandsetCommand,
  HandsetHealth, HandsetRegistration, HandsetView, IncidentFilter, Track,
} from '../../gateway/http/actions.js';
import { createHttpServer, type HttpServer } from '../../gateway/http/server.js';
import { openEventStore } from '../../gateway/store/open-store.js';
import type { EventStore, NewEvent } from '../../gateway/store/event-store.js';
import { login } from '../support/gateway-process.js';

export const PASSWORD = 'correct horse battery staple';
/** DEVELOPERS.md: Debian's chromium under playwright. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Builds the console bundle into a fresh temp dir (the same script as `npm run build:console`). */
export function buildConsole(): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'tecsos-console-dist-'));
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build-console.mjs'), '--outdir', outdir], { stdio: 'pipe' });
  return outdir;
}

export type Recorded = { readonly method: string; readonly id: string; readonly args: readonly unknown[] };

/** The fake core: victims by incident, every command recorded and accepted (202) unless the incident is closed. */
export class FakeCore implements GatewayActions {
  readonly recorded: Recorded[] = [];
  readonly victims = new Map<string, { handsetId: string; victim: VictimRecord }>();
  /** `method:id` -> the refusal the core gives (e.g. a call that already ended: 409). */
  readonly refusals = new Map<string, { error: 'not_found' | 'conflict' | 'unavailable'; message: string }>();
  private seq = 100_000;

  private command(method: string, id: string, ...args: unknown[]): ActionResult {
    this.recorded.push({ method, id, args });
    const refusal = this.refusals.get(`${method}:${id}`);
    if (refusal) return { ok: false, ...refusal };
    return { ok: true, seq: ++this.seq };
  }

  async listIncidents(_f: IncidentFilter): Promise<readonly IncidentView[]> {
    return [];
  }
  async getIncident(id: string): Promise<IncidentView | undefined> {
    const v = this.victims.get(id);
    if (v === undefined) return undefined;
    return {
      id, handsetId: v.handsetId, state: 'open', cause: 'alarm', priority: 'tecsos', force: 'Test Force', openedAt: new Date().toISOString(),
      acknowledgedAt: null, acknowledgedBy: null, closedAt: null, closedBy: null, outcome: null, tracking: true, callIds: [], lastFix: null,
      handset: { batteryPct: 64, csq: 18, lastReportAt: new Date().toISOString() }, victim: v.victim,
    };
  }
  async track(_id: string): Promise<Track | undefined> {
    return undefined;
  }
  async acknowledge(id: string, r: AcknowledgeRequest, by: Actor) { return this.command('acknowledge', id, r, by); }
  async close(id: string, r: CloseIncidentRequest, by: Actor) { return this.command('close', id, r, by); }
  async stopTracking(id: string, by: Actor) { return this.command('stopTracking', id, by); }
  async locate(id: string, by: Actor) { return this.command('locate', id, by); }
  async listCalls(): Promise<readonly CallView[]> { return []; }
  async answer(id: string, by: Actor) { return this.command('answer', id, by); }
  async hangup(id: string, by: Actor) { return this.command('hangup', id, by); }
  async registerHandset(_r: HandsetRegistration, _by: Actor): Promise<ActionResult<{ readonly handset: HandsetView }>> {
    return { ok: false, error: 'conflict', message: 'not in this fake' };
  }
  async listHandsets(): Promise<readonly HandsetView[]> { return []; }
  async handsetHealth(): Promise<readonly HandsetHealth[]> { return []; }
  async sendCommand(id: string, c: HandsetCommand, by: Actor) { return this.command('sendCommand', id, c, by); }
  health(): GatewayHealth { return { linesUp: 1, linesTotal: 1, storeOk: true }; }
}

export type Gateway = { server: HttpServer; url: string; close(): Promise<void> };

/** A store file in a temp dir with the users handler, super and eng (cheap scrypt: the parameters travel with the hash). */
export async function openTestStore(): Promise<{ store: EventStore; file: string }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'tecsos-console-db-')), 'tecsos.db');
  const store = openEventStore({ path: file });
  const users = new LogUserDirectory(store, () => Date.now());
  await users.load(store);
  for (const [username, role] of [['handler', 'call-handler'], ['super', 'supervisor'], ['eng', 'engineer']] as const) {
    await users.create({ username, role, displayName: `Test ${username}`, passwordHash: await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 }), by: 'test' });
  }
  return { store, file };
}

/** Starts the edge on a free port over `store`, serving the console from `consoleDir`. */
export async function startGateway(store: EventStore, core: FakeCore, consoleDir: string, port = 0): Promise<Gateway> {
  const users = new LogUserDirectory(store, () => Date.now());
  await users.load(store);
  // Sessions kept in the store, as gateway/core/gateway-app.ts wires them: they survive a restart of the edge.
  const server = await createHttpServer({ store, sessions: store, actions: core, users, logger: pino({ level: 'silent' }), config: { port }, consoleDir });
  const url = await server.listen();
  return { server, url, close: () => server.close() };
}

/** What most browser test files work on: the console built, a test store, the edge on it with `core`, chromium. */
export interface BrowserWorld {
  readonly core: FakeCore;
  browser: Browser;
  store: EventStore;
  gateway: Gateway;
}

/**
 * Registers the file's beforeAll (build the console, open a test store, start the edge, launch Debian's chromium)
 * and afterAll (close them); the fields are set once the file's tests run.
 */
export function browserWorld(core: FakeCore = new FakeCore()): BrowserWorld {
  const world = { core } as BrowserWorld;
  beforeAll(async () => {
    const consoleDir = buildConsole();
    ({ store: world.store } = await openTestStore());
    world.gateway = await startGateway(world.store, core, consoleDir);
    world.browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.gateway?.close();
    await world.store?.close();
  });
  return world;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** protocol/schemas events, as the gateway core would append them. */
export const ev = {
  ringing(callId: string, priority: 'tecsos' | 'tecsos-unregistered' | 'ordinary' | 'test', at: number, extra: Partial<Record<string, unknown>> = {}): NewEvent {
    return {
      type: 'call.ringing', at: iso(at), callId, lineId: 'line1', callerNumber: '+447700900123', priority,
      handsetId: null, incidentId: null, force: null, ...extra,
    };
  },
  opened(incidentId: string, handsetId: string, callId: string | null, at: number): NewEvent {
    return { type: 'incident.opened', at: iso(at), incidentId, handsetId, cause: 'alarm', priority: 'tecsos', callId, force: 'Test Force' };
  },
  status(handsetId: string, at: number): NewEvent {
    return { type: 'handset.status', at: iso(at), handsetId, batteryPct: 64, csq: 18, lastReportAt: iso(at), lastEvent: 'ALM', lastCounter: 7 };
  },
  fix(incidentId: string, handsetId: string, i: number, at: number): NewEvent {
    return {
      type: 'fix', at: iso(at), incidentId, handsetId, callId: null, lat: 51.5072 + i * 0.0004, lon: -0.1276 + i * 0.0006, accuracyM: 12,
      fixTime: iso(at), receivedAt: iso(at), source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 2.5, courseDeg: 45,
      sats: 8, hdop: 0.9, reportCounter: 7 + i,
    };
  },
  answered(callId: string, by: string): NewEvent {
    return { type: 'call.answered', callId, lineId: 'line1', by };
  },
  closed(incidentId: string, by: string, outcome: string): NewEvent {
    return { type: 'incident.closed', incidentId, by, outcome };
  },
};

/**
 * A console page signed in as `username` (a REST login's session cookie), live, in a context of its own that
 * closes with the page; the page's errors go to `errors` when given.
 */
export async function openConsole(browser: Browser, gateway: Gateway, username: string, width: number, height: number, errors?: string[]): Promise<Page> {
  const cookie = await login(gateway.url, username, PASSWORD);
  const [name, value] = cookie.split('=') as [string, string];
  const context = await browser.newContext({ viewport: { width, height } });
  await context.addCookies([{ name, value, url: gateway.url }]);
  const p = await context.newPage();
  if (errors !== undefined) p.on('pageerror', (e) => errors.push(e.message));
  // Its context goes with it; the browser may be closing already (afterAll), which is no failure.
  p.on('close', () => void context.close().catch(() => undefined));
  await p.goto(gateway.url);
  await p.locator('#conn[data-state="live"]').waitFor();
  return p;
}

/**
 * Selects her call in the queue and waits until the incident panel shows it: clicked again until it does (a row
 * rebuilt by an event between the locator and the click loses the click). A bound on waiting, not a timed assertion.
 */
export async function selectCall(p: Page, call: string): Promise<void> {
  await expect.poll(async () => {
    if ((await p.locator('#incident-body').getAttribute('data-call')) !== call) await p.locator(`.queue-item[data-key="call:${call}"] button`).click();
    return p.locator('#incident-body').getAttribute('data-call');
  }, { timeout: 15_000 }).toBe(call);
}
