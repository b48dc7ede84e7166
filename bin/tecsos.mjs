#!/usr/bin/env node
// The `tecsos` command (package.json "bin": {"tecsos": "bin/tecsos.mjs"}). In a source checkout (the
// TypeScript is there and tsx is installed) it registers tsx and runs hardware/cli/main.ts, so it never runs a
// stale build; in an install without the sources or without dev dependencies it runs the build in dist/
// (`npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}hardware/cli/main.ts`;
const built = `${root}dist/hardware/cli/main.js`;

async function load() {
  if (existsSync(source)) {
    const tsx = await import('tsx/esm/api').catch(() => undefined);
    if (tsx !== undefined) {
      tsx.register();
      return import(pathToFileURL(source).href);
    }
  }
  if (existsSync(built)) return import(pathToFileURL(built).href);
  process.stderr.write('tecsos: neither the sources with tsx (npm install) nor a build (npm run build) was found\n');
  process.exit(1);
}

const main = await load();
process.exitCode = await main.runCli(process.argv.slice(2));
