// The whole gateway (gateway/core/gateway-app.ts: store, projections, HTTP + WebSocket edge) in this process,
// with a line bank the caller controls: `CapturedLines` hands back the core as LineBankListener, so a test or
// a benchmark can feed IncomingSms and call events exactly as gateway/lines would (the serial layer excluded).
// Also: bulk registration of a large fleet and of many incidents straight into the log, and WebSocket consoles.
import { pino } from 'pino';
import type { Clock } from '../../protocol/time/clock.js';
import { GatewayConfigSchema } from '../../gateway/config/config.js';
import { startGateway, type GatewayApp, type LineBankFactory } from '../../gateway/core/gateway-app.js';
import { DEFAULT_FANOUT } from '../../gateway/fanout/fanout.js';
import type { HttpConfig } from '../../gateway/http/config.js';
import type { IncomingSms, LineActionResult, LineBank, LineBankListener, LineHealthReport } from '../../gateway/lines/types.js';
import { openEventStore, type EventStore, type NewEvent, type StoredEvent } from '../../gateway/store/index.js';
import { DEMO_PASSWORD } from './gateway-process.js';
import { SMSC, type FleetHandset } from './fleet.js';

export { DEMO_PASSWORD, SMSC };

/** A line bank with one line that is always up; what the core asks of it is recorded. */
export class CapturedLines implements LineBank {
  listener: LineBankListener | undefined;
  readonly answered: string[] = [];
  readonly hungUp: string[] = [];
  readonly sent: { pdu: string; tpduLength: number }[][] = [];
  private index = 0;

  async answer(lineId: string): Promise<LineActionResult> {
    this.answered.push(lineId);
    return { ok: true, detail: 'OK' };
  }
  async hangUp(lineId: string): Promise<LineActionResult> {
    this.hungUp.push(lineId);
    return { ok: true, detail: 'OK' };
  }
  async sendSms(parts: readonly { pdu: string; tpduLength: number }[]) {
    this.sent.push([...parts]);
    return { ok: true as const, detail: '+CMGS: 1', lineId: 'L1' };
  }
  health(): LineHealthReport[] {
    return [{ lineId: 'L1', spec: 'captured:L1', state: 'up', registration: 1, csq: 20, detail: 'captured' }];
  }
  async start(): Promise<void> {}
  async close(): Promise<void> {}

  /** Hands one SMS part to the core as line L1 received it; `released` resolves when the core releases it. */
  sms(pdu: string, receivedAt: number, lineId = 'L1'): { released: Promise<void> } {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const sms: IncomingSms = { lineId, pdu, index: this.index++ % 30, receivedAt, release: async () => release() };
    (this.listener as LineBankListener).onSms(sms);
    return { released };
  }
}

export type InProcessGateway = { app: GatewayApp; url: string; lines: CapturedLines; close(): Promise<void> };

/** Starts the gateway in this process on `db` (a file, or ':memory:'), HTTP on a free port, demo users on. */
export async function startInProcessGateway(options: {
  db: string;
  clock?: Clock;
  registry?: string;
  http?: Partial<HttpConfig>;
  lineBank?: LineBankFactory;
}): Promise<InProcessGateway> {
  const lines = new CapturedLines();
  const config = GatewayConfigSchema.parse({
    db: options.db,
    http: '127.0.0.1:0',
    demoUsers: true,
    demoPassword: DEMO_PASSWORD,
    ...(options.registry !== undefined && { registry: options.registry }),
  });
  const app = await startGateway({
    config,
    env: {},
    logger: pino({ level: 'silent' }),
    ...(options.clock !== undefined && { clock: options.clock }),
    http: { fanout: { ...DEFAULT_FANOUT, heartbeatMs: 2_000_000_000 }, ...options.http },
    lineBank:
      options.lineBank ??
      ((_specs, listener) => {
        lines.listener = listener;
        return lines;
      }),
  });
  return { app, url: app.url, lines, close: () => app.close() };
}

/**
 * Registers a large fleet by appending `handset.registered` events to the log before the gateway opens it
 * (the registry is a projection of exactly these events; importing 10,000 handsets one append at a time would
 * take minutes of fsyncs). The store must not be open elsewhere.
 */
export async function seedRegistrations(db: string, handsets: readonly FleetHandset[], at = new Date().toISOString()): Promise<void> {
  const store = openEventStore({ path: db });
  try {
    for (let i = 0; i < handsets.length; i += 1000) {
      await store.append(
        handsets.slice(i, i + 1000).map((h) => ({
          type: 'handset.registered',
          at,
          handsetId: h.id,
          number: h.number,
          imei: h.imei,
          keyHex: Buffer.from(h.key).toString('hex'),
          force: 'West Yorkshire Police',
          victim: { name: `Victim ${h.id}`, safetyNotes: 'Synthetic test record.', riskMarkers: [] },
          testMode: false,
          by: 'system',
        })),
      );
    }
  } finally {
    await store.close();
  }
}

/**
 * Appends incidents of `handsets` to the log before the gateway opens it (a year's closed incidents in a second;
 * through the core each would be an alarm and a close, one fsync each). Incident `i` (ids INC-000001.. in log
 * order) belongs to handset `i % handsets.length`, opens at `openedAt(i)` (ms) with 3 fixes in its first
 * 90 s; the first `closed` are acknowledged and closed 700 s after they open, the `open` after them stay open
 * (so `open` must not exceed the handsets, one open incident each). The store must not be open elsewhere.
 */
export async function seedIncidents(
  db: string,
  handsets: readonly FleetHandset[],
  options: { closed: number; open: number; openedAt: (i: number) => number },
): Promise<void> {
  const iso = (ms: number) => new Date(ms).toISOString();
  const store = openEventStore({ path: db });
  try {
    let batch: NewEvent[] = [];
    for (let i = 0; i < options.closed + options.open; i++) {
      const t = options.openedAt(i);
      const h = handsets[i % handsets.length] as FleetHandset;
      const incidentId = `INC-${String(i + 1).padStart(6, '0')}`;
      batch.push({ type: 'incident.opened', at: iso(t), incidentId, handsetId: h.id, cause: 'alarm', priority: 'tecsos', callId: null, force: 'West Yorkshire Police' });
      for (let k = 1; k <= 3; k++) {
        const at = iso(t + k * 30_000);
        batch.push({
          type: 'fix', at, incidentId, handsetId: h.id, callId: null, lat: h.lat + k * 1e-4, lon: h.lon, accuracyM: 4.5, fixTime: at, receivedAt: at,
          source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1.2, courseDeg: 87, sats: 9, hdop: 0.9, reportCounter: k,
        });
      }
      if (i < options.closed) {
        batch.push({ type: 'incident.acknowledged', at: iso(t + 60_000), incidentId, by: 'handler', note: 'units sent' });
        batch.push({ type: 'incident.closed', at: iso(t + 700_000), incidentId, by: 'handler', outcome: 'false-alarm' });
      }
      if (batch.length >= 1000) {
        await store.append(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await store.append(batch);
  } finally {
    await store.close();
  }
}

/** Every event of the log, paging past the store's 10,000-per-read limit. */
export async function readAll(store: Pick<EventStore, 'readSince'>): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await store.readSince(all.at(-1)?.seq ?? 0, 10_000);
    all.push(...page);
    if (page.length < 10_000) return all;
  }
}
