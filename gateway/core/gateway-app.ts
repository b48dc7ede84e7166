// The whole gateway assembled, in start-up order: configuration -> event store -> projections rebuilt from
// the log -> manifest import -> users (and demo users) -> HTTP + WebSocket edge -> modem lines. The lines
// start last, so that nothing a modem delivers arrives before the projections can take it; they are closed
// first, so that nothing arrives after the store is gone. gateway/main.ts is the command-line wrapper.
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../../protocol/time/clock.js';
import { ensureDemoUsers } from '../auth/demo-users.js';
import { LogUserDirectory } from '../auth/users.js';
import { ConfigError, type GatewayConfig } from '../config/config.js';
import { httpConfigFromEnv, type HttpConfig } from '../http/config.js';
import { createGatewayMetrics, type MetricsRegistry } from '../http/metrics.js';
import { createHttpServer, type HttpServer } from '../http/server.js';
import type { LineBank, LineBankListener } from '../lines/types.js';
import { readManifest } from '../registry/manifest.js';
import { openEventStore, type EventStore } from '../store/index.js';
import { GatewayCore } from './gateway-core.js';
import { lineStateCounts } from './line-health.js';
import { publicLog } from './public-log.js';

/** Builds the line bank for the configured port specs, reporting to the core. */
export type LineBankFactory = (specs: readonly string[], listener: LineBankListener, logger: Logger) => LineBank;

export type GatewayAppOptions = {
  readonly config: GatewayConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  readonly lineBank: LineBankFactory;
  readonly clock?: Clock;
  /** Overrides of the HTTP edge's configuration (tests: port 0). */
  readonly http?: Partial<HttpConfig>;
  /** The built console (console/dist) to serve at `/`; none: the API only. */
  readonly consoleDir?: string;
  /** A store commit failed: the core has stopped deciding (GatewayCoreOptions.onStoreFailure). */
  readonly onStoreFailure?: (error: unknown) => void;
  /** The operator's `--trust-clock=<time>` (ms): retention's acknowledgement of the wall clock (GatewayCoreOptions.trustClockAt). */
  readonly trustClockAt?: number;
};

export type GatewayApp = {
  readonly core: GatewayCore;
  readonly store: EventStore;
  readonly http: HttpServer;
  readonly lines: LineBank;
  /** The base URL the edge listens on. */
  readonly url: string;
  /** The demo users' password when it was generated at this start (print it once). */
  readonly demoPassword: string | undefined;
  /** Lines, then the edge, then the core's queue, then the store. */
  close(): Promise<void>;
};

/** The line bank's own counters (commands, timeouts, reconnects, SMS, calls per line), when it keeps them. */
function lineCounters(registry: MetricsRegistry, lines: LineBank): void {
  const fields = [
    ['commands', 'AT commands sent'],
    ['timeouts', 'AT commands that got no final result in time'],
    ['reconnects', 'Times a line was lost and re-opened or re-initialised'],
    ['smsReceived', 'SMS parts handed to the core'],
    ['smsDeleted', 'Stored SMS deleted from the modem after the core released them'],
    ['smsCorrupt', 'SMS the modem gave that could not be decoded'],
    ['calls', 'Incoming calls reported as ringing'],
  ] as const;
  for (const [field, help] of fields) {
    const name = `tecsos_line_${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_total`;
    const counter = registry.counter(name, `${help}, per line.`);
    counter.collect(() => {
      for (const m of lines.metrics?.() ?? []) counter.setTotal(m[field], { line: m.lineId });
    });
  }
}

/** Each line's SMS storage (AT+CPMS?): used and total slots, for an alert before a full SIM refuses reports. */
function lineStorage(registry: MetricsRegistry, lines: LineBank): void {
  const used = registry.gauge('tecsos_line_sms_storage_used', 'SMS stored on the modem (where received messages go), per line; the gateway deletes each once stored.');
  const slots = registry.gauge('tecsos_line_sms_storage_slots', 'SMS storage slots on the modem, per line (a full storage refuses new SMS).');
  used.collect(() => {
    for (const r of lines.health()) if (r.storage != null) used.set(r.storage.used, { line: r.lineId });
  });
  slots.collect(() => {
    for (const r of lines.health()) if (r.storage != null) slots.set(r.storage.total, { line: r.lineId });
  });
}

