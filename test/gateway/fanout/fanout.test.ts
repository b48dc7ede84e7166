// The fan-out against a fake log and fake sockets: commits visible to readers before their publish arrives
// (a store that notifies late), publishes out of order, a lost publish filled from the log, one serialisation
// shared by all clients of a role, heartbeat.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { EventBatch } from '../../../protocol/schemas/control.js';
import { ManualClock } from '../../../protocol/time/clock.js';
import { Fanout } from '../../../gateway/fanout/fanout.js';
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
  announce(events: readonly StoredEvent[]): void {
    this.listener?.(events);
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

async function setup() {
  const log = new LateLog();
  const clock = new ManualClock(Date.UTC(2026, 10, 23, 6, 0, 1));
  const fanout = new Fanout({ log, clock, limits: { pageSize: 3, heartbeatMs: 1000, closeGraceMs: 100 } });
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

  it('does not send events that fail their protocol/schemas type (counted)', async () => {
    const { log, attach, fanout } = await setup();
    const ws = attach(0);
    await flush();
    const bad: StoredEvent = { seq: 1, storedAt: 0, redacted: false, event: { type: 'line.health', at: 'yesterday', lineId: 'x' } };
    log.events.push(bad);
    log.announce([bad]);
    log.announce(log.commit(1));
    expect(ws.seqs()).toEqual([2]);
    expect(fanout.stats.invalid).toBe(1);
  });
});
