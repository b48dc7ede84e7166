// Test harness for the HTTP edge: the real SQLite store in memory, the real user directory over it, a fake
// core (FakeActions) and helpers to log in and to build valid protocol/schemas events.
import { pino } from 'pino';
import { LogUserDirectory } from '../../../gateway/auth/users.js';
import { hashPassword } from '../../../gateway/auth/password.js';
import type { Role } from '../../../gateway/auth/roles.js';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../../gateway/http/server.js';
import type { HttpConfig } from '../../../gateway/http/config.js';
import { openEventStore } from '../../../gateway/store/open-store.js';
import type { EventStore, NewEvent } from '../../../gateway/store/event-store.js';
import { FakeActions } from './fake-actions.js';

export const PASSWORD = 'correct horse battery staple';
/** Cheap scrypt for test users (the parameters travel with the hash; production uses N = 2^14). */
const CHEAP = { N: 1024, r: 8, p: 1 };

export const TEST_USERS: readonly { username: string; role: Role }[] = [
  { username: 'handler', role: 'call-handler' },
  { username: 'super', role: 'supervisor' },
  { username: 'eng', role: 'engineer' },
];

export type Edge = {
  server: HttpServer;
  store: EventStore;
  actions: FakeActions;
  users: LogUserDirectory;
  /** Logs in through the API; returns the Cookie header value. */
  login(username: string): Promise<string>;
  close(): Promise<void>;
};

export async function startEdge(
  options: { config?: Partial<HttpConfig>; store?: EventStore; wrapStore?: (s: EventStore) => HttpServerOptions['store']; consoleDir?: string; logger?: HttpServerOptions['logger'] } = {},
): Promise<Edge> {
  const store = options.store ?? openEventStore({ path: ':memory:' });
  const users = new LogUserDirectory(store, () => Date.now());
  await users.load(store);
  for (const u of TEST_USERS) {
    if (users.find(u.username) === undefined) {
      await users.create({ ...u, displayName: `Test ${u.username}`, passwordHash: await hashPassword(PASSWORD, CHEAP), by: 'test' });
    }
  }
  const actions = new FakeActions();
  const server = await createHttpServer({
    store: options.wrapStore ? options.wrapStore(store) : store,
    actions,
    users,
    logger: options.logger ?? pino({ level: 'silent' }),
    config: { port: 0, ...options.config },
    ...(options.consoleDir !== undefined && { consoleDir: options.consoleDir }),
  });
  return {
    server,
    store,
    actions,
    users,
    async login(username) {
      const r = await server.app.inject({ method: 'POST', url: '/api/login', payload: { username, password: PASSWORD } });
      if (r.statusCode !== 200) throw new Error(`login ${username}: ${r.statusCode} ${r.body}`);
      const set = String(r.headers['set-cookie']);
      return set.split(';')[0] as string;
    },
    async close() {
      await server.close();
      await store.close();
    },
  };
}

let callNo = 0;

/** A valid `call.ringing` event (protocol/schemas), about 250 bytes on the wire. */
export function ringing(at = new Date().toISOString()): NewEvent {
  callNo++;
  return {
    type: 'call.ringing',
    at,
    callId: `c${callNo}`,
    lineId: 'line1',
    callerNumber: '+447700900123',
    priority: 'tecsos',
    handsetId: 'TS-0001',
    incidentId: 'inc-1',
    force: 'Test Force',
  };
}

/** A valid `fix` event: a victim's position. */
export function fix(lat = 51.5072, lon = -0.1276): NewEvent {
  const now = new Date().toISOString();
  return {
    type: 'fix', at: now, incidentId: 'inc-1', handsetId: 'TS-0001', callId: null, lat, lon, accuracyM: 12,
    fixTime: now, receivedAt: now, source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1.5,
    courseDeg: 90, sats: 8, hdop: 0.9, reportCounter: 7,
  };
}

/** A valid `line.health` event. */
export function lineUp(): NewEvent {
  return { type: 'line.health', at: new Date().toISOString(), lineId: 'line1', port: 'tcp://127.0.0.1:7101', state: 'up', registration: 'home', signalCsq: 20, detail: 'registered' };
}
