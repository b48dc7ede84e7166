// NMEA decoder benchmark: our zero-allocation decoder against nmea-simple, same corpus, same run.
//
//   npm run bench -- nmea        (or: npx tsx bench/run.ts nmea)
//
// Corpora, from every capture in ../shared/corpus/nmea/gpsd: (1) all GGA+RMC lines, (2) every sentence line
// (`$` or `!`), each as CRLF-terminated bytes for our decoder and as pre-split strings for nmea-simple (which
// gets the easier job: no framing). nmea-simple throws on types it does not know and on bad checksums: each
// throw counts as one of its rejections. Rates count input lines per second.
//
// Allocation: a child process (node --expose-gc --max-semi-space-size=64 --min-semi-space-size=64, a fixed
// 64 MB young generation) runs each workload in windows; each window starts after gc() and is measured as the
// delta of v8.getHeapStatistics().used_heap_size. Windows that saw a GC (a PerformanceObserver 'gc' entry inside
// the window, a shrinking heap or a change of total_heap_size) are discarded. The cost of the measurement
// itself (an empty window) is subtracted. A self-test first measures objects of known size (N two-field
// objects: 5 tagged words each; N boxed doubles: 16 bytes each on x64) and the run fails if the method misses.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { parseNmeaSentence } from 'nmea-simple';
import { NmeaDecoder } from '../protocol/nmea/index.js';

const CORPUS_DIR = path.resolve(import.meta.dirname, '../../shared/corpus/nmea/gpsd');
const RESULTS = path.join(import.meta.dirname, 'results', 'nmea.json');

interface Corpus {
  name: string;
  lines: string[];
  bytes: Uint8Array;
  /** Offset of each line in `bytes`, and bytes.length last: one push per line for the per-line row. */
  lineStarts: Int32Array;
}

