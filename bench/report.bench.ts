// Report verification benchmark: how many TSR1 reports per second the gateway can decode and verify.
//
//   npm run bench -- report        (or: npx tsx bench/run.ts report)
//
// Workload: 2 000 reports signed for 100 handsets (distinct 32-byte keys), RMC/GGA pairs taken from every
// capture in ../shared/corpus/nmea/gpsd (real receivers' sentences, so lengths vary as in the field).
// Figures (each the best of 5 runs of at least 300 ms, after a warm-up):
//   decode        decodeReport only (syntax, no key)
//   webcrypto-seq decodeReport + await verifyReport (Web Crypto), one report at a time, as a simple loop would
//   webcrypto-par the same with 256 verifications in flight (Promise.all), as a busy gateway could
//   node-sync     decodeReport + verifyReportSync with an injected node:crypto createHmac
//   command       decodeCommand + verifyCommandSync (node:crypto)
//   aml           parseAml on the ETSI example
//   replay        ReplayWindow.accept, counters in order with 1 in 8 duplicated
// Every run checks that all reports verified (a benchmark that silently fails verification is worthless).
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  decodeCommand,
  decodeReport,
  encodeCommandSync,
  encodeReportSync,
  parseAml,
  ReplayWindow,
  verifyCommandSync,
  verifyReport,
  verifyReportSync,
  type HmacSha256Sync,
} from '../protocol/report/index.js';

const CORPUS_DIR = path.resolve(import.meta.dirname, '../../shared/corpus/nmea/gpsd');
const RESULTS = path.join(import.meta.dirname, 'results', 'report.json');
const HANDSETS = 100;
const REPORTS = 2000;

const nodeHmac: HmacSha256Sync = (key, message) => createHmac('sha256', key).update(message).digest();

