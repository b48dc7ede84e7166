// `make demo`: the whole system on one machine. Starts firmware-sim (3 handsets, a 4-line modem bank) and the
// gateway wired to it over tcp://, with demo users, then prints the console URL, the handset emulator URL and
// the logins. The simulator plays its scripted scenario (a victim walking in Leeds, an alarm after 20 s)
// unless `--interactive`. Ctrl-C (or closing the terminal: SIGHUP) stops both cleanly. Everything the gateway
// stores lives in ./data and survives a restart, and so does the demo password (data/demo-password, mode 0600),
// so the logins stay.
//
//   npm run demo [-- --interactive]        (make demo, make demo ARGS=--interactive, make demo -- --interactive)

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { GATEWAY_NODE_FLAGS } from '../gateway/node-flags.js';
import { consoleNotBuilt } from './demo-console.js';
import { childEnded } from './demo-exit.js';
import { checkDemoLogin, demoLoginWarning, type DemoLoginCheck } from './demo-logins.js';
import { CONTROL_PORT, HTTP_HOST, HTTP_PORT, LINE_PORTS as LINES, refusal } from './demo-ports.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA = path.join(ROOT, 'data');
const HTTP = `${HTTP_HOST}:${HTTP_PORT}`;
const READY_TIMEOUT_MS = 60_000;

const args = process.argv.slice(2);
for (const a of args) {
  if (a !== '--interactive') {
    process.stderr.write(`unknown option ${a}\nusage: npm run demo [-- --interactive]\n`);
    process.exit(2);
  }
}
const interactive = args.includes('--interactive');

/** The demo password: made once, kept in data/ so that a restart keeps the same logins. `made`: by this run. */
function demoPassword(): { password: string; made: boolean } {
  const file = path.join(DATA, 'demo-password');
  if (existsSync(file)) return { password: readFileSync(file, 'utf8').trim(), made: false };
  const password = randomBytes(9).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { password, made: true };
}

/** Resolves once something accepts TCP connections on the port, or rejects after the timeout. */
async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited (status ${child.exitCode}) before it was ready`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not listen on 127.0.0.1:${port} within ${READY_TIMEOUT_MS / 1000} s`);
}

function start(name: string, script: string, argv: string[], env: NodeJS.ProcessEnv = {}, nodeFlags: readonly string[] = []): ChildProcess {
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script, ...argv], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a Ctrl-C in the terminal reaches this script only, which then stops the children
    // in order (gateway first), each once.
    detached: true,
  });
  // Prefix each line so the two programs' output can be told apart in one terminal.
  const prefix = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buf = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        out.write(`[${name}] ${buf.slice(0, i)}\n`);
        buf = buf.slice(i + 1);
      }
    });
  };
  prefix(child.stdout as NodeJS.ReadableStream, process.stdout);
  prefix(child.stderr as NodeJS.ReadableStream, process.stderr);
  return child;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function main(): Promise<number> {
  // Why: readiness below is "something accepts connections on the port", so with a port already taken (another
  // `make demo`, a gateway started by hand) the demo printed "running" with the URL of someone else's server,
  // then the gateway died on EADDRINUSE. Checked before anything starts or is written (make demo checks first,
  // before its build: scripts/demo-ports.mjs; again here for `npm run demo` and for a port taken meanwhile).
  const refused = await refusal();
  if (refused !== undefined) {
    process.stderr.write(refused);
    return 1;
  }
  // `npm run demo` skips the build: without a built console the printed console address answered a JSON 404.
  const notBuilt = consoleNotBuilt(ROOT, process.env);
  if (notBuilt !== undefined) {
    process.stderr.write(notBuilt);
    return 1;
  }
  mkdirSync(DATA, { recursive: true, mode: 0o700 });
  // A store older than the password file may hold demo users with another password (demo-logins.ts).
  const storeExisted = existsSync(path.join(DATA, 'tecsos.db'));
  const { password, made } = demoPassword();
  const registry = path.join('data', 'sim-registry.json');
  let login: DemoLoginCheck = { ok: true };

  const sim = start('sim', 'firmware-sim/main.ts', ['--registry-out', registry, ...(interactive ? ['--interactive'] : [])]);
  const children: ChildProcess[] = [sim];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    // The gateway first (it holds the modem lines), then the simulator.
    for (const c of children.slice().reverse()) await stopChild(c);
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  // The terminal closed (window shut, ssh dropped): the children have their own sessions and get no SIGHUP, so
  // without this they ran on as orphans holding every port and the store's lock.
  process.on('SIGHUP', () => void stopAll(0));
  // If this script dies some other way, do not leave the children running.
  process.on('exit', () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  try {
    for (const p of [...LINES, CONTROL_PORT]) await waitForPort(p, sim, 'the simulator');
    const gateway = start('gateway', 'gateway/main.ts', ['--lines', LINES.map((p) => `tcp://127.0.0.1:${p}`).join(','), '--registry', registry], {
      TECSOS_HTTP: HTTP,
      TECSOS_DEMO_USERS: '1',
      TECSOS_DEMO_PASSWORD: password,
    }, GATEWAY_NODE_FLAGS);
    children.push(gateway);
    gateway.on('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(childEnded('gateway', code, signal));
        void stopAll(1);
      }
    });
    sim.on('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(childEnded('simulator', code, signal));
        void stopAll(1);
      }
    });
    await waitForPort(HTTP_PORT, gateway, 'the gateway');
    // The gateway creates its users before it listens, so the check sees them.
    if (made && storeExisted) {
      login = await checkDemoLogin(`http://${HTTP}`, password);
      // A password file that does not open the console would be printed again, unchecked, at the next start.
      if (!login.ok && login.refused) rmSync(path.join(DATA, 'demo-password'), { force: true });
    }
  } catch (err) {
    process.stderr.write(`demo: ${(err as Error).message}\n`);
    await stopAll(1);
    return 1;
  }

  process.stdout.write(
    [
      '',
      '  TecSOS demo is running.',
      `  Console (call handlers):   http://${HTTP}/`,
      `  Handset emulator:          http://127.0.0.1:${CONTROL_PORT}/`,
      login.ok
        ? `  Logins:                    handler / supervisor / engineer, password ${password}`
        : `  Logins:                    handler / supervisor / engineer, but NOT with password ${password}:\n${demoLoginWarning(login, password).trimEnd()}`,
      interactive
        ? '  Interactive: hold a handset button on the emulator page to raise an alarm.'
        : '  Scenario: a victim walking in central Leeds raises an alarm after 20 s.',
      '  Ctrl-C stops everything; ./data keeps what was stored.',
      '',
    ].join('\n') + '\n',
  );
  return new Promise<number>(() => undefined);
}

process.exitCode = await main();
