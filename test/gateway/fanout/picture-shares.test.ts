// Consoles opening together share one text of their picture (gateway/fanout/picture-shares.ts), and each is still
// sent exactly what it was sent when it made its own: the same frames, byte for byte (JSON.stringify of each
// `view` message, as one unfragmented text frame), in the same order, then the events after the picture once.
import { EventEmitter } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { VIEW_PART_CHARS } from '../../../protocol/schemas/control.js';
import { ConsoleState } from '../../../protocol/schemas/console-state.js';
import { ConsoleView, GatewayEvent } from '../../../protocol/schemas/index.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { Fanout } from '../../../gateway/fanout/fanout.js';
import { toWire } from '../../../gateway/fanout/wire.js';
import type { EventListener, StoredEvent } from '../../../gateway/store/event-store.js';

const T0 = Date.parse('2026-11-20T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const NOW = Date.UTC(2026, 10, 24, 6, 0, 1);

/** A log in memory; `purge` redacts every fix and counts a purge, as the store's retention does. */
class Log {
  readonly events: StoredEvent[] = [];
  purges = 0;
  private listener: EventListener | undefined;
  add(event: StoredEvent['event']): StoredEvent {
    const e: StoredEvent = { seq: this.events.length + 1, storedAt: 0, redacted: false, event };
    this.events.push(e);
    return e;
  }
  commit(events: StoredEvent['event'][]): void {
    this.listener?.(events.map((e) => this.add(e)));
  }
  purgeFixes(): void {
    for (let i = 0; i < this.events.length; i++) {
      const e = this.events[i] as StoredEvent;
      if (e.event.type === 'fix') this.events[i] = { ...e, redacted: true };
    }
    this.purges++;
  }
  async readSince(after: number, limit = 1000): Promise<StoredEvent[]> {
    await Promise.resolve();
    return this.events.slice(after, after + limit);
  }
  async lastSeq(): Promise<number> {
    return this.events.length;
  }
  subscribe(l: EventListener): () => void {
    this.listener = l;
    return () => (this.listener = undefined);
  }
}

/**
 * Open incidents with tracks, and handsets whose health text is not ASCII (é, — and 🔧 outside the BMP), `pad`
 * characters more in the first: a picture of several parts, of more UTF-8 bytes than characters.
 */
function history(log: Log, pad: number): void {
  for (let i = 0; i < 10; i++) {
    const incidentId = `INC-${String(i + 1).padStart(6, '0')}`;
    const handsetId = `TS-${String(i + 1).padStart(4, '0')}`;
    log.add({ type: 'incident.opened', at: iso(T0 + i), incidentId, handsetId, cause: 'alarm', priority: 'tecsos', callId: null, force: 'West Yorkshire Police' });
    for (let k = 0; k < 10; k++) {
      const t = T0 + 60_000 + k * 30_000 + i;
      log.add({
        type: 'fix', at: iso(t), incidentId, handsetId, callId: null, lat: 53.79 + k * 1e-5, lon: -1.54, accuracyM: 5, fixTime: iso(t - 2000), receivedAt: iso(t),
        source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1.2, courseDeg: 90, sats: 8, hdop: 1, reportCounter: k + 1,
      });
    }
  }
  for (let h = 0; h < 1200; h++) {
    const detail = `${h === 0 ? 'x'.repeat(pad) : ''}Ünit ${h} — ${'🔧'.repeat(200)}`;
    log.add({ type: 'handset.health', at: iso(T0 + h), handsetId: `TS-${String(h + 1).padStart(4, '0')}`, problem: 'tamper', lastHeartbeatAt: null, batteryPct: 10, detail });
  }
}

/** What a call handler's console gets of `events` (every one of them is operational). */
function replay(events: readonly StoredEvent[], upTo: number): ConsoleState {
  const state = new ConsoleState();
  for (const e of events) if (e.seq <= upTo && !e.redacted) state.apply(GatewayEvent.parse(toWire(e)));
  return state;
}

/**
 * The `view` messages a console was sent before 24 Nov for the picture after `seq`, at `at`: JSON.stringify of
 * the picture cut into VIEW_PART_CHARS characters, each part in JSON.stringify of its message.
 */
function viewMessages(state: ConsoleState, seq: number, at: string): string[] {
  const text = JSON.stringify(state.view());
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += VIEW_PART_CHARS) parts.push(text.slice(i, i + VIEW_PART_CHARS));
  return parts.map((text, part) => JSON.stringify({ v: 1, type: 'view', at, seq, part, parts: parts.length, text }));
}

