// `npm run demo`'s check that the console is built (scripts/demo.ts).
//
// Why: the README offers `npm run demo` as the demo without the install and the build. On a clone where the
// console was never built (no console/dist), the demo printed "Console (call handlers): http://127.0.0.1:8080/"
// as usual, and that address answered {"error":"not-found","message":"no route GET /"}: the gateway serves the
// API only then, and says so in one JSON log line among the others.

import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Why the demo cannot show the console, or undefined when it can. Looks where the gateway looks
 * (gateway/main.ts consoleDir: TECSOS_CONSOLE_DIR, then console/dist beside the sources) for an index.html.
 */
export function consoleNotBuilt(root: string, env: NodeJS.ProcessEnv): string | undefined {
  const dirs = [env.TECSOS_CONSOLE_DIR, path.join(root, 'console', 'dist')];
  if (dirs.some((d) => d !== undefined && d !== '' && existsSync(path.join(d, 'index.html')))) return undefined;
  return (
    'demo: the console is not built (no console/dist/index.html), so http://127.0.0.1:8080/ would show no console.\n' +
    'Build it with `npm run build:console` and run the demo again, or use `make demo`, which installs and builds\n' +
    'what is missing first. Nothing was started or written.\n'
  );
}
