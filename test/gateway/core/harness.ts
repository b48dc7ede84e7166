// Test harness for the gateway core: the real SQLite store (in memory, or a file for restart tests), a fake
// LineBank that records what the core asks of it, a ManualClock, and builders for real wire inputs (TSR1
// reports signed with protocol/report, SMS-DELIVER PDUs from protocol/sms, NMEA from protocol/nmea).
import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { expect, onTestFinished } from 'vitest';
import { encodeGga, encodeRmc } from '../../../protocol/nmea/encoder.js';
import { decodeCommand } from '../../../protocol/report/tsc1.js';
import { encodeReportSync, type ReportFields } from '../../../protocol/report/tsr1.js';
import { ConsoleState } from '../../../protocol/schemas/console-state.js';
import { GatewayEvent } from '../../../protocol/schemas/events.js';
import { decodeSubmit, encodeDeliver } from '../../../protocol/sms/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { GatewayCore } from '../../../gateway/core/gateway-core.js';
import { isPublicEventType, publicLog } from '../../../gateway/core/public-log.js';
import type { CoreConfig } from '../../../gateway/core/state.js';
import type { HandsetRegistration } from '../../../gateway/http/actions.js';
import { createGatewayMetrics, type GatewayMetrics } from '../../../gateway/http/metrics.js';
import type { IncomingSms, LineActionResult, LineBank, LineHealthReport, SmsOptions } from '../../../gateway/lines/types.js';
import { openEventStore, type EventStore, type StoredEvent } from '../../../gateway/store/index.js';

export const START = Date.UTC(2026, 10, 23, 6, 0, 0);
export const HANDSET_ID = 'TS-0001';
export const HANDSET_NUMBER = '+447700900123';
export const KEY = new Uint8Array(32).map((_, i) => 0xa0 ^ i);
export const WRONG_KEY = new Uint8Array(32).map((_, i) => 0x5a ^ i);
export const ORDINARY_NUMBER = '+447700900999';

export const hmac = (key: Uint8Array, message: Uint8Array): Uint8Array => new Uint8Array(createHmac('sha256', key).update(message).digest());

export const CONFIG: CoreConfig = {
  countryCode: '44',
  tecsosRanges: [{ force: 'Thames Valley', first: '+447700901000', last: '+447700901999' }],
  retentionDays: 365,
  heartbeatGraceMinutes: 60,
};

export function registration(over: Partial<HandsetRegistration> = {}): HandsetRegistration {
  return {
    id: HANDSET_ID,
    number: HANDSET_NUMBER,
    imei: '356938035643809',
    key: KEY,
    force: 'Metropolitan Police',
    victim: { name: 'Jane Doe', safetyNotes: 'Abuser has keys to the flat.', riskMarkers: ['weapons'] },
    testMode: false,
    replace: false,
    ...over,
  };
}

/** A LineBank that records requests and answers as told. */
export class FakeLineBank implements LineBank {
  readonly answered: string[] = [];
  readonly hungUp: string[] = [];
  readonly sent: { pdu: string; tpduLength: number }[][] = [];
  result: LineActionResult = { ok: true, detail: 'OK' };
  sendResult: LineActionResult & { lineId: string | null } = { ok: true, detail: '+CMGS: 7', lineId: 'L1' };
  reports: LineHealthReport[] = [{ lineId: 'L1', spec: 'mock:L1', state: 'up', registration: 1, csq: 20, detail: '' }];

  async answer(lineId: string): Promise<LineActionResult> {
    this.answered.push(lineId);
    return this.result;
  }
  async hangUp(lineId: string): Promise<LineActionResult> {
    this.hungUp.push(lineId);
    return this.result;
  }
  /** As a line would: `stillWanted` is asked just before the (first) part is written. */
  async sendSms(parts: readonly { pdu: string; tpduLength: number }[], options: SmsOptions = {}) {
    const unwanted = options.stillWanted?.();
    if (unwanted !== undefined) return { ok: false, detail: `cancelled: ${unwanted}`, lineId: null };
    this.sent.push([...parts]);
    return this.sendResult;
  }
  health(): LineHealthReport[] {
    return this.reports;
  }
  async start(): Promise<void> {}
  async close(): Promise<void> {}
}

export type Rig = {
  clock: ManualClock;
  store: EventStore;
  core: GatewayCore;
  lines: FakeLineBank;
  metrics: GatewayMetrics;
  /** Every event a console-side subscriber got (through publicLog: internal events masked). */
  seen: StoredEvent[];
  /** Error log lines the core wrote (an event failing its schema, a store fault). */
  errors: string[];
  /** Every stored event, internal ones included. */
  all(): Promise<StoredEvent[]>;
  /** Public events of a type, as the subscriber saw them. */
  ofType(type: string): Record<string, unknown>[];
  /** Feeds SMS PDUs as line L1 received them; resolves once stored; returns the release flags. */
  sms(pdus: readonly string[], receivedAt?: number): Promise<boolean[]>;
  ring(number: string | null, lineId?: string, toa?: number): Promise<void>;
  /** Closes core and store. */
  stop(): Promise<void>;
};

/**
 * Between a rig's stop and the next start on the same file: keep the snapshot the stop saved, or remove it so
 * that the start rebuilds from the whole log.
 */
export function keepSnapshot(file: string, keep: boolean): void {
  const db = new Database(file);
  try {
    expect((db.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number }).n).toBe(1);
    if (!keep) db.exec('DELETE FROM snapshots');
  } finally {
    db.close();
  }
}

