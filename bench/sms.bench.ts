// SMS PDU benchmark: decodes and encodes per second, with node-pdu (the test oracle) as a yardstick.
//
//   npm run bench -- sms        (or: npx tsx bench/run.ts sms)
//
// Workloads (1 000 distinct messages each, from 100 senders, built with our encoder and checked first):
//   decode-1part      tryDecodeDeliver on single-part GSM 7-bit DELIVERs of 60..150 characters (SMSC prefix)
//   incoming-1part    tryDecodeIncoming (what the gateway calls for a +CMT) on the same PDUs
//   decode-2part      a TSR1-report-size message (about 210 characters, 2 concatenated parts): decode both
//                     parts (tryDecodeIncoming) and join them in a Reassembler on the system clock (real
//                     timers, as in the gateway); the rate counts PDUs, messages = PDUs / 2
//   node-pdu-1part    node-pdu's parse() + getText() on the decode-1part PDUs
//   node-pdu-2part    node-pdu's parse() + getText() on the decode-2part PDUs (no reassembly: it has none)
//   encode-submit-1   encodeSubmit of a 140-character GSM text (1 PDU)
//   encode-submit-2   encodeSubmit of the report-size text (2 PDUs); the rate counts messages
//   encode-deliver-2  encodeDeliver of the report-size text (2 PDUs); messages
//   encode-ucs2-1     encodeSubmit of a 60-character Cyrillic + emoji text (UCS2, 1 PDU)
//
// Method. The machine this runs on is usually shared (load average printed), so every figure is given two
// ways: `wall` = items / elapsed time, and `cpu` = items / CPU time this process used (process.cpuUsage:
// time when another process has the core is not counted, GC on helper threads is). Each is the median of
// 7 rounds of at least 200 ms after a warm-up, with the min..max range. Ours and node-pdu run interleaved
// (ours, node-pdu, ours, node-pdu, ...) on the same PDUs in this one process, and the ratio is taken per
// round, so a change of load during the run cannot favour one side. Every round checks its results (a
// benchmark that silently decodes nothing is worthless).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as nodePduParse, type Deliver } from 'node-pdu';
import { systemClock } from '../protocol/time/clock.js';
import {
  Reassembler,
  encodeDeliver,
  encodeSubmit,
  tryDecodeDeliver,
  tryDecodeIncoming,
  type SmsDeliver,
} from '../protocol/sms/index.js';

const RESULTS = path.join(import.meta.dirname, 'results', 'sms.json');
const N = 1000;
const ROUNDS = 7;
const ROUND_MS = 200;
const AT = Date.UTC(2026, 6, 23, 12, 0, 0);
const WORDS = 'help alarm location battery signal track ok police home fix north south east west'.split(' ');

function fail(msg: string): never {
  console.error(msg);
  process.exit(1);
}

function sender(i: number): string {
  return `+4477009${String(i % 100).padStart(5, '0')}`;
}

function words(i: number, min: number, max: number): string {
  let s = `#${i} `;
  for (let k = i; s.length < min; k = (k * 7 + 3) % 97) s += `${WORDS[k % WORDS.length]} `;
  return s.slice(0, Math.min(max, s.length));
}

function report(i: number): string {
  return (
    `TSR1;h=TS-${String(i % 100).padStart(4, '0')};n=${1000 + i};e=TRK;b=80;q=20;` +
    '$GPRMC,120000,A,5130.0000,N,00007.0000,W,0.0,0.0,230726,,,A*6B;' +
    '$GPGGA,120000,5130.0000,N,00007.0000,W,1,08,0.9,12.0,M,47.0,M,,*4D;m=AbCdEfGhIjK'
  );
}

// Flat strings, as a serial line hands them over (the encoder's output is a rope of concatenations).
const flat = (s: string): string => s.split('').join('');

