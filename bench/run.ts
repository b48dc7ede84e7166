// `make bench`: runs every bench/*.bench.ts in its own Node process (so that one benchmark's heap and JIT
// state cannot colour another's), one after the other, with --expose-gc for the allocation figures.
// Each benchmark prints its own figures and writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.js';

const dir = import.meta.dirname;
/** The benchmarks of the gateway's own throughput and latency run with the flags the gateway is started with
 * (gateway/node-flags.ts); the others keep the flags their recorded figures were measured with. */
const GATEWAY_BENCHES = ['alarm.bench.ts', 'ingest.bench.ts', 'scale.bench.ts'];
mkdirSync(path.join(dir, 'results'), { recursive: true });
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const flags = GATEWAY_BENCHES.includes(f) ? GATEWAY_NODE_FLAGS : [];
  const r = spawnSync(process.execPath, ['--expose-gc', ...flags, '--import', 'tsx', path.join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${f} failed (exit ${r.status ?? r.signal})`);
  }
}
if (files.length === 0) console.log('no benchmarks found');
process.exit(failed === 0 ? 0 : 1);