function loadCorpora(): Corpus[] {
  const all: string[] = [];
  for (const f of readdirSync(CORPUS_DIR).filter((n) => n.endsWith('.log')).sort()) {
    for (const l of readFileSync(path.join(CORPUS_DIR, f), 'latin1').split(/\r\n|\r|\n/)) {
      if (l.startsWith('$') || l.startsWith('!')) all.push(l);
    }
  }
  const ggaRmc = all.filter((l) => /^\$..(GGA|RMC),/.test(l));
  const make = (name: string, lines: string[]): Corpus => {
    const lineStarts = new Int32Array(lines.length + 1);
    for (let k = 0, at = 0; k < lines.length; k++) {
      lineStarts[k] = at;
      at += (lines[k] as string).length + 2;
      lineStarts[k + 1] = at;
    }
    return { name, lines, bytes: Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'), lineStarts };
  };
  return [make('GGA+RMC', ggaRmc), make('all sentences', all)];
}

// ---- workloads ---------------------------------------------------------------------------------------------

/** Sink for the decoded values, so that no decoder's work can be optimised away (a typed array: no boxing). */
const sink = new Float64Array(1);

const ours = new NmeaDecoder();
ours.onSentence = (s) => {
  // The fields a user reads, so that no lazy decoding could fake the figures (NaN-safe: absent counts as 1).
  const lat = s.latitude;
  const lon = s.longitude;
  const t = s.timeOfDayMs;
  sink[0] += (lat === lat ? lat : 1) + (lon === lon ? lon : 1) + (t === t ? t : 1);
};

/** Our decoder over bytes[from..to); returns sentences decoded. */
function runOurs(bytes: Uint8Array, from = 0, to = bytes.length): number {
  return ours.push(bytes, from, to);
}

/** Our decoder given one line per push (what a serial port delivering a line per read gives it). */
function runOursPerLine(bytes: Uint8Array, lineStarts: Int32Array): number {
  let n = 0;
  for (let k = 0; k + 1 < lineStarts.length; k++) n += ours.push(bytes, lineStarts[k] as number, lineStarts[k + 1] as number);
  return n;
}

/** nmea-simple over lines[from..to); returns sentences decoded (the rest threw). */
function runSimple(lines: string[], from = 0, to = lines.length): number {
  let ok = 0;
  for (let i = from; i < to; i++) {
    try {
      // The same fields as ours: position and time (GGA `time`, RMC `datetime`, both Dates nmea-simple made).
      const p = parseNmeaSentence(lines[i] as string) as { latitude?: number; longitude?: number; time?: Date; datetime?: Date };
      const t = p.time ?? p.datetime;
      sink[0] += (p.latitude ?? 1) + (p.longitude ?? 1) + (t === undefined ? 1 : t.getTime());
      ok++;
    } catch {
      // nmea-simple's rejection
    }
  }
  return ok;
}

/**
 * nmea-simple given the same input as ours, bytes: decoded to a string and split into lines first (what a
 * program reading a serial port does before calling it). Reported beside the pre-split figure.
 */
function runSimpleFromBytes(bytes: Uint8Array): number {
  const lines = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1').split('\r\n');
  lines.pop(); // after the last CRLF
  return runSimple(lines);
}

// ---- allocation (child process) ----------------------------------------------------------------------------

interface Window {
  bytes: number;
  units: number;
  t0: number;
  t1: number;
  clean: boolean;
}

const gcEntries: { start: number; end: number }[] = [];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** Runs `fn` (returning how many units it processed) in GC-free windows and records the heap deltas. */
function windows(count: number, fn: () => number): Window[] {
  for (let k = 0; k < 10; k++) fn(); // warm: compile before measuring
  const out: Window[] = [];
  for (let w = 0; w < count; w++) {
    gc();
    gc();
    const t0 = performance.now();
    const before = v8.getHeapStatistics();
    const units = fn();
    const after = v8.getHeapStatistics();
    const t1 = performance.now();
    const delta = after.used_heap_size - before.used_heap_size;
    out.push({ bytes: delta, units, t0, t1, clean: delta >= 0 && after.total_heap_size === before.total_heap_size });
  }
  return out;
}

/**
 * Bytes per unit over the clean windows (GC entries are known only after the event loop has turned): the
 * median of the windows' figures (robust against a window in which the optimiser happened to finish a
 * compilation, which allocates on the heap) and the mean over all clean windows.
 */
function perUnit(ws: Window[], overhead: number): { bytesPerUnit: number; meanBytesPerUnit: number; windows: number; discarded: number } {
  const clean = ws.filter((w) => w.clean && !gcEntries.some((g) => g.end >= w.t0 && g.start <= w.t1));
  const net = clean.map((w) => Math.max(0, w.bytes - overhead));
  const units = clean.reduce((a, w) => a + w.units, 0);
  return {
    bytesPerUnit: clean.length === 0 ? NaN : median(clean.map((w, k) => (net[k] as number) / w.units)),
    meanBytesPerUnit: units === 0 ? NaN : net.reduce((a, b) => a + b, 0) / units,
    windows: clean.length,
    discarded: ws.length - clean.length,
  };
}

async function allocationChild(): Promise<void> {
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcEntries.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  obs.observe({ entryTypes: ['gc'] });
  const corpora = loadCorpora();
  // Warm up: let the optimiser compile every path before anything is measured.
  for (let i = 0; i < 30; i++) for (const c of corpora) runOurs(c.bytes);
  for (let i = 0; i < 3; i++) for (const c of corpora) runSimple(c.lines);

  const empty = windows(50, () => 1);
  const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 20));
  await settle();
  const overhead = median(empty.filter((w) => w.clean).map((w) => w.bytes));

  // Self-test: objects of known size must be measured as such.
  const N = 100_000;
  const holder: unknown[] = new Array<unknown>(N).fill(null);
  const tagged = (process.config.variables as { v8_enable_pointer_compression?: number }).v8_enable_pointer_compression ? 4 : 8;
  const objects = windows(10, () => {
    for (let i = 0; i < N; i++) holder[i] = { a: i, b: i };
    return N;
  });
  const boxed = windows(10, () => {
    for (let i = 0; i < N; i++) holder[i] = i + 0.5;
    return N;
  });
  const nothing = windows(10, () => {
    for (let i = 0; i < N; i++) sink[0] += i;
    return N;
  });
  await settle();
  const selfTest = {
    twoFieldObject: { expected: 5 * tagged, measured: perUnit(objects, overhead).bytesPerUnit },
    boxedDouble: { expected: tagged === 8 ? 16 : 12, measured: perUnit(boxed, overhead).bytesPerUnit },
    noAllocation: { expected: 0, measured: perUnit(nothing, overhead).bytesPerUnit },
  };

  const results: Record<string, { ours: ReturnType<typeof perUnit>; simple: ReturnType<typeof perUnit> }> = {};
  for (const c of corpora) {
    const oursW = windows(40, () => {
      runOurs(c.bytes);
      return c.lines.length;
    });
    // nmea-simple allocates a lot: windows of 1000 lines keep each well inside the young generation.
    const chunk = 1000;
    const simpleW: Window[] = [];
    for (let rep = 0; rep < 2; rep++) {
      for (let from = 0; from < c.lines.length; from += chunk) {
        const to = Math.min(c.lines.length, from + chunk);
        simpleW.push(...windows(1, () => (runSimple(c.lines, from, to), to - from)));
      }
    }
    await settle();
    results[c.name] = { ours: perUnit(oursW, overhead), simple: perUnit(simpleW, overhead) };
  }
  obs.disconnect();
  process.stdout.write(JSON.stringify({ overheadBytes: overhead, gcEvents: gcEntries.length, selfTest, results }));
}