const singles = Array.from({ length: N }, (_, i) => words(i, 60 + (i % 90), 150));
const singlePdus = singles.map((t, i) => {
  const p = encodeDeliver({ from: sender(i), text: t, sentAt: AT + i * 1000, smsc: '+447785016005' });
  if (p.length !== 1) fail(`single ${i} made ${p.length} parts`);
  return flat(p[0]!.pdu);
});
const singleChars = singles.reduce((n, t) => n + t.length, 0);
const reports = Array.from({ length: N }, (_, i) => report(i));
const reportPdus = reports.map((t, i) => {
  const p = encodeDeliver({ from: sender(i), text: t, sentAt: AT + i * 1000, smsc: '+447785016005', concatRef: i & 0xff });
  if (p.length !== 2) fail(`report ${i} made ${p.length} parts`);
  return p.map((x) => flat(x.pdu));
});
const text140 = words(7, 140, 140);
const ucs2 = 'Помогите, я дома 🚨 '.repeat(3);

function decode1(): number {
  let chars = 0;
  for (const h of singlePdus) {
    const r = tryDecodeDeliver(h);
    if (!r.ok) fail(`decode-1part: ${r.reason}`);
    chars += r.value.text.length;
  }
  if (chars !== singleChars) fail('decode-1part: wrong text');
  return singlePdus.length;
}

function incoming1(): number {
  let chars = 0;
  for (const h of singlePdus) {
    const r = tryDecodeIncoming(h);
    if (!r.ok || r.value.type !== 'deliver') fail('incoming-1part: rejected');
    chars += r.value.text.length;
  }
  if (chars !== singleChars) fail('incoming-1part: wrong text');
  return singlePdus.length;
}

function decode2(): number {
  let done = 0;
  const r = new Reassembler<SmsDeliver>({ clock: systemClock, maxPending: 4 * N });
  for (let i = 0; i < reportPdus.length; i++) {
    const [a, b] = reportPdus[i]!;
    const x = tryDecodeIncoming(a!);
    if (!x.ok || x.value.type !== 'deliver') fail('decode-2part: rejected');
    r.add(x.value);
    const y = tryDecodeIncoming(b!);
    if (!y.ok || y.value.type !== 'deliver') fail('decode-2part: rejected');
    const out = r.add(y.value);
    if (out.status === 'complete' && out.message.text === reports[i]) done++;
  }
  if (done !== reportPdus.length) fail(`decode-2part: ${done}/${reportPdus.length} complete`);
  r.close();
  return reportPdus.length * 2;
}

function nodePdu1(): number {
  let chars = 0;
  for (const h of singlePdus) chars += (nodePduParse(h) as Deliver).data.getText().length;
  if (chars !== singleChars) fail('node-pdu-1part: wrong text');
  return singlePdus.length;
}

function nodePdu2(): number {
  let chars = 0;
  for (const [a, b] of reportPdus) chars += (nodePduParse(a!) as Deliver).data.getText().length + (nodePduParse(b!) as Deliver).data.getText().length;
  if (chars === 0) fail('node-pdu-2part: no text');
  return reportPdus.length * 2;
}

function encSubmit1(): number {
  for (let i = 0; i < N; i++) if (encodeSubmit(sender(i), text140).length !== 1) fail('encode-submit-1');
  return N;
}

function encSubmit2(): number {
  for (let i = 0; i < N; i++) if (encodeSubmit(sender(i), reports[i]!, { concatRef: i & 0xff }).length !== 2) fail('encode-submit-2');
  return N;
}

function encDeliver2(): number {
  for (let i = 0; i < N; i++) if (encodeDeliver({ from: sender(i), text: reports[i]!, sentAt: AT, concatRef: i & 0xff }).length !== 2) fail('encode-deliver-2');
  return N;
}

function encUcs2(): number {
  for (let i = 0; i < N; i++) if (encodeSubmit(sender(i), ucs2).length !== 1) fail('encode-ucs2-1');
  return N;
}

interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

/** One round: items per second of wall time and of this process's CPU time. */
function round(fn: () => number): Sample {
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ROUND_MS) {
    n += fn();
    t = performance.now();
  }
  const c = process.cpuUsage(c0);
  return { wall: (n * 1000) / (t - t0), cpu: (n * 1e6) / Math.max(1, c.user + c.system) };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

interface Figure {
  readonly wall: number;
  readonly wallRange: readonly [number, number];
  readonly cpu: number;
  readonly cpuRange: readonly [number, number];
}

