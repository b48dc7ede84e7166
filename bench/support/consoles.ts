// WebSocket consoles for the end-to-end benchmarks, in worker threads so that their parsing does not share
// the gateway's event loop (on 2 cores they still share the CPU: say so with the figures). Each console logs
// in as one session and handles every message as the real console does: the text frame decoded and checked
// by `ws` (UTF-8 validated), the text JSON.parse'd, and for an event its `seq` and the wall-clock receive time
// recorded. `workers` spreads the consoles over that many threads (default 1).
// `batch`: ask for `batch` messages (`&batch=1`) as the real console does (console/connection.ts); each event
// of a batch is recorded on its own with the batch's receive time, so every figure counts events, not
// messages, whichever way the consoles asked.
import { readFileSync } from 'node:fs';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { now } from './common.js';

type Job = { url: string; cookie: string; origin: string; count: number; capacity: number };
type Message = { type?: string; seq?: number; events?: { seq?: number }[] };
type ToWorker = { kind: 'stats' } | { kind: 'await'; seq: number };
type FromWorker =
  | { kind: 'ready' }
  | { kind: 'reached'; seq: number }
  | { kind: 'stats'; seqs: ArrayBuffer[]; times: ArrayBuffer[]; counts: number[]; messages: number[]; cpuSeconds: number; hellos: number; lives: number; closes: number[] };

/** CPU seconds (user + system) of the calling thread so far (Linux; 10 ms resolution). */
function threadCpuSeconds(): number {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Worker body: `count` sockets; each keeps (seq, receive time) of every event message. */
async function consoleWorker(job: Job): Promise<void> {
  const seqs = Array.from({ length: job.count }, () => new Float64Array(job.capacity));
  const times = Array.from({ length: job.count }, () => new Float64Array(job.capacity));
  const counts = new Array<number>(job.count).fill(0);
  const messages = new Array<number>(job.count).fill(0);
  const lastSeq = new Array<number>(job.count).fill(0);
  const closed = new Array<boolean>(job.count).fill(false);
  const closes: number[] = [];
  let hellos = 0;
  let lives = 0;
  // `reached(seq)`: how many consoles have got `target` (or are closed), told once when all have.
  let target = Infinity;
  let atTarget = 0;
  const reach = () => {
    if (++atTarget === job.count) parentPort?.postMessage({ kind: 'reached', seq: target } satisfies FromWorker);
  };
  await Promise.all(
    seqs.map(
      (s, c) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(job.url, { headers: { cookie: job.cookie, origin: job.origin } });
          ws.on('error', reject);
          ws.on('close', (code) => {
            closes.push(code);
            closed[c] = true;
            if ((lastSeq[c] as number) < target) reach();
          });
          const record = (seq: number, t: number) => {
            const i = counts[c] as number;
            if (i < job.capacity) {
              s[i] = seq;
              (times[c] as Float64Array)[i] = t;
            }
            counts[c] = i + 1;
            if ((lastSeq[c] as number) < target && seq >= target) reach();
            lastSeq[c] = seq;
          };
          ws.on('message', (data: Buffer) => {
            const t = now();
            const m = JSON.parse(data.toString()) as Message;
            if (typeof m.seq === 'number') {
              messages[c] = (messages[c] as number) + 1;
              record(m.seq, t);
              return;
            }
            if (m.type === 'batch') {
              messages[c] = (messages[c] as number) + 1;
              for (const e of m.events ?? []) if (typeof e.seq === 'number') record(e.seq, t);
              return;
            }
            if (m.type === 'hello') hellos++;
            if (m.type === 'live') {
              lives++;
              resolve();
            }
          });
        }),
    ),
  );
  parentPort?.postMessage({ kind: 'ready' } satisfies FromWorker);
  parentPort?.on('message', (m: ToWorker) => {
    if (m.kind === 'await') {
      target = m.seq;
      atTarget = 0;
      for (let c = 0; c < job.count; c++) if ((lastSeq[c] as number) >= target || closed[c]) atTarget++;
      atTarget--;
      reach();
      return;
    }
    const out: FromWorker = { kind: 'stats', seqs: seqs.map((s) => s.buffer.slice(0) as ArrayBuffer), times: times.map((t) => t.buffer.slice(0) as ArrayBuffer), counts: [...counts], messages: [...messages], cpuSeconds: threadCpuSeconds(), hellos, lives, closes };
    parentPort?.postMessage(out);
  });
}

export type ConsoleStats = {
  /** Per console: seqs received, in arrival order. */
  seqs: Float64Array[];
  /** Per console: receive times, parallel to seqs. */
  times: Float64Array[];
  counts: number[];
  /** Per console: WebSocket messages that carried events (an event, or a batch of them). */
  messages: number[];
  /** CPU seconds the consoles' threads have used so far (receiving, parsing, recording). */
  cpuSeconds: number;
  closes: number[];
};

export type Consoles = {
  stats(): Promise<ConsoleStats>;
  /** Resolves once every console has received an event with seq >= `seq` (or has been closed). */
  reached(seq: number): Promise<void>;
  stop(): Promise<void>;
};

function nextMessage<K extends FromWorker['kind']>(worker: Worker, kind: K): Promise<Extract<FromWorker, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const on = (m: FromWorker) => {
      if (m.kind !== kind) return;
      worker.off('message', on);
      worker.off('error', reject);
      resolve(m as Extract<FromWorker, { kind: K }>);
    };
    worker.on('message', on);
    worker.on('error', reject);
  });
}

/**
 * Opens `count` consoles on `wsUrl` (…/ws?since=N) in `workers` threads, asking for `batch` messages when
 * `batch` (default: no); resolves once every one has had its `live`.
 */
export async function openConsoles(options: { wsUrl: string; cookie: string; origin: string; count: number; capacity: number; workers?: number; batch?: boolean }): Promise<Consoles> {
  const url = options.batch === true ? `${options.wsUrl}&batch=1` : options.wsUrl;
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const n = Math.max(1, Math.min(options.workers ?? 1, options.count));
  const workers: Worker[] = [];
  for (let w = 0; w < n; w++) {
    const count = Math.floor(options.count / n) + (w < options.count % n ? 1 : 0);
    workers.push(new Worker(boot, {
      eval: true,
      workerData: { url, cookie: options.cookie, origin: options.origin, count, capacity: options.capacity } satisfies Job,
    }));
  }
  await Promise.all(workers.map((w) => nextMessage(w, 'ready')));
  return {
    async stats() {
      const parts = await Promise.all(workers.map((w) => {
        const p = nextMessage(w, 'stats');
        w.postMessage({ kind: 'stats' } satisfies ToWorker);
        return p;
      }));
      return {
        seqs: parts.flatMap((m) => m.seqs.map((b) => new Float64Array(b))),
        times: parts.flatMap((m) => m.times.map((b) => new Float64Array(b))),
        counts: parts.flatMap((m) => m.counts),
        messages: parts.flatMap((m) => m.messages),
        cpuSeconds: parts.reduce((a, m) => a + m.cpuSeconds, 0),
        closes: parts.flatMap((m) => m.closes),
      };
    },
    async reached(seq) {
      await Promise.all(workers.map((w) => {
        const p = nextMessage(w, 'reached');
        w.postMessage({ kind: 'await', seq } satisfies ToWorker);
        return p;
      }));
    },
    async stop() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

if (!isMainThread && (workerData as Job | undefined)?.capacity !== undefined) {
  await consoleWorker(workerData as Job);
}
