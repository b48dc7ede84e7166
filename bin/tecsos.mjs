#!/usr/bin/env node
// The `tecsos` command (package.json "bin": {"tecsos": "bin/tecsos.mjs"}). From a build (dist/ from
// `npm run build`) it runs the compiled JavaScript; from a source checkout it registers tsx and runs
// hardware/cli/main.ts directly.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/hardware/cli/main.js`;
let main;
if (existsSync(built)) {
  main = await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  main = await import(pathToFileURL(`${root}hardware/cli/main.ts`).href);
}
process.exitCode = await main.runCli(process.argv.slice(2));