/** A server frame: FIN, text opcode, unmasked, the shortest length form (RFC 6455 5.2). */
function textFrame(payload: Buffer): Buffer {
  const n = payload.length;
  const head = n < 126 ? Buffer.from([0x81, n]) : n < 65536 ? Buffer.from([0x81, 126, n >> 8, n & 255]) : Buffer.alloc(10);
  if (n >= 65536) {
    head[0] = 0x81;
    head[1] = 127;
    head.writeBigUInt64BE(BigInt(n), 2);
  }
  return Buffer.concat([head, payload]);
}

/** A WebSocket client on a bare TCP socket: every frame as it came on the wire, up to `live`. */
function rawClient(port: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let upgraded = false;
    const frames: Buffer[] = [];
    socket.on('error', reject);
    socket.on('connect', () =>
      socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n'),
    );
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        upgraded = true;
        buf = buf.subarray(end + 4);
      }
      for (;;) {
        if (buf.length < 2) return;
        const len7 = (buf[1] as number) & 127;
        const headLen = len7 < 126 ? 2 : len7 === 126 ? 4 : 10;
        if (buf.length < headLen) return;
        const len = len7 < 126 ? len7 : len7 === 126 ? buf.readUInt16BE(2) : Number(buf.readBigUInt64BE(2));
        if (buf.length < headLen + len) return;
        const frame = Buffer.from(buf.subarray(0, headLen + len));
        buf = buf.subarray(headLen + len);
        frames.push(frame);
        if (frame.subarray(headLen).toString().startsWith('{"v":1,"type":"live"')) {
          socket.destroy();
          resolve(frames);
          return;
        }
      }
    });
  });
}

class FakeSocket extends EventEmitter {
  readonly text: Record<string, unknown>[] = [];
  bufferedAmount = 0;
  /** Set: writes are not taken by the kernel until `drain()` (a console reading slowly). */
  held: (() => void)[] | undefined;
  send(data: Buffer | string, opts?: unknown, cb?: () => void): void {
    const done = typeof opts === 'function' ? (opts as () => void) : cb;
    this.text.push(JSON.parse(data.toString()) as Record<string, unknown>);
    if (this.held === undefined) done?.();
    else if (done !== undefined) this.held.push(done);
  }
  drain(): void {
    const held = this.held ?? [];
    this.held = undefined;
    this.bufferedAmount = 0;
    for (const d of held) d();
  }
  close(code: number): void {
    this.emit('close', code, Buffer.alloc(0));
  }
  terminate(): void {
    this.emit('close', 1006, Buffer.alloc(0));
  }
  ping(): void {}
}

/** The state a console builds from what it was sent: its picture, then the events after it. */
function consoleOf(ws: FakeSocket): { state: ConsoleState; pictureSeq: number; after: number[] } {
  const state = new ConsoleState();
  const parts: string[] = [];
  let pictureSeq = -1;
  const after: number[] = [];
  for (const m of ws.text) {
    if (m['type'] === 'view') {
      parts.push(m['text'] as string);
      if (parts.length === m['parts']) {
        pictureSeq = m['seq'] as number;
        state.restore(ConsoleView.parse(JSON.parse(parts.join(''))), pictureSeq);
      }
    } else if (typeof m['seq'] === 'number') {
      after.push(m['seq'] as number);
      state.apply(GatewayEvent.parse(m));
    }
  }
  return { state, pictureSeq, after };
}

const flush = async () => {
  for (let turn = 0; turn < 400; turn++) {
    for (let i = 0; i < 20; i++) await Promise.resolve();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
};

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanup) c();
  cleanup = [];
  vi.restoreAllMocks();
});

async function started(log: Log): Promise<Fanout> {
  const fanout = new Fanout({ log, clock: new ManualClock(NOW), purges: () => log.purges, limits: { pageSize: 500, heartbeatMs: 600_000 }, pictureDelayMs: 0 });
  await fanout.start();
  await fanout.picturesBuilt();
  cleanup.push(() => fanout.stop());
  return fanout;
}

