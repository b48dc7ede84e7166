// Shared by the end-to-end benchmarks: the conditions every figure is printed with, quantiles, and the
// result file bench/results/<name>.json.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

/** Wall-clock milliseconds with sub-millisecond resolution (comparable across worker threads). */
export const now = (): number => performance.timeOrigin + performance.now();

/** The machine and its load when the benchmark started. */
/**
 * This process's Node and V8 flags (tsx's loader left out), NODE_OPTIONS included: whether a benchmark ran with
 * the gateway's own (gateway/node-flags.ts; bench/run.ts gives them to the gateway's benchmarks).
 */
export function nodeFlags(): string[] {
  const flags: string[] = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--import' || a === '--require' || a === '--eval' || a === '-e') i++;
    else if (!a.startsWith('--import=') && !a.startsWith('--require=')) flags.push(a);
  }
  return [...flags, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/).filter((f) => f !== '')];
}

export function machine(): Record<string, unknown> {
  const [l1, l5, l15] = os.loadavg();
  return {
    node: process.version,
    nodeFlags: nodeFlags(),
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    loadAverageAtStart: [l1, l5, l15].map((l) => +(l ?? 0).toFixed(2)),
    platform: `${os.platform()} ${os.release()}`,
  };
}

/** The load average now (print it at the end too: the machine is shared). */
export function loadNow(): number[] {
  return os.loadavg().map((l) => +l.toFixed(2));
}

/** p-quantile of an ascending array. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

export type Summary = { n: number; p50: number; p90: number; p99: number; max: number; min: number };

/** Median, p90, p99, min, max in ms (2 decimals). */
export function summarise(values: ArrayLike<number>): Summary {
  const s = Float64Array.from(values as ArrayLike<number>).sort();
  const r = (x: number) => +x.toFixed(2);
  return { n: s.length, min: r(s[0] ?? NaN), p50: r(quantile(s, 0.5)), p90: r(quantile(s, 0.9)), p99: r(quantile(s, 0.99)), max: r(s[s.length - 1] ?? NaN) };
}

export const mb = (bytes: number): number => +(bytes / 1048576).toFixed(1);

/** Writes bench/results/<name>.json and says where. */
export function writeResult(name: string, result: Record<string, unknown>): void {
  const dir = path.resolve(import.meta.dirname, '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ bench: name, finishedAt: new Date().toISOString(), loadAverageAtEnd: loadNow(), ...result }, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

/** An env var as a positive number, or the default. */
export function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${v}: expected a positive number`);
  return n;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU seconds of the main thread so far, user and system (Linux: /proc, in clock ticks of 10 ms). */
export function mainThreadCpu(): { user: number; system: number } {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
}
