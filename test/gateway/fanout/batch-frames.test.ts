// The fan-out over real sockets, read byte by byte: a store commit of hundreds of events is written to each
// client as one run of frames (text-frames.ts), and the bytes must still be what RFC 6455 and the /ws
// protocol promise: every message its own complete text frame (FIN set, opcode 1, no RSV bits, unmasked),
// each frame one JSON message that parses as its protocol/schemas type, in seq order, per role view. And a
// client that stops reading is still closed with 4008 while a reading one gets everything. A client that
// asked for batches (`batch=1`) gets such a commit as `batch` messages of its role's events instead.
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { EventBatch, MAX_BATCH_EVENTS, WsServerMessage } from '../../../protocol/schemas/control.js';
import { GatewayEvent } from '../../../protocol/schemas/events.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import type { Role } from '../../../gateway/auth/roles.js';
import { receives } from '../../../gateway/fanout/audience.js';
import { Fanout, type FanoutLimits } from '../../../gateway/fanout/fanout.js';
import type { EventListener, StoredEvent } from '../../../gateway/store/event-store.js';

/** An event as the core commits it (every gateway event has its `at`). */
type NewEvent = StoredEvent['event'];

const AT = '2026-11-23T06:00:00.000Z';

/** The public events of one accepted TRK report (the fields gateway/reports/tsr1-intake.ts gives them). */
function reportEvents(n: number): NewEvent[] {
  const handsetId = `TS-${String(n % 50).padStart(4, '0')}`;
  return [
    { type: 'report.accepted', at: AT, handsetId, counter: n, event: 'TRK', batteryPct: 80, csq: 20, incidentId: 'inc-1', receivedAt: AT, fromNumber: '+447700900123', mac: 'Q2xhaW1lZE1BQw' },
    {
      type: 'fix', at: AT, incidentId: 'inc-1', handsetId, callId: null, lat: 53.8 + n * 1e-5, lon: -1.55, accuracyM: 7.5, fixTime: AT, receivedAt: AT, source: 'gps',
      gpsStatus: 'valid', amlMethod: null, speedKnots: 0.4, courseDeg: 231.5, sats: 9, hdop: 0.9, reportCounter: n,
    },
    { type: 'handset.status', at: AT, handsetId, batteryPct: 80, csq: 20, lastReportAt: AT, lastEvent: 'TRK', lastCounter: n },
  ];
}

/** A store stand-in: commit() appends and announces one batch, as the store's listener does. */
class Log {
  readonly events: StoredEvent[] = [];
  private listener: EventListener | undefined;
  commit(events: readonly NewEvent[]): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (const event of events) {
      const e: StoredEvent = { seq: this.events.length + 1, storedAt: 0, redacted: false, event };
      this.events.push(e);
      out.push(e);
    }
    this.listener?.(out);
    return out;
  }
  async readSince(after: number, limit = 1000): Promise<StoredEvent[]> {
    return this.events.filter((e) => e.seq > after).slice(0, limit);
  }
  async lastSeq(): Promise<number> {
    return this.events.length;
  }
  subscribe(l: EventListener): () => void {
    this.listener = l;
    return () => (this.listener = undefined);
  }
}

type Frame = { fin: boolean; rsv: number; opcode: number; masked: boolean; payload: Buffer; message?: Record<string, unknown> };

/** A WebSocket client on a bare TCP socket: the handshake, then every frame exactly as it came off the wire. */
class RawClient {
  readonly frames: Frame[] = [];
  private buf = Buffer.alloc(0);
  private upgraded = false;
  private last = 0;
  private waiters: { pred: () => boolean; resolve: () => void }[] = [];
  constructor(readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
  }