function figure(samples: readonly Sample[]): Figure {
  const w = samples.map((s) => s.wall);
  const c = samples.map((s) => s.cpu);
  return {
    wall: Math.round(median(w)),
    wallRange: [Math.round(Math.min(...w)), Math.round(Math.max(...w))],
    cpu: Math.round(median(c)),
    cpuRange: [Math.round(Math.min(...c)), Math.round(Math.max(...c))],
  };
}

/** Runs the workloads interleaved, round by round (so each sees the same load), after a warm-up. */
function measure(fns: readonly (() => number)[]): Sample[][] {
  for (let i = 0; i < 3; i++) for (const fn of fns) fn();
  const out: Sample[][] = fns.map(() => []);
  for (let r = 0; r < ROUNDS; r++) fns.forEach((fn, k) => out[k]!.push(round(fn)));
  return out;
}

const loadBefore = os.loadavg()[0]!;
const [d1, np1, in1] = measure([decode1, nodePdu1, incoming1]);
const [d2, np2] = measure([decode2, nodePdu2]);
const [es1, es2, ed2, eu1] = measure([encSubmit1, encSubmit2, encDeliver2, encUcs2]);

/** Per-round ratio ours / node-pdu (same round, same load), median and range. */
function ratio(ours: readonly Sample[], theirs: readonly Sample[]): { wall: number; cpu: number; cpuRange: [number, number] } {
  const w = ours.map((s, i) => s.wall / theirs[i]!.wall);
  const c = ours.map((s, i) => s.cpu / theirs[i]!.cpu);
  const r2 = (x: number): number => Math.round(x * 100) / 100;
  return { wall: r2(median(w)), cpu: r2(median(c)), cpuRange: [r2(Math.min(...c)), r2(Math.max(...c))] };
}

const figures = {
  'decode-1part': { ...figure(d1!), unit: 'PDUs' },
  'incoming-1part': { ...figure(in1!), unit: 'PDUs' },
  'decode-2part': { ...figure(d2!), unit: 'PDUs (2 per message, reassembled)' },
  'node-pdu-1part': { ...figure(np1!), unit: 'PDUs' },
  'node-pdu-2part': { ...figure(np2!), unit: 'PDUs (not reassembled)' },
  'encode-submit-1': { ...figure(es1!), unit: 'messages (1 PDU)' },
  'encode-submit-2': { ...figure(es2!), unit: 'messages (2 PDUs)' },
  'encode-deliver-2': { ...figure(ed2!), unit: 'messages (2 PDUs)' },
  'encode-ucs2-1': { ...figure(eu1!), unit: 'messages (1 PDU)' },
};
const ratios = {
  'decode-1part / node-pdu-1part': ratio(d1!, np1!),
  'decode-2part / node-pdu-2part': ratio(d2!, np2!),
};

const conditions = {
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  loadAverage1m: { before: Math.round(loadBefore * 10) / 10, after: Math.round(os.loadavg()[0]! * 10) / 10 },
  method: `median of ${ROUNDS} interleaved rounds of >= ${ROUND_MS} ms after 3 warm-up passes; wall = per elapsed second, cpu = per second of this process's CPU time; 1 000 distinct messages per workload`,
};
const fmt = (x: number): string => String(x).padStart(8);
console.log(`${'workload'.padEnd(17)} ${'wall /s'.padStart(8)} ${'(min..max)'.padEnd(19)} ${'cpu /s'.padStart(8)} (min..max)`);
for (const [name, f] of Object.entries(figures)) {
  console.log(`${name.padEnd(17)} ${fmt(f.wall)} (${f.wallRange.join('..')})`.padEnd(47) + `${fmt(f.cpu)} (${f.cpuRange.join('..')})  ${f.unit}`);
}
console.log(`decode-2part      messages: ${Math.round(figures['decode-2part'].wall / 2)} /s wall, ${Math.round(figures['decode-2part'].cpu / 2)} /s cpu`);
for (const [name, r] of Object.entries(ratios)) console.log(`${name}: x${r.cpu} cpu (x${r.cpuRange.join('..x')}), x${r.wall} wall`);
console.log(`conditions: ${JSON.stringify(conditions)}`);
writeFileSync(RESULTS, JSON.stringify({ benchmark: 'sms', date: new Date().toISOString(), conditions, figures, ratios }, null, 2) + '\n');