function hostPort(http: string): { host: string; port: number } {
  const i = http.lastIndexOf(':');
  return { host: http.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(http.slice(i + 1)) };
}

/** Starts everything; throws (ConfigError, ManifestError, StoreError) with a message a person can act on. */
export async function startGateway(options: GatewayAppOptions): Promise<GatewayApp> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  // The HTTP edge's own variables (TECSOS_ORIGINS, TECSOS_SECURE_COOKIES, ...) are read before anything is
  // opened: a mistyped one is a set-up problem named as such (exit 2), not a crash once the store is open. Where
  // to listen is config.http (TECSOS_HTTP already in it, under --http), so TECSOS_HTTP is not read again here.
  let envHttp: HttpConfig;
  try {
    envHttp = httpConfigFromEnv({ ...options.env, TECSOS_HTTP: undefined });
  } catch (err) {
    throw new ConfigError(`invalid gateway configuration (environment): ${(err as Error).message}`);
  }
  const store = openEventStore({ path: config.db });
  // What has been started so far, stopped again if a later step fails (an HTTP port in use): the core's
  // timers would otherwise keep the process alive after its error was reported.
  const started: { core?: GatewayCore; http?: Awaited<ReturnType<typeof createHttpServer>>; lines?: ReturnType<GatewayAppOptions['lineBank']> } = {};
  try {
    const metrics = createGatewayMetrics();
    const core = new GatewayCore({
      store,
      config,
      clock,
      metrics,
      logger: logger.child({ part: 'core' }),
      ...(options.onStoreFailure !== undefined && { onStoreFailure: options.onStoreFailure }),
      ...(options.trustClockAt !== undefined && { trustClockAt: options.trustClockAt }),
    });
    started.core = core;
    await core.start();
    if (config.registry !== undefined) {
      const r = await core.importRegistrations(readManifest(config.registry));
      logger.info({ manifest: config.registry, ...r }, 'handset manifest imported');
      for (const c of r.conflicts) logger.warn({ manifest: config.registry }, `manifest entry not applied: ${c}`);
    }
    const users = new LogUserDirectory(store, () => clock.now());
    await users.load(store);
    const demoEnv = {
      ...options.env,
      ...(config.demoUsers && { TECSOS_DEMO_USERS: '1' }),
      ...(config.demoPassword !== undefined && { TECSOS_DEMO_PASSWORD: config.demoPassword }),
    };
    const demo = await ensureDemoUsers(users, demoEnv);
    const http = await createHttpServer({
      store: publicLog(store),
      sessions: store,
      actions: core,
      users,
      clock,
      logger: logger.child({ part: 'http' }),
      metrics,
      config: {
        ...envHttp,
        ...hostPort(config.http),
        hostnames: config.hostnames,
        ...(config.tiles !== undefined && { tiles: config.tiles }),
        ...(config.tilesAttribution !== undefined && { tilesAttribution: config.tilesAttribution }),
        ...options.http,
      },
      ...(options.consoleDir === undefined ? {} : { consoleDir: options.consoleDir }),
    });
    started.http = http;
    const lines = options.lineBank(config.lines, core, logger.child({ part: 'lines' }));
    started.lines = lines;
    core.attachLines(lines);
    metrics.lines.collect(() => {
      for (const [state, n] of Object.entries(lineStateCounts(lines.health()))) metrics.lines.set(n, { state });
    });
    lineCounters(metrics.registry, lines);
    lineStorage(metrics.registry, lines);
    const url = await http.listen();
    await lines.start();
    let closing: Promise<void> | undefined;
    return {
      core,
      store,
      http,
      lines,
      url,
      demoPassword: demo.generatedPassword,
      close() {
        closing ??= (async () => {
          await lines.close().catch((err: unknown) => logger.error({ err }, 'closing the lines'));
          await http.close().catch((err: unknown) => logger.error({ err }, 'closing the HTTP edge'));
          await core.stop();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await started.lines?.close().catch(() => undefined);
    await started.http?.close().catch(() => undefined);
    await started.core?.stop().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}