function sentences(): { rmc: string[]; gga: string[] } {
  const lines = readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.log'))
    .sort()
    .flatMap((f) => readFileSync(path.join(CORPUS_DIR, f), 'latin1').split(/\r?\n/))
    .filter((l) => /^\$[A-Z]{2}(RMC|GGA),[^$*;`^~|\\{}[\]]*\*[0-9A-Fa-f]{2}$/.test(l) && l.length <= 110);
  return { rmc: lines.filter((l) => l.slice(3, 6) === 'RMC'), gga: lines.filter((l) => l.slice(3, 6) === 'GGA') };
}

const keys = Array.from({ length: HANDSETS }, (_, h) => Uint8Array.from({ length: 32 }, (_, i) => (h * 31 + i * 7) & 255));
const ids = Array.from({ length: HANDSETS }, (_, h) => `TS-${String(h).padStart(4, '0')}`);
const { rmc, gga } = sentences();
const reports: string[] = [];
for (let i = 0; i < REPORTS; i++) {
  const h = i % HANDSETS;
  reports.push(
    encodeReportSync(
      { handsetId: ids[h] as string, counter: 1000 + i, event: i % 50 === 0 ? 'ALM' : 'TRK', batteryPct: 80, csq: 20, rmc: rmc[i % rmc.length] as string, gga: gga[i % gga.length] as string },
      keys[h] as Uint8Array,
      nodeHmac,
    ),
  );
}
const keyById = new Map(ids.map((id, h) => [id, keys[h] as Uint8Array]));
const commands = reports.map((_, i) => encodeCommandSync({ handsetId: ids[i % HANDSETS] as string, counter: i, command: { kind: 'INTERVAL', seconds: 30 } }, keys[i % HANDSETS] as Uint8Array, nodeHmac));
const AML = 'A"ML=1;lt=+55.74317;lg=-4.26881;rd=50;top=20130717141935;lc=90;pm=G;si=234302543446355;ei=356708041746734;mcc=234;mnc=30;ml=124';

function fail(msg: string): never {
  console.error(msg);
  process.exit(1);
}

function decodeOnly(): number {
  let ok = 0;
  for (const t of reports) if (decodeReport(t).ok) ok++;
  if (ok !== reports.length) fail(`decode: ${ok}/${reports.length}`);
  return reports.length;
}

async function webcryptoSeq(): Promise<number> {
  let ok = 0;
  for (const t of reports) {
    const d = decodeReport(t);
    if (d.ok && (await verifyReport(d, keyById.get(d.handsetId) as Uint8Array))) ok++;
  }
  if (ok !== reports.length) fail(`webcrypto-seq: ${ok}/${reports.length}`);
  return reports.length;
}

async function webcryptoPar(): Promise<number> {
  let ok = 0;
  for (let i = 0; i < reports.length; i += 256) {
    const batch = reports.slice(i, i + 256).map((t) => {
      const d = decodeReport(t);
      return d.ok ? verifyReport(d, keyById.get(d.handsetId) as Uint8Array) : Promise.resolve(false);
    });
    for (const v of await Promise.all(batch)) if (v) ok++;
  }
  if (ok !== reports.length) fail(`webcrypto-par: ${ok}/${reports.length}`);
  return reports.length;
}

function nodeSync(): number {
  let ok = 0;
  for (const t of reports) {
    const d = decodeReport(t);
    if (d.ok && verifyReportSync(d, keyById.get(d.handsetId) as Uint8Array, nodeHmac)) ok++;
  }
  if (ok !== reports.length) fail(`node-sync: ${ok}/${reports.length}`);
  return reports.length;
}

function commandSync(): number {
  let ok = 0;
  for (const t of commands) {
    const d = decodeCommand(t);
    if (d.ok && verifyCommandSync(d, keyById.get(d.handsetId) as Uint8Array, nodeHmac)) ok++;
  }
  if (ok !== commands.length) fail(`command: ${ok}/${commands.length}`);
  return commands.length;
}

function aml(): number {
  let ok = 0;
  for (let i = 0; i < 2000; i++) if (parseAml(AML).ok) ok++;
  if (ok !== 2000) fail('aml');
  return 2000;
}

function replay(): number {
  const w = new ReplayWindow();
  let fresh = 0;
  let n = 0;
  for (let i = 0; i < 20000; i++) {
    if (i % 8 !== 7) n++;
    if (w.accept(n, 'MAC' + (n & 63)) === 'fresh') fresh++;
  }
  if (fresh !== n) fail(`replay: ${fresh}/${n}`);
  return 20000;
}

async function rate(name: string, fn: () => number | Promise<number>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  let best = 0;
  for (let run = 0; run < 5; run++) {
    let items = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < 300) {
      items += await fn();
      t = performance.now();
    }
    best = Math.max(best, (items * 1000) / (t - t0));
  }
  console.log(`${name.padEnd(14)} ${Math.round(best).toLocaleString('en-GB').padStart(12)} /s`);
  return Math.round(best);
}

const conditions = {
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cpus: os.cpus().length,
  handsets: HANDSETS,
  reports: REPORTS,
  meanReportChars: Math.round(reports.reduce((a, t) => a + t.length, 0) / reports.length),
  method: 'best of 5 runs of >= 300 ms after 3 warm-up passes, single thread',
};
console.log(`report bench: ${JSON.stringify(conditions)}`);
const figures = {
  decodePerSec: await rate('decode', decodeOnly),
  decodeVerifyWebCryptoSeqPerSec: await rate('webcrypto-seq', webcryptoSeq),
  decodeVerifyWebCryptoParPerSec: await rate('webcrypto-par', webcryptoPar),
  decodeVerifyNodeSyncPerSec: await rate('node-sync', nodeSync),
  commandDecodeVerifyNodeSyncPerSec: await rate('command', commandSync),
  amlParsePerSec: await rate('aml', aml),
  replayAcceptPerSec: await rate('replay', replay),
};
writeFileSync(RESULTS, JSON.stringify({ bench: 'report', at: new Date().toISOString(), conditions, figures }, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), RESULTS)}`);
