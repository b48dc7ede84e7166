// SMS PDU benchmark: decodes and encodes per second, with node-pdu (the test oracle) as a yardstick.
//
//   npm run bench -- sms        (or: npx tsx bench/run.ts sms)
//
// Workloads (1 000 distinct messages each, from 100 senders, built with our encoder and checked first):
//   decode-1part      tryDecodeDeliver on single-part GSM 7-bit DELIVERs of 60..150 characters (SMSC prefix)
//   decode-2part      a TSR1-report-size message (about 210 characters, 2 concatenated parts): decode both
//                     parts and join them in a Reassembler; the rate counts PDUs, and messages = PDUs / 2
//   node-pdu-1part    node-pdu's parse() + getText() on the decode-1part PDUs
//   encode-submit-1   encodeSubmit of a 140-character GSM text (1 PDU)
//   encode-submit-2   encodeSubmit of the report-size text (2 PDUs); the rate counts messages
//   encode-deliver-2  encodeDeliver of the report-size text (2 PDUs); messages
//   encode-ucs2-1     encodeSubmit of a 60-character Cyrillic + emoji text (UCS2, 1 PDU)
// Each figure is the best of 5 runs of at least 300 ms after a warm-up. Every run checks its results (a
// benchmark that silently decodes nothing is worthless).
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as nodePduParse, type Deliver } from 'node-pdu';
import { ManualClock } from '../protocol/time/clock.js';
import { Reassembler, encodeDeliver, encodeSubmit, tryDecodeDeliver, type SmsDeliver } from '../protocol/sms/index.js';

const RESULTS = path.join(import.meta.dirname, 'results', 'sms.json');
const N = 1000;
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

const singles = Array.from({ length: N }, (_, i) => words(i, 60 + (i % 90), 150));
const singlePdus = singles.map((t, i) => {
  const p = encodeDeliver({ from: sender(i), text: t, sentAt: AT + i * 1000, smsc: '+447785016005' });
  if (p.length !== 1) fail(`single ${i} made ${p.length} parts`);
  return p[0]!.pdu;
});
const reports = Array.from({ length: N }, (_, i) => report(i));
const reportPdus = reports.map((t, i) => {
  const p = encodeDeliver({ from: sender(i), text: t, sentAt: AT + i * 1000, smsc: '+447785016005', concatRef: i & 0xff });
  if (p.length !== 2) fail(`report ${i} made ${p.length} parts`);
  return p.map((x) => x.pdu);
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
  if (chars === 0) fail('decode-1part: no text');
  return singlePdus.length;
}

function decode2(): number {
  let done = 0;
  const r = new Reassembler<SmsDeliver>({ clock: new ManualClock(AT), maxPending: 4 * N });
  for (const [a, b] of reportPdus) {
    const x = tryDecodeDeliver(a!);
    const y = tryDecodeDeliver(b!);
    if (!x.ok || !y.ok) fail('decode-2part: rejected');
    r.add(x.value);
    if (r.add(y.value).status === 'complete') done++;
  }
  if (done !== reportPdus.length) fail(`decode-2part: ${done}/${reportPdus.length} complete`);
  r.close();
  return reportPdus.length * 2;
}

function nodePdu1(): number {
  let chars = 0;
  for (const h of singlePdus) chars += (nodePduParse(h) as Deliver).data.getText().length;
  if (chars === 0) fail('node-pdu: no text');
  return singlePdus.length;
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

function rate(fn: () => number): number {
  for (let i = 0; i < 3; i++) fn();
  let best = 0;
  for (let run = 0; run < 5; run++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < 300) {
      n += fn();
      t = performance.now();
    }
    best = Math.max(best, (n * 1000) / (t - t0));
  }
  return Math.round(best);
}

const figures = {
  'decode-1part': { perSecond: rate(decode1), unit: 'PDUs' },
  'decode-2part': { perSecond: rate(decode2), unit: 'PDUs (2 per message, reassembled)' },
  'node-pdu-1part': { perSecond: rate(nodePdu1), unit: 'PDUs' },
  'encode-submit-1': { perSecond: rate(encSubmit1), unit: 'messages (1 PDU)' },
  'encode-submit-2': { perSecond: rate(encSubmit2), unit: 'messages (2 PDUs)' },
  'encode-deliver-2': { perSecond: rate(encDeliver2), unit: 'messages (2 PDUs)' },
  'encode-ucs2-1': { perSecond: rate(encUcs2), unit: 'messages (1 PDU)' },
};

const conditions = {
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10,
  method: 'best of 5 runs of >= 300 ms after 3 warm-up passes; 1 000 distinct messages per workload',
};
for (const [name, f] of Object.entries(figures)) console.log(`${name.padEnd(18)} ${String(f.perSecond).padStart(9)} /s  ${f.unit}`);
console.log(`decode-2part       ${String(Math.round(figures['decode-2part'].perSecond / 2)).padStart(9)} /s  messages`);
console.log(`conditions: ${JSON.stringify(conditions)}`);
writeFileSync(RESULTS, JSON.stringify({ benchmark: 'sms', date: new Date().toISOString(), conditions, figures }, null, 2) + '\n');
