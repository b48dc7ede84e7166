// The one-way dependency rule (DESIGN.md) is enforced by tools/eslint/layers.js; these cases show it bites.
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'layers/one-way').map((m) => m.message);
}

describe('one-way dependency rule', () => {
  it('forbids node built-ins in protocol/', async () => {
    expect(await problems('protocol/nmea/x.ts', "import fs from 'node:fs';\nexport const a = fs;\n")).toHaveLength(1);
    expect(await problems('protocol/nmea/x.ts', "import fs from 'fs';\nexport const a = fs;\n")).toHaveLength(1);
  });

  it('forbids packages other than zod in protocol/', async () => {
    expect(await problems('protocol/schemas/x.ts', "import { z } from 'zod';\nexport const a = z;\n")).toHaveLength(0);
    expect(await problems('protocol/schemas/x.ts', "import f from 'fastify';\nexport const a = f;\n")).toHaveLength(1);
  });

  it('forbids gateway <-> firmware-sim and protocol -> anything above it', async () => {
    expect(await problems('gateway/calls/x.ts', "import { a } from '../../firmware-sim/modem/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await problems('firmware-sim/modem/x.ts', "import { a } from '../../gateway/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await problems('protocol/at/x.ts', "import { a } from '../../hardware/ports/a.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await problems('gateway/calls/x.ts', "import { a } from '../../protocol/at/a.js';\nexport const b = a;\n")).toHaveLength(0);
  });

  it('lets console/ reach protocol/schemas only', async () => {
    expect(await problems('console/app.ts', "import { a } from '../protocol/schemas/a.js';\nexport const b = a;\n")).toHaveLength(0);
    expect(await problems('console/app.ts', "import { a } from '../protocol/nmea/a.js';\nexport const b = a;\n")).toHaveLength(1);
  });

  it('lets test/ import anything', async () => {
    expect(await problems('test/x.test.ts', "import fs from 'node:fs';\nimport { a } from '../gateway/a.js';\nexport const b = [fs, a];\n")).toHaveLength(0);
  });
});
