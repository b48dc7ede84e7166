// `make bench`: runs every bench/*.bench.ts in its own Node process (so that one benchmark's heap and JIT
// state cannot colour another's), one after the other, with --expose-gc for the allocation figures.
// Each benchmark prints its own figures and writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
mkdirSync(path.join(dir, 'results'), { recursive: true });
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(dir, f)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${f} failed (exit ${r.status ?? r.signal})`);
  }
}
if (files.length === 0) console.log('no benchmarks found');
process.exit(failed === 0 ? 0 : 1);