/** A temporary directory removed after the test. */
export function tmpDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tecsos-core-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function startRig(
  options: {
    file?: string;
    clock?: ManualClock;
    register?: HandsetRegistration[];
    config?: Partial<CoreConfig>;
    hmac?: typeof hmac;
    onStoreFailure?: (error: unknown) => void;
    /** GatewayCoreOptions.trustClockAt: the operator's --trust-clock=<time>. */
    trustClockAt?: number;
  } = {},
): Promise<Rig> {
  const clock = options.clock ?? new ManualClock(START);
  const store = openEventStore({ path: options.file ?? ':memory:' });
  const lines = new FakeLineBank();
  const metrics = createGatewayMetrics();
  const errors: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void errors.push(line) });
  const core = new GatewayCore({
    store,
    config: { ...CONFIG, ...options.config },
    clock,
    lines,
    metrics,
    logger,
    hmac: options.hmac ?? hmac,
    ...(options.onStoreFailure !== undefined && { onStoreFailure: options.onStoreFailure }),
    ...(options.trustClockAt !== undefined && { trustClockAt: options.trustClockAt }),
  });
  const seen: StoredEvent[] = [];
  publicLog(store).subscribe((events) => seen.push(...events));
  await core.start();
  const regs = options.register ?? [registration()];
  if (regs.length > 0) await core.importRegistrations(regs);
  let stopped = false;
  const rig: Rig = {
    clock,
    store,
    core,
    lines,
    metrics,
    seen,
    errors,
    all: () => store.readSince(0, 10_000),
    ofType: (type) => seen.filter((e) => e.event.type === type).map((e) => e.event as Record<string, unknown>),
    async sms(pdus, receivedAt) {
      const released = pdus.map(() => false);
      pdus.forEach((pdu, i) => {
        const sms: IncomingSms = {
          lineId: 'L1',
          pdu,
          index: i,
          receivedAt: receivedAt ?? clock.now(),
          release: async () => {
            released[i] = true;
          },
        };
        core.onSms(sms);
      });
      await core.idle();
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return released;
    },
    async ring(number, lineId = 'L1', toa = 145) {
      core.onCall({ kind: 'ringing', lineId, at: clock.now(), number, toa });
      await core.idle();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await core.stop();
      await store.close();
    },
  };
  onTestFinished(() => rig.stop());
  return rig;
}

/** NMEA for a fix at `timeMs` (CR/LF removed, as a TSR1 carries them). */
export function sentences(timeMs: number, lat = 51.5007, lon = -0.1218, hdop = 0.9, valid = true): { rmc: string; gga: string } {
  const fix = { timeMs, latitude: valid ? lat : NaN, longitude: valid ? lon : NaN, valid, speedKnots: 0.4, courseTrueDeg: 87, satellitesUsed: 9, hdop, altitudeM: 41 };
  return { rmc: encodeRmc(fix).trim(), gga: encodeGga(fix).trim() };
}

/** A signed TSR1 report text. */
export function report(fields: Partial<ReportFields> & { counter: number }, key = KEY, at = START): string {
  const s = sentences(at);
  return encodeReportSync({ handsetId: HANDSET_ID, event: 'ALM', batteryPct: 87, csq: 23, rmc: s.rmc, gga: s.gga, ...fields }, key, hmac);
}

/** SMS-DELIVER PDUs (one per part) carrying `text` from `from`. */
export function deliver(text: string, from = HANDSET_NUMBER, concatRef = 7): string[] {
  return encodeDeliver({ from, text, sentAt: START, smsc: '+447785016005', concatRef }).map((p) => p.pdu);
}

/** A console's state built from every public event the rig's subscriber saw (what a console would show). */
export function consoleOf(rig: Rig): ConsoleState {
  const s = new ConsoleState();
  for (const e of rig.seen) {
    if (e.redacted || !isPublicEventType(e.event.type)) continue;
    const { type, at, ...rest } = e.event;
    s.apply(GatewayEvent.parse({ ...rest, v: 1, seq: e.seq, at, type }));
  }
  return s;
}

/** The kinds of the TSC1 commands the rig's lines were asked to send, in order. */
export function sentKinds(rig: Rig): string[] {
  return rig.lines.sent.map((parts) => {
    const c = decodeCommand(parts.map((p) => decodeSubmit(p.pdu).text).join(''));
    return c.ok ? c.command.kind : 'undecodable';
  });
}

/** Asserts every public event a subscriber saw validates against protocol/schemas. */
export function invalidPublicEvents(seen: readonly StoredEvent[]): string[] {
  const bad: string[] = [];
  for (const e of seen) {
    if (e.redacted || !isPublicEventType(e.event.type)) continue;
    const { type, at, ...rest } = e.event;
    const r = GatewayEvent.safeParse({ ...rest, v: 1, seq: e.seq, at: typeof at === 'number' ? new Date(at).toISOString() : at, type });
    if (!r.success) bad.push(`${type}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  }
  return bad;
}

/**
 * The next SMS waits at its line until release() (behind the line's SMS reads: each AT+CMGR takes 0.05-0.2 s,
 * an AT+CMGS seconds). `written`: where it waits, before the line asks stillWanted (queued) or after (being
 * written, past the last check).
 */
export function holdNextSend(rig: Rig, where: 'queued' | 'written'): { release: () => void; asked: () => boolean } {
  const original = rig.lines.sendSms.bind(rig.lines);
  let release: () => void = () => {};
  let asked = false;
  const gate = new Promise<void>((r) => { release = r; });
  rig.lines.sendSms = async (parts, options = {}) => {
    asked = true;
    rig.lines.sendSms = original;
    if (where === 'queued') {
      await gate;
      return original(parts, options);
    }
    const r = await original(parts, options);
    await gate;
    return r;
  };
  return { release: () => release(), asked: () => asked };
}

/** Lets queued promise work and immediates run. */
export const ticks = async (n = 50) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };
