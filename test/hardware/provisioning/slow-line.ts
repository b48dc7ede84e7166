// A handset console behind a slow line, on a ManualClock: the far end answers each command line in the order the
// lines were written, as the handset's console does, a chunk of `chunkBytes` bytes every `byteMs` of the manual
// clock. One timer at a time carries the bytes, so they arrive in order whatever the host is doing.
//
// Not one host timer per byte: Node keeps its timers in one list per duration, and when the event loop runs late
// it fires every due timer of a list together. The first version of handset-console-slow-line.test.ts set ~290
// timers of 5, 10, ... 1450 ms; a timer of the same duration set a little earlier by someone else (vitest's own
// 100 ms one) then carried that byte ahead of the bytes due before it, and under load `make test` saw the
// answer's quotes moved: `garbled: +TSCFG: unclosed quote`.
import type { Port, PortCloseReason } from '../../../hardware/ports/index.js';
import type { ManualClock, TimerHandle } from '../../../protocol/time/clock.js';

/** What the far end sends for one command line: text, and pauses (ms) between pieces of it. */
export type Reply = string | readonly (string | { readonly pauseMs: number })[];

export type SlowLine = Port & {
  /** Every write, as sent (ESC and CR included). */
  readonly writes: readonly string[];
};

/**
 * A Port whose far end answers each command line with `answer(line)` (the line without its CR and without
 * anything up to an ESC, as the handset's console reads it; undefined: no answer).
 */
export function slowLine(clock: ManualClock, answer: (line: string) => Reply | undefined, byteMs: number, chunkBytes = 1): SlowLine {
  const data = new Set<(b: Uint8Array) => void>();
  const closeListeners = new Set<(r: PortCloseReason) => void>();
  const writes: string[] = [];
  const out: (number | { readonly pauseMs: number })[] = [];
  let open = true;
  let timer: TimerHandle | undefined;
  let resolveClosed!: (r: PortCloseReason) => void;
  const schedule = (ms: number): void => {
    timer = clock.setTimeout(send, ms);
  };
  function send(): void {
    timer = undefined;
    const head = out[0];
    if (!open || head === undefined) return;
    if (typeof head !== 'number') {
      out.shift();
      schedule(head.pauseMs);
      return;
    }
    const chunk: number[] = [];
    while (chunk.length < chunkBytes && typeof out[0] === 'number') chunk.push(out.shift() as number);
    for (const l of data) l(Uint8Array.from(chunk));
    if (out.length > 0) schedule(typeof out[0] === 'number' ? byteMs : 0);
  }
  return {
    writes,
    spec: 'tcp://bench:7201',
    kind: 'tcp',
    get isOpen() {
      return open;
    },
    async write(bytes) {
      const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1');
      writes.push(text);
      const reply = answer(text.replace(/\r$/, '').replace(/^[^]*\x1b/, ''));
      if (reply === undefined) return;
      for (const piece of typeof reply === 'string' ? [reply] : reply) {
        if (typeof piece === 'string') out.push(...new TextEncoder().encode(piece));
        else out.push(piece);
      }
      if (timer === undefined) schedule(byteMs);
    },
    onData(l) {
      data.add(l);
      return () => data.delete(l);
    },
    onClose(l) {
      closeListeners.add(l);
      return () => closeListeners.delete(l);
    },
    closed: new Promise<PortCloseReason>((r) => (resolveClosed = r)),
    async close() {
      if (!open) return;
      open = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      const reason: PortCloseReason = { code: 'PORT_CLOSED_LOCALLY', message: 'closed' };
      for (const l of closeListeners) l(reason);
      resolveClosed(reason);
    },
  };
}

/** Moves `clock` on 1 ms at a time, letting promise callbacks run between steps, until `p` settles. */
export async function runOn<T>(clock: ManualClock, p: Promise<T>, maxMs = 120_000): Promise<T> {
  let settled = false;
  const watched = p.finally(() => (settled = true));
  const end = clock.now() + maxMs;
  while (!settled && clock.now() < end) {
    clock.advance(1);
    await new Promise((r) => setImmediate(r));
  }
  if (!settled) throw new Error(`still pending after ${maxMs} ms of the manual clock`);
  return watched;
}