  static async open(port: number, role: Role, batch = false): Promise<RawClient> {
    const socket = net.connect(port, '127.0.0.1');
    await once(socket, 'connect');
    const c = new RawClient(socket);
    socket.write(
      `GET /ws?role=${role}${batch ? '&batch=1' : ''} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    await c.until(() => c.frames.some((f) => f.message?.['type'] === 'live'));
    return c;
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    if (!this.upgraded) {
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      expect(this.buf.subarray(0, end).toString()).toMatch(/^HTTP\/1\.1 101 /);
      this.upgraded = true;
      this.buf = this.buf.subarray(end + 4);
    }
    for (;;) {
      if (this.buf.length < 2) break;
      const b0 = this.buf[0] as number;
      const b1 = this.buf[1] as number;
      let len = b1 & 0x7f;
      let off = 2;
      if (len === 126) {
        if (this.buf.length < 4) break;
        len = this.buf.readUInt16BE(2);
        off = 4;
      } else if (len === 127) {
        if (this.buf.length < 10) break;
        len = Number(this.buf.readBigUInt64BE(2));
        off = 10;
      }
      const masked = (b1 & 0x80) !== 0;
      if (masked) off += 4;
      if (this.buf.length < off + len) break;
      const payload = Buffer.from(this.buf.subarray(off, off + len));
      const frame: Frame = { fin: (b0 & 0x80) !== 0, rsv: (b0 >> 4) & 7, opcode: b0 & 0x0f, masked, payload };
      if (frame.opcode === 1) frame.message = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
      if (typeof frame.message?.['seq'] === 'number') this.last = frame.message['seq'];
      if (frame.message?.['type'] === 'batch') this.last = (frame.message['events'] as { seq: number }[]).at(-1)?.seq ?? this.last;
      this.frames.push(frame);
      this.buf = this.buf.subarray(off + len);
    }
    this.waiters = this.waiters.filter((w) => (w.pred() ? (w.resolve(), false) : true));
  }

  until(pred: () => boolean): Promise<void> {
    if (pred()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ pred, resolve }));
  }

  /** The text frames, parsed (each frame's payload is one JSON message). */
  messages(): Record<string, unknown>[] {
    return this.frames.flatMap((f) => (f.message === undefined ? [] : [f.message]));
  }

  seqs(): number[] {
    return this.messages().filter((m) => typeof m['seq'] === 'number').map((m) => m['seq'] as number);
  }

  /** The seq of the last event message received. */
  lastSeq(): number {
    return this.last;
  }

  /** Code of the close frame received, if any. */
  closeCode(): number | undefined {
    const f = this.frames.find((x) => x.opcode === 8);
    return f === undefined ? undefined : f.payload.readUInt16BE(0);
  }
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** A real WebSocketServer (as gateway/http/ws-upgrade.ts makes it: no permessage-deflate) feeding the fan-out. */
async function serve(limits: Partial<FanoutLimits> = {}) {
  const log = new Log();
  const fanout = new Fanout({ log, clock: new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 1)), limits: { heartbeatMs: 60_000, ...limits } });
  await fanout.start();
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await once(wss, 'listening');
  wss.on('connection', (ws, req) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const role = query.get('role') as Role;
    fanout.attach(ws, { username: role, role, batch: query.get('batch') === '1' }, 0);
  });
  const clients: RawClient[] = [];
  cleanup = async () => {
    for (const c of clients) c.socket.destroy();
    fanout.stop();
    for (const ws of wss.clients) ws.terminate();
    await new Promise((r) => wss.close(r));
  };
  const port = (wss.address() as net.AddressInfo).port;
  const open = async (role: Role, batch = false) => {
    const c = await RawClient.open(port, role, batch);
    clients.push(c);
    return c;
  };
  return { log, fanout, open };
}

/** Every frame a complete unmasked text frame carrying one message of the /ws protocol. */
function expectProtocolFrames(c: RawClient): void {
  const data = c.frames.filter((f) => f.opcode !== 8);
  expect(data.length).toBeGreaterThan(0);
  const bad = data.filter((f) => !f.fin || f.rsv !== 0 || f.opcode !== 1 || f.masked || !WsServerMessage.safeParse(f.message).success);
  expect(bad.map((f) => ({ fin: f.fin, rsv: f.rsv, opcode: f.opcode, masked: f.masked, text: f.payload.toString() }))).toEqual([]);
}

describe('fan-out of a committed batch over real sockets', () => {
  it('sends a 600-event commit to two roles in seq order, each message its own frame that parses as its schema', async () => {
    const { log, open } = await serve();
    const handler = await open('call-handler');
    const engineer = await open('engineer');
    const batch: NewEvent[] = [];
    for (let n = 1; n <= 200; n++) batch.push(...reportEvents(n));
    batch.push({ type: 'line.health', at: AT, lineId: 'line1', port: 'mock:a', state: 'up', registration: 'home', signalCsq: 17, detail: '' });
    const stored = log.commit(batch);
    const last = stored.length;
    await handler.until(() => handler.lastSeq() === last);
    await engineer.until(() => engineer.lastSeq() === last);

    for (const [c, role] of [[handler, 'call-handler'], [engineer, 'engineer']] as const) {
      expectProtocolFrames(c);
      const expected = stored.filter((e) => receives(role, e.event.type));
      expect(c.seqs()).toEqual(expected.map((e) => e.seq));
      const events = c.messages().filter((x) => typeof x['seq'] === 'number');
      expect(events.filter((m) => !GatewayEvent.safeParse(m).success)).toEqual([]);
      expect(events.map((m) => [m['v'], m['type'], m['at']])).toEqual(expected.map((e) => [1, e.event.type, AT]));
    }
    // Call handlers get the whole report; engineers only the handset and line events, no positions.
    expect(handler.seqs()).toHaveLength(601);
    expect(engineer.messages().filter((m) => typeof m['seq'] === 'number').map((m) => m['type'])).toEqual([...Array<string>(200).fill('handset.status'), 'line.health']);
    expect(handler.messages().find((m) => m['type'] === 'fix')).toMatchObject({ lat: 53.8 + 1e-5, lon: -1.55, reportCounter: 1 });
  });

  it('closes a client that stops reading with 4008 after a gap-free prefix, while a reading client gets every event', async () => {
    const { log, fanout, open } = await serve({ maxBufferedBytes: 64 * 1024 });
    const slow = await open('supervisor');
    const fast = await open('supervisor');
    slow.socket.pause();
    let n = 0;
    // Commits of 900 events until the stalled client's queue, past what the kernel takes, trips the limit.
    for (let i = 0; i < 100 && fanout.stats.drops.slow === 0; i++) {
      const batch: NewEvent[] = [];
      for (let k = 0; k < 300; k++) batch.push(...reportEvents(++n));
      const last = log.commit(batch).at(-1)?.seq as number;
      await fast.until(() => fast.lastSeq() === last);
    }
    expect(fanout.stats.drops.slow).toBe(1);
    const last = log.commit(reportEvents(++n)).at(-1)?.seq as number;
    await fast.until(() => fast.lastSeq() === last);
    expect(fast.seqs()).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(fast.closeCode()).toBeUndefined();
    expectProtocolFrames(fast);

    slow.socket.resume();
    await slow.until(() => slow.closeCode() !== undefined);
    expect(slow.closeCode()).toBe(4008);
    const error = slow.messages().find((m) => m['type'] === 'error');
    const got = slow.seqs();
    expect(error).toMatchObject({ code: 'slow-consumer', lastSeq: got[got.length - 1] });
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
    expect(got.length).toBeLessThan(last);
    expectProtocolFrames(slow);
    expect(fanout.stats.clients).toBe(1);
  });
});

describe('live commits to a client that asked for batches (batch=1), over real sockets', () => {
  /** The event messages after `live`, one entry per WebSocket message: a batch's events, or a single event. */
  const liveMessages = (c: RawClient) => {
    const all = c.messages();
    return all.slice(all.findIndex((m) => m['type'] === 'live') + 1);
  };
  const eventsOf = (c: RawClient) => liveMessages(c).flatMap((m) => (m['type'] === 'batch' ? (m['events'] as Record<string, unknown>[]) : [m]));

  it('sends a multi-event commit as `batch` messages of the role\'s events (split at MAX_BATCH_EVENTS), each event as a plain client gets it', async () => {
    const { log, open } = await serve();
    const handler = await open('call-handler', true);
    const engineer = await open('engineer', true);
    const plainHandler = await open('call-handler');
    const plainEngineer = await open('engineer');
    const batch: NewEvent[] = [];
    for (let n = 1; n <= 200; n++) batch.push(...reportEvents(n));
    batch.push({ type: 'line.health', at: AT, lineId: 'line1', port: 'mock:a', state: 'up', registration: 'home', signalCsq: 17, detail: '' });
    const stored = log.commit(batch);
    for (const c of [handler, engineer, plainHandler, plainEngineer]) await c.until(() => c.lastSeq() === stored.length);

    for (const c of [handler, engineer]) {
      expectProtocolFrames(c);
      for (const m of liveMessages(c)) expect(EventBatch.safeParse(m).success).toBe(true);
    }
    // 601 events for call handlers: 500 + 101; engineers see 201 of them (no report, no position): one batch.
    expect(liveMessages(handler).map((m) => (m['events'] as unknown[]).length)).toEqual([MAX_BATCH_EVENTS, 601 - MAX_BATCH_EVENTS]);
    expect(liveMessages(engineer).map((m) => (m['events'] as unknown[]).length)).toEqual([201]);
    expect(eventsOf(handler).map((m) => m['seq'])).toEqual(stored.map((e) => e.seq));
    expect(eventsOf(engineer).map((m) => m['type'])).toEqual([...Array<string>(200).fill('handset.status'), 'line.health']);
    // Inside the batch, each event is exactly the message a client of the same role without batches gets.
    expect(eventsOf(handler)).toEqual(liveMessages(plainHandler));
    expect(eventsOf(engineer)).toEqual(liveMessages(plainEngineer));
    // Clients without batch=1: one message per event, as before.
    expect(liveMessages(plainHandler)).toHaveLength(601);
    expect(liveMessages(plainEngineer)).toHaveLength(201);
    expectProtocolFrames(plainHandler);
  });

  it('sends a commit of which the role sees one event as that event\'s own message', async () => {
    const { log, open } = await serve();
    const handler = await open('call-handler', true);
    const engineer = await open('engineer', true);
    // One report: three events for call handlers, only handset.status for engineers.
    const stored = log.commit(reportEvents(1));
    await handler.until(() => handler.lastSeq() === 3);
    await engineer.until(() => engineer.lastSeq() === 3);
    expect(liveMessages(handler).map((m) => m['type'])).toEqual(['batch']);
    expect(liveMessages(engineer)).toEqual([expect.objectContaining({ type: 'handset.status', seq: 3 })]);
    const line = log.commit([{ type: 'line.health', at: AT, lineId: 'line1', port: 'mock:a', state: 'up', registration: 'home', signalCsq: 17, detail: '' }]);
    const seq = (line[0] as StoredEvent).seq;
    await handler.until(() => handler.lastSeq() === seq);
    await engineer.until(() => engineer.lastSeq() === seq);
    for (const c of [handler, engineer]) {
      expectProtocolFrames(c);
      expect(liveMessages(c).at(-1)).toMatchObject({ v: 1, seq, type: 'line.health' });
    }
    expect(eventsOf(handler).map((m) => m['seq'])).toEqual([...stored, ...line].map((e) => e.seq));
  });
});
