// Duplicate member names in the operator's JSON files. JSON.parse keeps the last silently: before, a manifest
// entry with a second "key" (a hand edit, a merge) registered the handset with whichever came last, and a config
// file with "lines" twice ran with the second list only, both without a word. They now stop start-up (exit 2)
// with the path of the name given twice, and never its value (a key, a victim's record).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../gateway/config/config.js';
import { duplicateKey } from '../../../gateway/config/json-text.js';
import { readManifest } from '../../../gateway/registry/manifest.js';

function file(name: string, text: string): string {
  const f = path.join(mkdtempSync(path.join(tmpdir(), 'tecsos-json-')), name);
  writeFileSync(f, text);
  return f;
}

const KEY_A = 'ab'.repeat(32);
const KEY_B = 'cd'.repeat(32);

describe('duplicateKey', () => {
  it('finds none in any JSON that JSON.stringify writes, compact or indented', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (v, indent) => {
        expect(duplicateKey(JSON.stringify(v, null, indent))).toBeUndefined();
      }),
      { numRuns: 300, seed: 5 },
    );
  });

  it('names the path of the first name given twice, compared decoded', () => {
    expect(duplicateKey('{"a":1,"a":2}')).toBe('a');
    expect(duplicateKey('{"handsets":[{"id":"x"},{"id":"y","key":"1", "key" : "2"}]}')).toBe('handsets.1.key');
    expect(duplicateKey('{"a":"\\"a\\"","\\u0061":1}')).toBe('a');
    expect(duplicateKey('{"a":{"b":1},"c":{"b":2},"d":[{"b":1},{"b":2}]}')).toBeUndefined();
    expect(duplicateKey('{"s":"{\\"x\\":1,\\"x\\":2}","t":"[,,,]"}')).toBeUndefined();
  });
});

describe('the gateway refuses a name given twice', () => {
  it('in a manifest entry, without quoting either key', () => {
    const entry = (key: string) => `"id":"TS-0001","number":"+447700900123","imei":"356938035643809","force":"Met","victim":{"name":"A","safetyNotes":"","riskMarkers":[]},"key":"${key}"`;
    const f = file('manifest.json', `{"version":1,"handsets":[{${entry(KEY_A)},"key":"${KEY_B}"}]}`);
    expect(() => readManifest(f)).toThrow(/handsets\.0\.key is given twice/);
    expect(() => readManifest(f)).not.toThrow(/abab|cdcd/);
  });

  it('in a config file', () => {
    const f = file('gateway.json', '{"lines":["tcp://127.0.0.1:7101"],"http":"127.0.0.1:8089","lines":["tcp://127.0.0.1:7102"]}');
    expect(() => loadConfig(['--config', f], {})).toThrow(/lines is given twice/);
  });
});
