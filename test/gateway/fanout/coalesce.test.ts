// The fan-out's coalescing (`coalesceMs`): a commit within the interval of the previous broadcast waits, with
// every other commit arriving meanwhile, and they go out together, in order; the first commit after a quiet
// spell goes out at once. Timers and performance.now() are vitest's fakes, so the test decides when time passes.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { ManualClock } from '../../../protocol/time/clock.js';
import { Fanout } from '../../../gateway/fanout/fanout.js';
import type { EventListener, StoredEvent } from '../../../gateway/store/event-store.js';

class Log {
  readonly events: StoredEvent[] = [];
  private listener: EventListener | undefined;
  /** Commits `n` events and tells the fan-out, as the store does after an fsync. */
  commit(n: number): void {
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
    this.listener?.(out);
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

class FakeSocket extends EventEmitter {
  readonly seqs: number[] = [];
  bufferedAmount = 0;
  send(data: Buffer | string, _opts?: unknown, cb?: () => void): void {
    const m = JSON.parse(data.toString()) as { seq?: number };
    if (typeof m.seq === 'number') this.seqs.push(m.seq);
    cb?.();
  }
  close(): void {}
  terminate(): void {}
  ping(): void {}
}

async function live(coalesceMs: number) {
  const log = new Log();
  const fanout = new Fanout({ log, clock: new ManualClock(Date.UTC(2026, 10, 23, 6)), limits: { coalesceMs } });
  await fanout.start();
  const ws = new FakeSocket();
  fanout.attach(ws as unknown as WebSocket, { username: 'u', role: 'supervisor' }, 0);
  for (let i = 0; i < 20; i++) await Promise.resolve(); // hello, backlog (none), live
  return { log, fanout, ws };
}

describe('fan-out coalescing', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds commits that follow a broadcast within the interval and sends them together, in order', async () => {
    const { log, fanout, ws } = await live(5);
    log.commit(2);
    expect(ws.seqs).toEqual([1, 2]); // the first after a quiet spell: at once
    vi.advanceTimersByTime(1);
    log.commit(1);
    vi.advanceTimersByTime(2);
    log.commit(3);
    expect(ws.seqs).toEqual([1, 2]); // held
    vi.advanceTimersByTime(1);
    expect(ws.seqs).toEqual([1, 2]);
    vi.advanceTimersByTime(1); // 5 ms after the first broadcast
    expect(ws.seqs).toEqual([1, 2, 3, 4, 5, 6]);
    expect(fanout.head).toBe(6);
    // Quiet for longer than the interval: the next commit goes at once again.
    vi.advanceTimersByTime(50);
    log.commit(1);
    expect(ws.seqs).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('coalesceMs 0 sends every commit at once', async () => {
    const { log, ws } = await live(0);
    log.commit(1);
    log.commit(1);
    log.commit(1);
    expect(ws.seqs).toEqual([1, 2, 3]);
  });

  it('stop() drops the held commits and their timer (the clients are closed anyway)', async () => {
    const { log, fanout, ws } = await live(5);
    log.commit(1);
    log.commit(1);
    fanout.stop();
    vi.advanceTimersByTime(10);
    expect(ws.seqs).toEqual([1]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
