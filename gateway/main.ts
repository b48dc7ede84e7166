// `npm run gateway -- --lines tcp://127.0.0.1:7101,tcp://127.0.0.1:7102 --registry data/sim-registry.json`
// The control-room gateway: configuration, store, projections, manifest, users, HTTP + WebSocket edge,
// modem lines (gateway/core/gateway-app.ts), pino logs, a clean stop on SIGINT/SIGTERM. docs/operations.md.
import { pino } from 'pino';
import { ConfigError, loadConfig } from './config/config.js';
import { startGateway, type LineBankFactory } from './core/gateway-app.js';
import { NoLines } from './core/no-lines.js';
import { createModemLineBank, LineConfigError } from './lines/index.js';
import { ManifestError } from './registry/manifest.js';
import { isStoreError } from './store/index.js';

/** Exit status for a start-up problem a person must fix (configuration, manifest, store file). */
const EXIT_SETUP = 2;

const logger = pino({ name: 'tecsos-gateway' });

/** The configured modem lines (gateway/lines), or none. */
const lineBank: LineBankFactory = (specs, listener, log) => (specs.length === 0 ? new NoLines() : createModemLineBank(specs, listener, log));

async function main(): Promise<number> {
  let app;
  try {
    const config = loadConfig(process.argv.slice(2), process.env);
    app = await startGateway({ config, env: process.env, logger, lineBank });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof ManifestError || err instanceof LineConfigError || isStoreError(err)) {
      process.stderr.write(`${(err as Error).message}\n`);
      return EXIT_SETUP;
    }
    throw err;
  }
  const running = app;
  process.stdout.write(`TecSOS gateway listening on ${running.url}\n`);
  if (running.demoPassword !== undefined) process.stdout.write(`demo users handler, supervisor, engineer; password: ${running.demoPassword}\n`);
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