// ---- throughput (this process) -----------------------------------------------------------------------------

/** CPU time (user + system) of this process in milliseconds. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * Rates in units per CPU second, median of `rounds` rounds of at least `ms` CPU milliseconds each, the
 * workloads interleaved round by round so that both see the same machine load. CPU time rather than wall
 * time: this machine is shared, and a busy neighbour stretches wall time but not the CPU time we use.
 */
function rates(workloads: Array<{ units: number; fn: () => void }>, rounds = 7, ms = 300): number[] {
  const all: number[][] = workloads.map(() => []);
  for (let r = 0; r < rounds; r++) {
    workloads.forEach((w, k) => {
      let n = 0;
      const t0 = cpuMs();
      let t = t0;
      do {
        w.fn();
        n++;
        t = cpuMs();
      } while (t - t0 < ms);
      (all[k] as number[]).push((n * w.units * 1000) / (t - t0));
    });
  }
  return all.map(median);
}

function main(): void {
  const corpora = loadCorpora();
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-semi-space-size=64', '--min-semi-space-size=64', '--import', 'tsx', import.meta.filename, '--alloc'],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (child.status !== 0) {
    console.error(child.stderr);
    throw new Error(`allocation child failed (exit ${child.status ?? child.signal})`);
  }
  const alloc = JSON.parse(child.stdout) as {
    overheadBytes: number;
    gcEvents: number;
    selfTest: Record<string, { expected: number; measured: number }>;
    results: Record<string, Record<'ours' | 'simple', { bytesPerUnit: number; meanBytesPerUnit: number; windows: number; discarded: number }>>;
  };

  const load = os.loadavg()[0] ?? NaN;
  console.log(`node ${process.version} ${process.arch}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${load.toFixed(2)}`);
  console.log('rates are input lines (and bytes) per CPU second of this process, median of 7 interleaved rounds');
  console.log('allocation method self-test (bytes per item, expected vs measured):');
  let selfOk = true;
  for (const [name, t] of Object.entries(alloc.selfTest)) {
    const ok = Math.abs(t.measured - t.expected) <= Math.max(1, t.expected * 0.1);
    selfOk &&= ok;
    console.log(`  ${name.padEnd(16)} expected ${t.expected.toFixed(1).padStart(6)}  measured ${t.measured.toFixed(2).padStart(8)}  ${ok ? 'ok' : 'FAIL'}`);
  }
  console.log(`  (measurement overhead ${alloc.overheadBytes} B per window subtracted; ${alloc.gcEvents} GC events seen)`);

  const rows: Record<string, unknown>[] = [];
  for (const c of corpora) {
    for (let i = 0; i < 20; i++) runOurs(c.bytes);
    for (let i = 0; i < 2; i++) runSimple(c.lines);
    const decodedOurs = new NmeaDecoder();
    const oursDecoded = decodedOurs.push(c.bytes);
    const simpleDecoded = runSimple(c.lines);
    if (runOursPerLine(c.bytes, c.lineStarts) !== oursDecoded) throw new Error('one push per line decoded a different count');
    const [oursRate, simpleRate, simpleBytesRate, oursPerLineRate] = rates([
      { units: c.lines.length, fn: () => runOurs(c.bytes) },
      { units: c.lines.length, fn: () => runSimple(c.lines) },
      { units: c.lines.length, fn: () => runSimpleFromBytes(c.bytes) },
      { units: c.lines.length, fn: () => runOursPerLine(c.bytes, c.lineStarts) },
    ]) as [number, number, number, number];
    if (runSimpleFromBytes(c.bytes) !== simpleDecoded) throw new Error('nmea-simple from bytes decoded a different count');
    const mb = c.bytes.length / 1e6;
    const a = alloc.results[c.name];
    rows.push({
      corpus: c.name,
      lines: c.lines.length,
      megabytes: mb,
      ours: {
        decoded: oursDecoded,
        stats: decodedOurs.stats,
        sentencesPerSecond: oursRate,
        megabytesPerSecond: (oursRate * mb) / c.lines.length,
        heapBytesPerSentence: a?.ours.bytesPerUnit,
        heapBytesPerSentenceMean: a?.ours.meanBytesPerUnit,
        allocWindows: a?.ours.windows,
        allocWindowsDiscarded: a?.ours.discarded,
      },
      nmeaSimple: {
        decoded: simpleDecoded,
        rejected: c.lines.length - simpleDecoded,
        sentencesPerSecond: simpleRate,
        megabytesPerSecond: (simpleRate * mb) / c.lines.length,
        heapBytesPerSentence: a?.simple.bytesPerUnit,
        heapBytesPerSentenceMean: a?.simple.meanBytesPerUnit,
        allocWindows: a?.simple.windows,
        allocWindowsDiscarded: a?.simple.discarded,
      },
      nmeaSimpleFromBytes: {
        sentencesPerSecond: simpleBytesRate,
        megabytesPerSecond: (simpleBytesRate * mb) / c.lines.length,
      },
      oursPerLine: {
        sentencesPerSecond: oursPerLineRate,
        megabytesPerSecond: (oursPerLineRate * mb) / c.lines.length,
      },
      speedRatio: oursRate / simpleRate,
      speedRatioFromBytes: oursRate / simpleBytesRate,
    });
  }

  const fmt = (n: number, d = 0): string => n.toLocaleString('en-GB', { maximumFractionDigits: d, minimumFractionDigits: d });
  console.log('\ncorpus          decoder        lines  decoded  sentences/s      MB/s  heap B/sentence (median, mean of windows)');
  type Row = {
    corpus: string;
    lines: number;
    ours: Record<string, number>;
    nmeaSimple: Record<string, number>;
    nmeaSimpleFromBytes: Record<string, number>;
    oursPerLine: Record<string, number>;
    speedRatio: number;
    speedRatioFromBytes: number;
  };
  for (const r of rows as Row[]) {
    for (const [name, x] of [['ours', r.ours], ['nmea-simple', r.nmeaSimple]] as const) {
      console.log(
        `${r.corpus.padEnd(15)} ${name.padEnd(12)} ${String(r.lines).padStart(7)} ${String(x['decoded']).padStart(8)} ${fmt(x['sentencesPerSecond'] as number).padStart(12)} ${fmt(x['megabytesPerSecond'] as number, 1).padStart(9)} ${fmt(x['heapBytesPerSentence'] as number, 2).padStart(16)} ${fmt(x['heapBytesPerSentenceMean'] as number, 2).padStart(9)}`,
      );
    }
    const pl = r.oursPerLine;
    console.log(
      `${r.corpus.padEnd(15)} ${'ours/line'.padEnd(12)} ${String(r.lines).padStart(7)} ${String(r.ours['decoded']).padStart(8)} ${fmt(pl['sentencesPerSecond'] as number).padStart(12)} ${fmt(pl['megabytesPerSecond'] as number, 1).padStart(9)}`,
    );
    const b = r.nmeaSimpleFromBytes;
    console.log(
      `${r.corpus.padEnd(15)} ${'nmea-simple*'.padEnd(12)} ${String(r.lines).padStart(7)} ${String(r.nmeaSimple['decoded']).padStart(8)} ${fmt(b['sentencesPerSecond'] as number).padStart(12)} ${fmt(b['megabytesPerSecond'] as number, 1).padStart(9)}`,
    );
    console.log(
      `${r.corpus.padEnd(15)} ratio ours / nmea-simple: ${r.speedRatio.toFixed(1)}x (pre-split strings), ${r.speedRatioFromBytes.toFixed(1)}x (same bytes in)`,
    );
  }

  console.log('ours: the whole corpus in one push; ours/line: one push per line (a serial port delivering a line per read)');
  console.log('* nmea-simple given the same bytes as ours: latin1 decode + split on CRLF + parse (the rows above it: pre-split strings)');
  const [ggaRmc, whole] = rows as Array<{ ours: { heapBytesPerSentence: number; sentencesPerSecond: number }; speedRatio: number }>;
  const targets = {
    zeroBytesPerSentence: (ggaRmc?.ours.heapBytesPerSentence ?? 1) < 0.5 && (whole?.ours.heapBytesPerSentence ?? 1) < 0.5,
    ggaRmcAtLeast8x: (ggaRmc?.speedRatio ?? 0) >= 8,
    wholeSetAtLeast15x: (whole?.speedRatio ?? 0) >= 15,
    ggaRmcNear2_5M: (ggaRmc?.ours.sentencesPerSecond ?? 0) >= 2.5e6,
  };
  const loadAfter = os.loadavg()[0] ?? NaN;
  console.log(`load average at the end ${loadAfter.toFixed(2)} (rates move with it: compare ratios measured in the same run)`);
  console.log('\ntargets:', Object.entries(targets).map(([k, v]) => `${k} ${v ? 'met' : 'MISSED'}`).join(', '));
  writeFileSync(
    RESULTS,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, loadAverage: load, rateUnit: 'input lines per CPU second', loadAverageAtEnd: loadAfter, selfTest: alloc.selfTest, selfTestOk: selfOk, allocationOverheadBytes: alloc.overheadBytes, rows, targets }, null, 2)}\n`,
  );
  console.log(`written ${path.relative(process.cwd(), RESULTS)}`);
  if (!selfOk) {
    console.error('allocation self-test failed: the heap figures above are not trustworthy');
    process.exitCode = 1;
  }
}

if (process.argv.includes('--alloc')) await allocationChild();
else main();
