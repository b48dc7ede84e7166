// The gateway's Node flags (gateway/node-flags.ts) reach every process this project starts the gateway in:
// `npm run gateway` cannot import them, so its script must spell them out, and V8 must take them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_NODE_FLAGS } from '../../gateway/node-flags.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the gateway process flags', () => {
  it('`npm run gateway` starts gateway/main.ts with them', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['gateway']).toBe(['tsx', ...GATEWAY_NODE_FLAGS, 'gateway/main.ts'].join(' '));
  });

  it('give V8 a young generation of 32 MB semi-spaces (the default here: 16)', () => {
    // new_space's capacity is two semi-spaces once grown: allocate until it has grown to its maximum.
    const probe = `const v8 = require('node:v8'); let keep = [];
      for (let i = 0; i < 6e6; i++) { keep.push({ i }); if (keep.length > 1e6) keep = []; }
      process.stdout.write(String(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size / 1048576));`;
    const run = (flags: readonly string[]) => Number(spawnSync(process.execPath, [...flags, '-e', probe], { encoding: 'utf8' }).stdout);
    expect(run(GATEWAY_NODE_FLAGS)).toBe(64);
    expect(run([])).toBeLessThan(64);
  });
});
