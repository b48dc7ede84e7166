// `npm run gateway -- --lines tcp://127.0.0.1:7101,tcp://127.0.0.1:7102 --registry data/sim-registry.json`
// The control-room gateway: configuration, store, projections, manifest, users, HTTP + WebSocket edge,
// modem lines (gateway/core/gateway-app.ts), pino logs, a clean stop on SIGINT/SIGTERM. docs/operations.md.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { PasswordInputError, readNewPassword } from './auth/password-prompt.js';
import { ConfigError, loadConfig } from './config/config.js';
import { addUser } from './core/add-user.js';
import { startGateway, type LineBankFactory } from './core/gateway-app.js';
import { NoLines } from './core/no-lines.js';
import { parseStatedTime } from './core/retention-clock.js';
import { createModemLineBank, LineConfigError } from './lines/index.js';
import { ManifestError } from './registry/manifest.js';
import { isStoreError } from './store/index.js';

/** Exit status for a start-up problem a person must fix (configuration, manifest, store file). */
const EXIT_SETUP = 2;
/** Exit status after a failed store commit: the supervisor restarts the gateway, which rebuilds from the log. */
const EXIT_STORE_FAILED = 3;

/**
 * Fail-stop (docs/operations.md): the projections are ahead of the log after a failed commit. Nothing that
 * was not durable was released or told, so exiting loses nothing; the restart rebuilds from the log and the
 * modems deliver the unreleased SMS again. The log line is already written by the core (fatal).
 */
function exitOnStoreFailure(): void {
  process.stderr.write('store commit failed: exiting so that a restart rebuilds from the log\n');
  process.exit(EXIT_STORE_FAILED);
}

const logger = pino({ name: 'tecsos-gateway' });

/**
 * The built console (`npm run build:console` -> console/dist), found beside the sources (gateway/main.ts) or
 * beside the compiled files (dist/gateway/main.js); TECSOS_CONSOLE_DIR overrides. None found: API only.
 */
function consoleDir(): string | undefined {
  const candidates = [
    process.env.TECSOS_CONSOLE_DIR,
    path.resolve(import.meta.dirname, '..', 'console', 'dist'),
    path.resolve(import.meta.dirname, '..', '..', 'console', 'dist'),
  ];
  return candidates.find((d) => d !== undefined && existsSync(path.join(d, 'index.html')));
}

/** The configured modem lines (gateway/lines), or none. */
const lineBank: LineBankFactory = (specs, listener, log) => (specs.length === 0 ? new NoLines() : createModemLineBank(specs, listener, log));

/**
 * The HTTP address cannot be had (taken by another program, a privileged port, an address not on this
 * machine): a sentence a person can act on, instead of Node's stack trace.
 */
function cannotListen(err: unknown, http: string | undefined): string | undefined {
  const e = err as { code?: unknown; address?: unknown; port?: unknown; syscall?: unknown; message?: unknown } | null;
  if (e === null || typeof e !== 'object') return undefined;
  const why: Record<string, string> = {
    EADDRINUSE: 'is already in use (another gateway, or another program: stop it or choose another port with --http <host:port>)',
    EACCES: 'is not allowed for this user (ports below 1024 need privileges: choose another port with --http <host:port>)',
    EADDRNOTAVAIL: 'is not an address of this machine (check --http <host:port>)',
    // A host name that does not resolve, or an address the system refuses (an IPv6 link-local one needs its
    // interface, which a host:port cannot give): Node's errors, thrown before anything listens.
    ENOTFOUND: 'names a host this machine cannot resolve (check --http <host:port>; an IP address needs no lookup)',
    EAI_AGAIN: 'names a host this machine cannot resolve now (check --http <host:port>; an IP address needs no lookup)',
    EINVAL: 'is not an address this machine can listen on (check --http <host:port>)',
  };
  if (typeof e.code !== 'string' || why[e.code] === undefined) return undefined;
  if (e.code === 'EINVAL' && e.syscall !== 'listen') return undefined;
  const where = typeof e.address === 'string' && typeof e.port === 'number' ? `${e.address}:${e.port}` : (http ?? 'the HTTP address');
  return `cannot listen on ${where}: it ${why[e.code]}`;
}

/**
 * Takes `--trust-clock=<UTC time>` (or `--trust-clock <UTC time>`) out of the arguments: the operator's
 * acknowledgement of the wall clock for retention (docs/operations.md "A clock that jumps"), given for one
 * start. A flag, never a configuration field: a setting kept in a file would acknowledge every later jump.
 */
function takeTrustClock(argv: readonly string[]): { rest: string[]; trustClockAt?: number } {
  const rest: string[] = [];
  let trustClockAt: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg !== '--trust-clock' && !arg.startsWith('--trust-clock=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--trust-clock' ? argv[++i] : arg.slice('--trust-clock='.length);
    try {
      trustClockAt = parseStatedTime(value ?? '');
    } catch (err) {
      throw new ConfigError((err as Error).message);
    }
  }
  return trustClockAt === undefined ? { rest } : { rest, trustClockAt };
}

/** `add-user`: an account made in the stopped gateway's store (gateway/core/add-user.ts). */
async function addUserCommand(argv: readonly string[]): Promise<number> {
  try {
    const done = await addUser(argv, {
      env: process.env,
      password: (prompt) => readNewPassword(process.stdin, (t) => process.stderr.write(t), prompt),
    });
    process.stdout.write(`${done}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof PasswordInputError || isStoreError(err)) {
      process.stderr.write(`${(err as Error).message}\n`);
      return EXIT_SETUP;
    }
    throw err;
  }
}

async function main(): Promise<number> {
  if (process.argv[2] === 'add-user') return addUserCommand(process.argv.slice(3));
  let app;
  let http: string | undefined;
  try {
    const { rest, trustClockAt } = takeTrustClock(process.argv.slice(2));
    const config = loadConfig(rest, process.env);
    http = config.http;
    const dir = consoleDir();
    if (dir === undefined) logger.warn('console not built (npm run build:console): serving the API only');
    app = await startGateway({
      config,
      env: process.env,
      logger,
      lineBank,
      onStoreFailure: exitOnStoreFailure,
      ...(dir === undefined ? {} : { consoleDir: dir }),
      ...(trustClockAt === undefined ? {} : { trustClockAt }),
    });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ManifestError || err instanceof LineConfigError || isStoreError(err)) {
      process.stderr.write(`${(err as Error).message}\n`);
      return EXIT_SETUP;
    }
    const listen = cannotListen(err, http);
    if (listen !== undefined) {
      process.stderr.write(`${listen}\n`);
      return EXIT_SETUP;
    }
    throw err;
  }
  const running = app;
  // One write: whoever watches for the "listening" line finds the demo login with it.
  const demo = running.demoPassword === undefined ? '' : `demo users handler, supervisor, engineer; password: ${running.demoPassword}\n`;
  process.stdout.write(`TecSOS gateway listening on ${running.url}\n${demo}`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(1);
      stopping = true;
      logger.info({ signal }, 'stopping');
      running.close().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err }, 'unclean stop');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

process.exitCode = await main();
