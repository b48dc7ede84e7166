// The fan-out against a fake log and fake sockets: commits visible to readers before their publish arrives
// (a store that notifies late), publishes out of order, a lost publish filled from the log, one serialisation
// shared by all clients of a role, heartbeat.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { EventBatch } from '../../../protocol/schemas/control.js';
import { ConsoleState } from '../../../protocol/schemas/console-state.js';
import { ConsoleView, GatewayEvent } from '../../../protocol/schemas/index.js';
import { toWire } from '../../../gateway/fanout/wire.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { Fanout, PICTURE_BUILD_DELAY_MS } from '../../../gateway/fanout/fanout.js';
import type { EventListener, StoredEvent } from '../../../gateway/store/event-store.js';
import type { Role } from '../../../gateway/auth/roles.js';

/** A log whose commits are readable at once but announced only when the test says so. */
class LateLog {
  readonly events: StoredEvent[] = [];
  private listener: EventListener | undefined;
  commit(n: number): StoredEvent[] {
    const out: StoredEvent[] = [];
    for (let i = 0; i < n; i++) {
      const seq = this.events.length + 1;
      const e: StoredEvent = {
        seq, storedAt: 0, redacted: false,
        event: { type: 'line.health', at: '2026-11-23T06:00:00.000Z', lineId: 'line1', port: 'mock:a', state: 'up', registration: 'home', signalCsq: seq % 31, detail: '' },
      };
      this.events.push(e);
      out.push(e);
    }
    return out;
  }
  announce(events: readonly StoredEvent[], texts?: readonly (string | undefined)[]): void {
    this.listener?.(events, texts);
  }
  async readSince(after: number, limit = 1000): Promise<StoredEvent[]> {
    await Promise.resolve();
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

class FakeSocket extends EventEmitter {
  readonly frames: Buffer[] = [];
  readonly text: Record<string, unknown>[] = [];
  bufferedAmount = 0;
  closed: { code: number; reason: string } | undefined;
  pings = 0;
  terminated = false;
  send(data: Buffer | string, _opts?: unknown, cb?: () => void): void {
    if (Buffer.isBuffer(data)) this.frames.push(data);
    this.text.push(JSON.parse(data.toString()) as Record<string, unknown>);
    cb?.();
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
    this.emit('close', code, Buffer.from(reason));
  }
  terminate(): void {
    this.terminated = true;
    this.emit('close', 1006, Buffer.alloc(0));
  }
  ping(): void {
    this.pings++;
  }
  seqs(): number[] {
    return this.text.filter((m) => typeof m['seq'] === 'number').map((m) => m['seq'] as number);
  }
}

/** Lets the fan-out run: microtasks, and the event-loop turns it yields between backlog pages (one page a turn). */
const flush = async () => {
  for (let turn = 0; turn < 60; turn++) {
    for (let i = 0; i < 50; i++) await Promise.resolve();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
};

async function setup(validate?: (m: unknown) => boolean) {
  const log = new LateLog();
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 1));
  const fanout = new Fanout({ log, clock, limits: { pageSize: 3, heartbeatMs: 1000, closeGraceMs: 100 }, ...(validate && { validate }) });
  await fanout.start();
  const attach = (since: number, role: Role = 'supervisor', user = 'u', batch = false) => {
    const ws = new FakeSocket();
    fanout.attach(ws as unknown as WebSocket, { username: user, role, batch }, since);
    return ws;
  };
  return { log, clock, fanout, attach };
}

describe('Fanout', () => {
  it('lets the event loop run between backlog pages (a console that reads fast does not hold the gateway)', async () => {
    const { log, attach } = await setup();
    log.announce(log.commit(30)); // 10 pages of 3
    const pagesRead: number[] = [];
    const read = log.readSince.bind(log);
    log.readSince = async (after, limit) => {
      pagesRead.push(after);
      return read(after, limit);
    };
    const ws = attach(0);
    // Anything else the gateway has to do (a modem line's bytes, a timer) runs after at most one page.
    const before = await new Promise<number>((resolve) => setImmediate(() => resolve(pagesRead.length)));
    expect(before).toBeLessThanOrEqual(1);
    await flush();
    expect(ws.seqs()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(ws.text.at(-1)).toMatchObject({ type: 'live' });
  });

  it('reads one backlog page per event-loop turn for all clients together (a shift change signing in at once)', async () => {
    const { log, attach } = await setup();
    log.announce(log.commit(30)); // 10 pages of 3 for each client
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const readsPerTurn = new Map<number, number>();
    const read = log.readSince.bind(log);
    log.readSince = async (after, limit) => {
      readsPerTurn.set(turn, (readsPerTurn.get(turn) ?? 0) + 1);
      return read(after, limit);
    };
    const clients = [attach(0, 'supervisor', 'a'), attach(0, 'call-handler', 'b'), attach(0, 'engineer', 'c', true)];
    await flush();
    ticking = false;
    for (const ws of clients.slice(0, 2)) expect(ws.seqs()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(clients[2]!.text.filter((m) => m['type'] === 'batch').flatMap((m) => m['events'] as unknown[])).toHaveLength(30);
    expect([...readsPerTurn.values()].reduce((a, b) => a + b, 0)).toBe(33); // 11 reads each (the last one short)
    expect(Math.max(...readsPerTurn.values())).toBe(1);
  });

  it('sends the backlog a page per `batch` message to a client that asked, then a live commit of several events as one `batch`', async () => {
    const { log, attach } = await setup();
    log.announce(log.commit(7)); // pages of 3: 3 + 3 + 1
    const ws = attach(0, 'engineer', 'e', true);
    await flush();
    expect(ws.text.map((m) => m['type'])).toEqual(['hello', 'batch', 'batch', 'batch', 'live']);
    for (const m of ws.text.filter((x) => x['type'] === 'batch')) expect(EventBatch.safeParse(m).success, JSON.stringify(m)).toBe(true);
    const batched = ws.text.filter((m) => m['type'] === 'batch').map((m) => (m['events'] as { seq: number }[]).map((e) => e.seq));
    expect(batched).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    // Each batched event is exactly the message a client without batches gets for it.
    const single = attach(0, 'engineer', 'e2');
    await flush();
    expect(ws.text.filter((m) => m['type'] === 'batch').flatMap((m) => m['events'] as unknown[])).toEqual(single.text.filter((m) => typeof m['seq'] === 'number'));
    log.announce(log.commit(2));
    await flush();
    expect(ws.text.at(-1)).toMatchObject({ type: 'batch', events: [{ type: 'line.health', seq: 8 }, { type: 'line.health', seq: 9 }] });
    expect(EventBatch.safeParse(ws.text.at(-1)).success).toBe(true);
    expect(single.text.slice(-2).map((m) => [m['type'], m['seq']])).toEqual([['line.health', 8], ['line.health', 9]]);
  });

  it('sends a one-event commit to a batch client as a plain message, the same as to any other client', async () => {
    const { log, attach } = await setup();
    const batched = attach(0, 'supervisor', 'a', true);
    const plain = attach(0, 'supervisor', 'b');
    await flush();
    log.announce(log.commit(3));
    log.announce(log.commit(1));
    expect(batched.text.map((m) => m['type'])).toEqual(['hello', 'live', 'batch', 'line.health']);
    expect(batched.text.at(-1)).toEqual(plain.text.at(-1));
    expect(batched.frames.at(-1)).toBe(plain.frames.at(-1));
    expect(plain.text.map((m) => m['type'])).toEqual(['hello', 'live', ...Array<string>(4).fill('line.health')]);
  });

  it('serialises a live `batch` once for all batch clients of a role, and counts every event in it as sent', async () => {
    const { log, attach, fanout } = await setup();
    const clients = [attach(0, 'engineer', 'a', true), attach(0, 'engineer', 'b', true), attach(0, 'engineer', 'c', true)];
    await flush();
    const sent = fanout.stats.sent;
    log.announce(log.commit(4));
    const frames = clients.map((w) => w.frames[w.frames.length - 1]);
    for (const w of clients) expect(w.text.at(-1)).toMatchObject({ type: 'batch', events: [{ seq: 1 }, { seq: 2 }, { seq: 3 }, { seq: 4 }] });
    expect(frames[1]).toBe(frames[0]);
    expect(frames[2]).toBe(frames[0]);
    expect(fanout.stats.sent - sent).toBe(12);
  });

  it('resumes a batch client from the last seq of the batches it got (after a slow-consumer close): nothing lost, nothing twice', async () => {
    const { log, attach } = await setup();
    const events = (w: FakeSocket) => w.text.flatMap((m) => (m['type'] === 'batch' ? (m['events'] as Record<string, unknown>[]) : [m]));
    const seqs = (w: FakeSocket) => events(w).filter((m) => typeof m['seq'] === 'number').map((m) => m['seq'] as number);
    const first = attach(0, 'supervisor', 'a', true);
    await flush();
    log.announce(log.commit(3));
    log.announce(log.commit(4));
    expect(first.text.map((m) => m['type'])).toEqual(['hello', 'live', 'batch', 'batch']);
    first.bufferedAmount = 2 * 1024 * 1024;
    log.announce(log.commit(5)); // seqs 8-12: not sent, the client is closed
    expect(first.closed?.code).toBe(4008);
    const lastSeq = seqs(first).at(-1) as number;
    expect(first.text.find((m) => m['type'] === 'error')).toMatchObject({ code: 'slow-consumer', lastSeq });

    const again = attach(lastSeq, 'supervisor', 'a', true);
    await flush();
    log.announce(log.commit(2));
    await flush();
    expect(again.text.map((m) => m['type'])).toEqual(['hello', 'batch', 'batch', 'live', 'batch']);
    expect([...seqs(first), ...seqs(again)]).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
  });

  it('sends no `batch` for a page of which the client may see nothing, and never an event twice at the hand-over', async () => {
    const { log, attach } = await setup();
    log.announce(log.commit(3));
    // Seqs 4-6, one whole page: retention tombstones, which no client gets.
    const purged = log.commit(3).map((e) => (log.events[e.seq - 1] = { ...e, redacted: true }));
    log.announce(purged);
    const late = log.commit(2); // readable now, announced after the client is live
    const ws = attach(3, 'engineer', 'e', true);
    await flush();
    expect(ws.text.map((m) => m['type'])).toEqual(['hello', 'batch', 'live']);
    expect((ws.text[1]!['events'] as { seq: number }[]).map((e) => e.seq)).toEqual([7, 8]);
    log.announce(late);
    log.announce(log.commit(1));
    await flush();
    expect(ws.text.filter((m) => m['type'] !== 'batch').map((m) => m['seq'] ?? m['type'])).toEqual(['hello', 'live', 9]);
  });

  it('sends a batch client only the events of a live run it has not read in its backlog', async () => {
    const { log, attach } = await setup();
    log.announce(log.commit(6));
    const plain = attach(6, 'supervisor', 'p');
    await flush();
    const early = log.commit(2); // seqs 7-8: readable now, announced later
    const batched = attach(6, 'supervisor', 'b', true);
    await flush();
    expect(batched.text.map((m) => m['type'])).toEqual(['hello', 'batch', 'live']);
    log.announce([...early, ...log.commit(3)]); // one run, 7-11: the batch client has 7-8 already
    expect(batched.text.at(-1)).toMatchObject({ type: 'batch', events: [{ seq: 9 }, { seq: 10 }, { seq: 11 }] });
    expect(batched.text.flatMap((m) => (m['type'] === 'batch' ? (m['events'] as { seq: number }[]).map((e) => e.seq) : []))).toEqual([7, 8, 9, 10, 11]);
    expect(plain.seqs()).toEqual([7, 8, 9, 10, 11]);
  });

  it('sends events read in the backlog once, even when their publish arrives after the client went live', async () => {
    const { log, attach } = await setup();
    log.announce(log.commit(4));
    const late = log.commit(5); // readable now, announced later
    const ws = attach(2);
    await flush();
    expect(ws.text.map((m) => m['type'])).toEqual(['hello', 'line.health', 'line.health', 'line.health', 'line.health', 'line.health', 'line.health', 'line.health', 'live']);
    log.announce(late);
    log.announce(log.commit(2));
    await flush();
    expect(ws.seqs()).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('broadcasts publishes strictly in seq order, and fills a lost publish from the log', async () => {
    const { log, attach } = await setup();
    const ws = attach(0);
    await flush();
    const [a, b, c] = log.commit(3) as [StoredEvent, StoredEvent, StoredEvent];
    log.announce([c]);
    log.announce([b]);
    await flush();
    // seq 1 was never announced: the gap is read from the log.
    expect(ws.seqs()).toEqual([1, 2, 3]);
    log.announce([a, b, c]);
    await flush();
    expect(ws.seqs()).toEqual([1, 2, 3]);
  });

  it('serialises a live event once for all clients of a role', async () => {
    const { log, attach } = await setup();
    const clients = [attach(0), attach(0), attach(0)];
    await flush();
    log.announce(log.commit(1));
    const frames = clients.map((w) => w.frames[w.frames.length - 1]);
    expect(frames[0]).toBeDefined();
    expect(frames[1]).toBe(frames[0]);
    expect(frames[2]).toBe(frames[0]);
  });

  it('closes a live client over its buffer limit with 4008 and its last seq; the others continue', async () => {
    const { log, attach, fanout } = await setup();
    const slow = attach(0, 'call-handler', 'slow');
    const ok = attach(0, 'call-handler', 'ok');
    await flush();
    log.announce(log.commit(2));
    slow.bufferedAmount = 2 * 1024 * 1024;
    log.announce(log.commit(2));
    expect(slow.closed?.code).toBe(4008);
    expect(slow.text.find((m) => m['type'] === 'error')).toMatchObject({ code: 'slow-consumer', lastSeq: 2 });
    expect(ok.seqs()).toEqual([1, 2, 3, 4]);
    expect(fanout.stats.drops.slow).toBe(1);
    expect(fanout.stats.clients).toBe(1);
  });

  it('pings on the heartbeat and terminates a client that never answered', async () => {
    const { attach, clock, fanout } = await setup();
    const ws = attach(0);
    const alive = attach(0);
    await flush();
    clock.advance(1000);
    expect(ws.pings).toBe(1);
    alive.emit('pong');
    clock.advance(1000);
    expect(ws.terminated).toBe(true);
    expect(alive.terminated).toBe(false);
    expect(fanout.stats.drops.heartbeat).toBe(1);
  });

  it('does not send events read from the log that fail their protocol/schemas type (counted): a backlog, a gap', async () => {
    const { log, attach, fanout } = await setup();
    const bad = (seq: number): StoredEvent => ({ seq, storedAt: 0, redacted: false, event: { type: 'line.health', at: 'yesterday', lineId: 'x' } });
    log.events.push(bad(1));
    log.commit(1);
    const ws = attach(0);
    await flush();
    expect(ws.seqs()).toEqual([2]);
    expect(fanout.stats.invalid).toBe(1);
    // A commit whose publish was lost is read from the log (fillGap) and checked as any event read from it.
    log.events.push(bad(3));
    log.announce(log.commit(1));
    await flush();
    expect(ws.seqs()).toEqual([2, 4]);
    expect(fanout.stats.invalid).toBe(2);
  });

  it('does not parse again the events the store\'s listener hands over (this gateway staged them); those read from the log it does', async () => {
    let parsed = 0;
    const { log, attach } = await setup((m) => {
      parsed++;
      return GatewayEvent.safeParse(m).success;
    });
    const live = attach(0);
    await flush();
    log.announce(log.commit(3));
    expect(live.seqs()).toEqual([1, 2, 3]);
    // Before: each event of the commit went through the zod parse, ~2.5 us and 3.4 KB of garbage each.
    expect(parsed).toBe(0);
    const later = attach(0);
    await flush();
    expect(later.seqs()).toEqual([1, 2, 3]);
    expect(parsed).toBe(3);
    // An event of no protocol/schemas type (an internal one that reached the fan-out unmasked) is still checked, and refused.
    const internal: StoredEvent = { seq: 4, storedAt: 0, redacted: false, event: { type: 'sms.received', at: '2026-11-23T06:00:00.000Z', pdu: '07914477' } };
    log.events.push(internal);
    log.announce([internal, ...log.commit(1)]);
    expect(live.seqs()).toEqual([1, 2, 3, 5]);
    expect(parsed).toBe(4);
  });

  it('writes each live event as the store\'s own text of it (the log\'s JSON) with the envelope in front: the same bytes as serialising it', async () => {
    // Two gateways told the same commits, one with the store's texts and one without.
    const sent = async (withTexts: boolean) => {
      const { log, attach } = await setup();
      const plain = attach(0, 'supervisor', 'plain');
      const batch = attach(0, 'supervisor', 'batch', true);
      const engineer = attach(0, 'engineer', 'eng', true);
      await flush();
      for (const n of [1, 3]) {
        const events = log.commit(n);
        log.announce(events, withTexts ? events.map((e) => JSON.stringify(e.event)) : undefined);
      }
      const bytes = (ws: FakeSocket) => ws.frames.map((f) => f.toString('utf8'));
      return { log, plain, all: [bytes(plain), bytes(batch), bytes(engineer)] };
    };
    const told = await sent(true);
    const untold = await sent(false);
    expect(told.all).toEqual(untold.all);
    expect(told.all[0]).toEqual(told.log.events.map((e) => JSON.stringify(toWire(e))));
    // The text is what is sent: the event as the log holds it.
    const next = told.log.commit(1);
    told.log.announce(next, [JSON.stringify({ ...(next[0] as StoredEvent).event, signalCsq: 30 })]);
    expect(told.plain.text.at(-1)).toMatchObject({ seq: 5, signalCsq: 30 });
  });
});

/** The state a console builds from what it was sent: its picture (`view` parts), then the events after it. */
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

describe('Fanout: the consoles\' pictures after a start', () => {
  it('builds every role\'s picture in the background from its start, a page per event-loop turn; a console opening meanwhile joins that build and gets every event once', async () => {
    // The log as a restarted gateway finds it: 30 events, written before the start.
    const log = new LateLog();
    log.commit(30);
    const fanout = new Fanout({ log, clock: new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 1)), limits: { pageSize: 3, heartbeatMs: 1000, closeGraceMs: 100 }, pictureDelayMs: 0 });
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    setImmediate(tick);
    const reads: { turn: number; after: number; seqs: number[] }[] = [];
    const read = log.readSince.bind(log);
    log.readSince = async (after, limit) => {
      const page = await read(after, limit);
      reads.push({ turn, after, seqs: page.map((e) => e.seq) });
      return page;
    };
    await fanout.start();
    for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    // The build is under way, with nobody signed in.
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.length).toBeLessThan(10);
    const handler = new FakeSocket();
    fanout.attach(handler as unknown as WebSocket, { username: 'h', role: 'call-handler', view: true }, 0);
    log.announce(log.commit(4)); // a busy control room: events while the build runs
    await flush();
    log.announce(log.commit(2));
    await flush();
    // After the build: a supervisor and an engineer sign in.
    const before = reads.length;
    const supervisor = new FakeSocket();
    const engineer = new FakeSocket();
    fanout.attach(supervisor as unknown as WebSocket, { username: 's', role: 'supervisor', view: true }, 0);
    fanout.attach(engineer as unknown as WebSocket, { username: 'e', role: 'engineer', view: true }, 0);
    await flush();
    ticking = false;
    // One build for every role: each event of the log written before the start was read once; the two consoles
    // after it read only what came since the build (before: the engineer's was built from seq 0).
    const early = reads.flatMap((r) => r.seqs).filter((seq) => seq <= 30);
    expect(early).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(reads.length).toBeGreaterThan(before);
    expect(reads.slice(before).every((r) => r.after >= 34)).toBe(true);
    // Never two pages in one event-loop turn: whatever else the gateway does (an alarm's RING) waits one page at most.
    const perTurn = new Map<number, number>();
    for (const r of reads) perTurn.set(r.turn, (perTurn.get(r.turn) ?? 0) + 1);
    expect(Math.max(...perTurn.values())).toBe(1);
    // Each console: its picture, then every event after it once, in order, up to the last; the same state as a replay.
    const replay = (role: 'call-handler' | 'engineer') => {
      const state = new ConsoleState();
      for (const e of log.events) if (role === 'call-handler' || e.event.type.startsWith('line.')) state.apply(GatewayEvent.parse(toWire(e)));
      return state.view();
    };
    for (const [ws, role] of [[handler, 'call-handler'], [supervisor, 'call-handler'], [engineer, 'engineer']] as const) {
      const got = consoleOf(ws);
      expect(got.pictureSeq).toBeGreaterThanOrEqual(30);
      expect(got.after).toEqual(Array.from({ length: 36 - got.pictureSeq }, (_, i) => got.pictureSeq + i + 1));
      expect(got.state.applied).toBe(36);
      expect(got.state.view()).toEqual(replay(role));
      expect(ws.text.at(-1)?.['type']).not.toBe('error');
    }
    fanout.stop();
  });

  it('the background build waits PICTURE_BUILD_DELAY_MS after the start: the consoles resuming after a restart read only their backlogs first', async () => {
    const log = new LateLog();
    log.commit(60);
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 1));
    const fanout = new Fanout({ log, clock, limits: { pageSize: 5, heartbeatMs: 60_000, closeGraceMs: 100 } });
    const reads: string[] = [];
    const read = log.readSince.bind(log);
    log.readSince = async (after, limit) => {
      reads.push(limit === 5 ? 'backlog' : 'build');
      return read(after, limit);
    };
    await fanout.start();
    const resumed = new FakeSocket();
    fanout.attach(resumed as unknown as WebSocket, { username: 'h', role: 'call-handler' }, 45);
    await flush();
    expect(resumed.seqs()).toEqual(Array.from({ length: 15 }, (_, i) => 46 + i));
    expect(reads).toEqual(['backlog', 'backlog', 'backlog', 'backlog']); // before: the build's pages beside them
    clock.advance(PICTURE_BUILD_DELAY_MS - 1);
    await flush();
    expect(reads.filter((r) => r === 'build')).toEqual([]);
    clock.advance(1);
    await fanout.picturesBuilt();
    expect(reads.filter((r) => r === 'build').length).toBeGreaterThan(0);
    // Built: a console opening with nothing now reads only its backlog page.
    const before = reads.length;
    const later = new FakeSocket();
    fanout.attach(later as unknown as WebSocket, { username: 's', role: 'supervisor', view: true }, 0);
    await flush();
    expect(reads.slice(before)).toEqual(['backlog']);
    expect(consoleOf(later).pictureSeq).toBe(60);
    fanout.stop();
  });

  it('a background build that fails on a store read is logged, and the next heartbeat builds the pictures', async () => {
    const log = new LateLog();
    log.commit(20);
    const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 1));
    const warnings: string[] = [];
    const logger = { warn: (_o: unknown, m: string) => warnings.push(m), info: () => undefined, error: () => undefined, debug: () => undefined };
    const fanout = new Fanout({ log, clock, logger: logger as never, limits: { pageSize: 5, heartbeatMs: 1000, closeGraceMs: 100 }, pictureDelayMs: 0 });
    const read = log.readSince.bind(log);
    let failing = true;
    log.readSince = async (after, limit) => {
      if (failing) throw new Error('SQLITE_IOERR: disk I/O error');
      return read(after, limit);
    };
    await fanout.start();
    await fanout.picturesBuilt();
    expect(warnings).toEqual(['console pictures: the background build failed; the next heartbeat tries again']); // before: nothing said
    failing = false;
    const reads: number[] = [];
    log.readSince = async (after, limit) => {
      reads.push(after);
      return read(after, limit);
    };
    clock.advance(1000);
    await fanout.picturesBuilt();
    expect(reads.length).toBeGreaterThan(0);
    const later = new FakeSocket();
    const before = reads.length;
    fanout.attach(later as unknown as WebSocket, { username: 'h', role: 'call-handler', view: true }, 0);
    await flush();
    expect(reads.length - before).toBeLessThanOrEqual(1); // its backlog page only: the picture was built
    expect(consoleOf(later).pictureSeq).toBe(20);
    fanout.stop();
  });

  it('a console resuming while the background build runs reads its backlog before the build reads on, and the build then finishes', async () => {
    const log = new LateLog();
    log.commit(60);
    const fanout = new Fanout({ log, clock: new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 1)), limits: { pageSize: 5, heartbeatMs: 1000, closeGraceMs: 100 }, pictureDelayMs: 0 });
    const reads: string[] = [];
    const read = log.readSince.bind(log);
    await fanout.start();
    await new Promise<void>((resolve) => setImmediate(resolve));
    const resumed = new FakeSocket();
    log.readSince = async (after, limit) => {
      reads.push(limit === 5 ? 'backlog' : 'build');
      return read(after, limit);
    };
    fanout.attach(resumed as unknown as WebSocket, { username: 'h', role: 'call-handler' }, 45);
    await flush();
    // 15 events behind: three full pages and a short one, back to back; the build's pages only after them.
    expect(reads.slice(0, 4)).toEqual(['backlog', 'backlog', 'backlog', 'backlog']);
    expect(resumed.seqs()).toEqual(Array.from({ length: 15 }, (_, i) => 46 + i));
    expect(reads.slice(4).every((r) => r === 'build')).toBe(true);
    await fanout.picturesBuilt();
    // The build still finished: a console asking for the picture now reads only its backlog page.
    const later = new FakeSocket();
    const before = reads.length;
    fanout.attach(later as unknown as WebSocket, { username: 's', role: 'supervisor', view: true }, 0);
    await flush();
    expect(reads.slice(before)).toEqual(['backlog']);
    expect(consoleOf(later).pictureSeq).toBe(60);
    fanout.stop();
  });

  it('a console that waits for the background build is not held behind other consoles\' replays: the build then takes turns with them', async () => {
    const log = new LateLog();
    log.commit(60);
    const fanout = new Fanout({ log, clock: new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 1)), limits: { pageSize: 5, heartbeatMs: 1000, closeGraceMs: 100 }, pictureDelayMs: 0 });
    await fanout.start();
    // One idle page of one event: the build stands at seq 1, so its reads start at 1, 6, 11, ... and the replay's at 0, 5, 10, ...
    await new Promise<void>((resolve) => setImmediate(resolve));
    const replay = new FakeSocket();
    const reads: { after: number; replayLive: boolean }[] = [];
    const read = log.readSince.bind(log);
    log.readSince = async (after, limit) => {
      reads.push({ after, replayLive: replay.text.some((m) => m['type'] === 'live') });
      return read(after, limit);
    };
    fanout.attach(replay as unknown as WebSocket, { username: 'r', role: 'supervisor' }, 0);
    const handler = new FakeSocket();
    fanout.attach(handler as unknown as WebSocket, { username: 'h', role: 'call-handler', view: true }, 0);
    await flush();
    // Before the wake, the build read nothing while the replay read its 13 pages (idle turns come only when no
    // backlog wants one), and the handler waited for the whole replay first.
    expect(reads.filter((r) => !r.replayLive && r.after % 5 !== 0).length).toBeGreaterThan(5);
    expect(consoleOf(handler).pictureSeq).toBe(60);
    expect(replay.seqs()).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    fanout.stop();
  });
});