describe('consoles opening together share their picture\'s text', () => {
  it('every console gets the frames it got when each made its own, byte for byte: JSON.stringify of each view message, one text frame each', { timeout: 60_000 }, async () => {
    // A part's boundary inside a character outside the BMP (its JSON then escapes the lone half) and in UTF-8 text.
    let log = new Log();
    for (let pad = 0; pad < 2; pad++) {
      log = new Log();
      history(log, pad);
      const text = JSON.stringify(replay(log.events, log.events.length).view());
      const c = text.charCodeAt(VIEW_PART_CHARS - 1);
      if (c >= 0xd800 && c <= 0xdbff) break;
    }
    const head = log.events.length;
    const state = replay(log.events, head);
    expect(JSON.stringify(state.view()).charCodeAt(VIEW_PART_CHARS - 1)).toBeGreaterThanOrEqual(0xd800);
    const fanout = await started(log);
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => wss.close());
    await new Promise((resolve) => wss.once('listening', resolve));
    wss.on('connection', (ws) => fanout.attach(ws, { username: 'h', role: 'call-handler', batch: true, view: true }, 0));
    const port = (wss.address() as AddressInfo).port;

    const got = await Promise.all(Array.from({ length: 4 }, () => rawClient(port)));
    const expected = viewMessages(state, head, iso(NOW)).map((m) => textFrame(Buffer.from(m, 'utf8')));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    for (const frames of got) {
      // hello, the picture's parts, live: nothing else (no event came after the picture).
      expect(frames.length).toBe(expected.length + 2);
      expect(frames[0]?.toString()).toContain('"type":"hello"');
      const views = frames.slice(1, -1);
      views.forEach((f, k) => expect(f.equals(expected[k] as Buffer), `part ${k}`).toBe(true));
    }
  });

  it('the picture\'s text is made once for consoles opening together, not once each', { timeout: 60_000 }, async () => {
    const log = new Log();
    history(log, 0);
    const fanout = await started(log);
    const stringify = vi.spyOn(JSON, 'stringify');
    const open = async (n: number) => {
      stringify.mockClear();
      const sockets = Array.from({ length: n }, () => new FakeSocket());
      for (const ws of sockets) fanout.attach(ws as unknown as WebSocket, { username: 'h', role: 'call-handler', view: true }, 0);
      await flush();
      for (const ws of sockets) expect(ws.text.at(-1)?.['type']).toBe('live');
      return { calls: stringify.mock.calls.length, sockets };
    };
    const one = await open(1);
    const six = await open(6);
    // Before 24 Nov: each console stringified the whole picture, 6 times the calls of one.
    expect(six.calls).toBeLessThan(one.calls * 1.5);
    const expectedText = JSON.stringify(replay(log.events, log.events.length).view());
    for (const ws of [...one.sockets, ...six.sockets]) {
      const parts = ws.text.filter((m) => m['type'] === 'view');
      expect(parts.map((m) => m['text']).join('')).toBe(expectedText);
    }
  });

  it('a console opening while another is sent the picture, with events committed meanwhile, gets that picture and then every event after it once', { timeout: 60_000 }, async () => {
    const log = new Log();
    history(log, 0);
    const fanout = await started(log);
    const first = new FakeSocket();
    first.held = [];
    first.bufferedAmount = 1 << 20;
    fanout.attach(first as unknown as WebSocket, { username: 'a', role: 'call-handler', view: true }, 0);
    await flush();
    expect(first.text.filter((m) => m['type'] === 'view').length).toBe(1); // waiting for its first part to be read
    const seqAtFirst = log.events.length;
    log.commit([{ type: 'line.health', at: iso(T0), lineId: 'line1', port: 'mock:a', state: 'up', registration: 'home', signalCsq: 20, detail: '' }]);
    const second = new FakeSocket();
    fanout.attach(second as unknown as WebSocket, { username: 'b', role: 'supervisor', view: true }, 0);
    await flush();
    first.drain();
    await flush();
    const end = log.events.length;
    for (const ws of [first, second]) {
      const got = consoleOf(ws);
      expect(got.pictureSeq).toBe(seqAtFirst); // the text in use, not a copy at the later seq
      expect(got.after).toEqual([seqAtFirst + 1]);
      expect(got.state.view()).toEqual(replay(log.events, end).view());
      expect(ws.text.at(-1)?.['type']).toBe('live');
    }
  });

  it('a text made before a retention purge is not given to a console opening after it: no purged position is sent', { timeout: 60_000 }, async () => {
    const log = new Log();
    history(log, 0);
    const fanout = await started(log);
    const before = new FakeSocket();
    before.held = [];
    before.bufferedAmount = 1 << 20;
    fanout.attach(before as unknown as WebSocket, { username: 'a', role: 'call-handler', view: true }, 0);
    await flush();
    log.purgeFixes();
    const after = new FakeSocket();
    fanout.attach(after as unknown as WebSocket, { username: 'b', role: 'call-handler', view: true }, 0);
    await flush();
    before.drain();
    await flush();
    const got = consoleOf(after);
    expect(got.state.view().tracks.reduce((n, t) => n + t.points.length, 0)).toBe(0);
    expect(got.state.view()).toEqual(replay(log.events, log.events.length).view());
    expect(consoleOf(before).state.view().tracks.reduce((n, t) => n + t.points.length, 0)).toBe(100);
  });
});
