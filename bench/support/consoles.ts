// WebSocket consoles for the end-to-end benchmarks, in a worker thread so that their JSON parsing does not
// share the gateway's event loop (on 2 cores it still shares the CPU: say so with the figures). Each console
// logs in as one session and records, per event, its seq and the wall-clock receive time.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';
import { now } from './common.js';

type Job = { url: string; cookie: string; origin: string; count: number; capacity: number };
type FromWorker =
  | { kind: 'ready' }
  | { kind: 'stats'; seqs: ArrayBuffer[]; times: ArrayBuffer[]; counts: number[]; hellos: number; lives: number; closes: number[] };

/** Worker body: `count` sockets; each keeps (seq, receive time) of every event message. */
async function consoleWorker(job: Job): Promise<void> {
  const seqs = Array.from({ length: job.count }, () => new Float64Array(job.capacity));
  const times = Array.from({ length: job.count }, () => new Float64Array(job.capacity));
  const counts = new Array<number>(job.count).fill(0);
  const closes: number[] = [];
  let hellos = 0;
  let lives = 0;
  const sockets: WebSocket[] = [];
  await Promise.all(
    seqs.map(
      (s, c) =>
        new Promise<void>((resolve, reject) => {
          const ws = new WebSocket(job.url, { headers: { cookie: job.cookie, origin: job.origin } });
          sockets.push(ws);
          ws.on('error', reject);
          ws.on('close', (code) => closes.push(code));
          ws.on('message', (data) => {
            const t = now();
            const text = data.toString();
            // Cheap: every event message starts {"v":1,"seq":N
            const m = /^\{"v":1,"seq":(\d+)/.exec(text);
            if (m !== null) {
              const i = counts[c] as number;
              if (i < job.capacity) {
                s[i] = Number(m[1]);
                (times[c] as Float64Array)[i] = t;
              }
              counts[c] = i + 1;
              return;
            }
            const type = (JSON.parse(text) as { type?: string }).type;
            if (type === 'hello') hellos++;
            if (type === 'live') {
              lives++;
              resolve();
            }
          });
        }),
    ),
  );
  parentPort?.postMessage({ kind: 'ready' } satisfies FromWorker);
  parentPort?.on('message', (m: { kind: string }) => {
    if (m.kind !== 'stats') return;
    const out: FromWorker = { kind: 'stats', seqs: seqs.map((s) => s.buffer.slice(0) as ArrayBuffer), times: times.map((t) => t.buffer.slice(0) as ArrayBuffer), counts: [...counts], hellos, lives, closes };
    parentPort?.postMessage(out);
  });
}

export type ConsoleStats = {
  /** Per console: seqs received, in arrival order. */
  seqs: Float64Array[];
  /** Per console: receive times, parallel to seqs. */
  times: Float64Array[];
  counts: number[];
  closes: number[];
};

export type Consoles = { stats(): Promise<ConsoleStats>; stop(): Promise<void> };

/** Opens `count` consoles on `wsUrl` (…/ws?since=N); resolves once every one has had its `live`. */
export async function openConsoles(options: { wsUrl: string; cookie: string; origin: string; count: number; capacity: number }): Promise<Consoles> {
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, {
    eval: true,
    workerData: { url: options.wsUrl, cookie: options.cookie, origin: options.origin, count: options.count, capacity: options.capacity } satisfies Job,
  });
  await new Promise<void>((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (m: FromWorker) => m.kind === 'ready' && resolve());
  });
  return {
    stats() {
      return new Promise<ConsoleStats>((resolve) => {
        const on = (m: FromWorker) => {
          if (m.kind !== 'stats') return;
          worker.off('message', on);
          resolve({ seqs: m.seqs.map((b) => new Float64Array(b)), times: m.times.map((b) => new Float64Array(b)), counts: m.counts, closes: m.closes });
        };
        worker.on('message', on);
        worker.postMessage({ kind: 'stats' });
      });
    },
    async stop() {
      await worker.terminate();
    },
  };
}

if (!isMainThread && (workerData as Job | undefined)?.capacity !== undefined) {
  await consoleWorker(workerData as Job);
}
