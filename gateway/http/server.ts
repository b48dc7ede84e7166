// The gateway's HTTP and WebSocket edge: fastify for REST under /api plus /healthz and /metrics, plain `ws`
// on the same server's `upgrade` event for /ws (no plugin: the handshake checks come first and are ours).
//
// Every route is one row of the route table (routes/*.ts: method, url, access, handler); access is checked
// here in one place. State-changing requests with a foreign Origin, or a same-origin one whose Host is not a
// name of this gateway (DNS rebinding), are refused (origin.ts). Errors are
// `{ error, message }` with the codes of errors.ts; a fuzzed body gets a 4xx, never a 500.
import { randomBytes } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyReply } from 'fastify';
import { pino, type Logger } from 'pino';
import type { WebSocketServer } from 'ws';
import { systemClock, type Clock } from '../../protocol/time/clock.js';
import { LoginLimiter } from '../auth/login-limiter.js';
import { hashPassword } from '../auth/password.js';
import { SessionStore, type SessionPersistence } from '../auth/sessions.js';
import type { UserDirectory } from '../auth/users.js';
import { Fanout, type Validate } from '../fanout/fanout.js';
import type { AuditLog, EventLog, StoreStats } from '../store/event-store.js';
import type { GatewayActions } from './actions.js';
import { DEFAULT_HTTP_CONFIG, type HttpConfig } from './config.js';
import { connectionCap } from './connection-cap.js';
import type { Access, EdgeContext, RouteSpec } from './context.js';
import { HTTP_ERRORS, HttpError, type HttpErrorCode } from './errors.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics.js';
import { checkOrigin, refusalMessage } from './origin.js';
import { auditRoutes } from './routes/audit-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { callRoutes } from './routes/call-routes.js';
import { consoleRoutes } from './routes/console-routes.js';
import { consoleConfigRoutes } from './routes/console-config-routes.js';
import { handsetRoutes } from './routes/handset-routes.js';
import { incidentRoutes } from './routes/incident-routes.js';
import { opsRoutes } from './routes/ops-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { readSessionCookie } from './session-cookie.js';
import { handleUpgrades } from './ws-upgrade.js';

export type HttpServerOptions = {
  /** The event log (read for /ws and /healthz, subscribed to by the fan-out) and the audit log. */
  /** `stats().purges`, when it has it, tells the fan-out when retention redacted events (console-views.ts). */
  readonly store: Pick<EventLog, 'readSince' | 'lastSeq' | 'subscribe'> & AuditLog & { stats?: () => Pick<StoreStats, 'purges'> };
  readonly actions: GatewayActions;
  readonly users: UserDirectory;
  readonly clock?: Clock;
  readonly config?: Partial<HttpConfig>;
  readonly logger?: Logger;
  /** Shared with the core, which counts lines, calls and reports in it. */
  readonly metrics?: GatewayMetrics;
  /** Outgoing event check (default: protocol/schemas GatewayEvent). */
  readonly validate?: Validate;
  /** A directory of built console files to serve at `/` (routes/console-routes.ts); none by default. */
  readonly consoleDir?: string;
  /** Where sessions are kept across restarts (the store's `sessions` table); none: in memory only. */
  readonly sessions?: SessionPersistence;
};

/**
 * What Node's HTTP parser refuses before fastify sees a request (malformed, too-big headers, the request timeout,
 * a FIN in the middle of a request), as an ApiError with the security headers, then the connection closes.
 * fastify's own answer was `{"error":"Request Timeout","message":"Client Timeout","statusCode":408}`: not an
 * error code of errors.ts. Logged at debug only: anyone can send these, as fast as they like.
 * Counted in tecsos_http_requests_total as method and route `unparsed` (CLIENT_ERROR_LABELS): before, none of
 * them was counted, so a flood of malformed requests or of clients too slow to send one did not show.
 */
function answerClientError(err: Error & { code?: string }, socket: Socket, config: HttpConfig, logger: Logger, metrics: GatewayMetrics): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, message] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, `request not complete within ${config.requestTimeoutMs / 1000} s`]
    : err.code === 'HPE_HEADER_OVERFLOW' ? [431, 'request headers too large']
    : [400, 'malformed or incomplete HTTP request'];
  logger.debug({ code: err.code, status }, 'client error: connection closed');
  metrics.httpRequests.inc({ ...CLIENT_ERROR_LABELS, status: String(status) });
  const body = JSON.stringify({ error: HTTP_ERRORS.badRequest, message });
  const headers = Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  // As Node's own handler: not in the middle of an answer already under way on this connection (pipelining).
  const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (socket.writable && answering?.headersSent !== true) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/**
 * The labels of a request Node's parser refused (answerClientError): no route, and no method either (the request
 * line may not have been read, or read only in part). Fixed values: nothing the client sent becomes a label, or
 * each distinct bad URL or method would be a new series, as many as anyone cares to send.
 */
export const CLIENT_ERROR_LABELS = { method: 'unparsed', route: 'unparsed' } as const;

function makeApp(config: HttpConfig, logger: Logger, metrics: GatewayMetrics) {
  return Fastify({
    clientErrorHandler: (err, socket) => answerClientError(err, socket, config, logger, metrics),
    // URLs the router refuses before any route or error handler runs answer an ApiError too (fastify's own
    // body would be `{"error":"Bad Request","code":"FST_ERR_..."}`): broken percent-encoding is a 400, a path
    // parameter over the router's length limit names nothing (404, like any id that cannot be valid).
    // No hooks run for these, so the headers of the onSend hook below are set here, and they are counted here
    // (route `unmatched`, as a 404 is: never the URL; the method is one of the few Node's parser knows).
    frameworkErrors: (err, req, reply) => {
      const e = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new HttpError(404, HTTP_ERRORS.notFound, 'no such resource')
        : new HttpError(400, HTTP_ERRORS.badRequest, 'malformed URL');
      metrics.httpRequests.inc({ method: req.method, route: 'unmatched', status: String(e.status) });
      const raw = reply as unknown as FastifyReply;
      void raw.code(e.status).headers(SECURITY_HEADERS).send(e.body());
    },
    loggerInstance: logger,
    bodyLimit: config.bodyLimit,
    // Node checks the timeouts every connectionsCheckingInterval (30 s by default): a shorter timeout is
    // checked as often as it is long. Headers must come within the same time.
    requestTimeout: config.requestTimeoutMs,
    http: { connectionsCheckingInterval: Math.min(30_000, config.requestTimeoutMs), headersTimeout: Math.min(60_000, config.requestTimeoutMs) },
    // One proxy in front: the client address is the last X-Forwarded-For entry, the one that proxy appended.
    // (`true` would trust every hop and take the first entry, which the client writes itself; fastify 5.12
    // treats a hop count as "trust nothing", hence the function: trust the direct peer, the proxy, only.)
    trustProxy: config.trustProxy ? (_address: string, hop: number) => hop === 0 : false,
    return503OnClosing: true,
    forceCloseConnections: true,
  });
}

/** The fastify instance (for `inject` in tests). */
export type HttpApp = ReturnType<typeof makeApp>;

export type HttpServer = {
  readonly app: HttpApp;
  readonly fanout: Fanout;
  readonly metrics: GatewayMetrics;
  readonly config: HttpConfig;
  /** The route table: method, url, who may call it. */
  readonly routes: readonly { readonly method: string; readonly url: string; readonly access: Access }[];
  /** Listens on config host:port (port 0: any free port); resolves with the base URL. */
  listen(): Promise<string>;
  /** Closes WebSockets (1001), then the HTTP server. */
  close(): Promise<void>;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** On every response (docs/api.md). */
const SECURITY_HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' };

function errorCodeFor(status: number): HttpErrorCode {
  if (status === 401) return HTTP_ERRORS.unauthorised;
  if (status === 403) return HTTP_ERRORS.forbidden;
  if (status === 404) return HTTP_ERRORS.notFound;
  if (status === 409) return HTTP_ERRORS.conflict;
  if (status === 413) return HTTP_ERRORS.payloadTooLarge;
  if (status === 429) return HTTP_ERRORS.rateLimited;
  return HTTP_ERRORS.badRequest;
}

/** Builds the edge (not yet listening). */
export async function createHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const config: HttpConfig = { ...DEFAULT_HTTP_CONFIG, ...options.config };
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? pino({ name: 'gateway-http' });
  const metrics = options.metrics ?? createGatewayMetrics();
  const fanout = new Fanout({
    log: options.store, clock, logger, limits: config.fanout, purges: () => options.store.stats?.().purges ?? 0,
    ...(options.validate && { validate: options.validate }),
  });
  const ctx: EdgeContext = {
    events: options.store,
    auditLog: options.store,
    actions: options.actions,
    users: options.users,
    sessions: new SessionStore(clock, config.sessions, options.sessions, (err) => logger.error({ err }, 'writing a session to the store failed')),
    limiter: new LoginLimiter(clock, config.login),
    fanout,
    clock,
    config,
    metrics,
    logger,
    dummyHash: await hashPassword(randomBytes(16).toString('base64url')),
  };

  const kept = await ctx.sessions.restore((username) => options.users.find(username));
  if (kept.restored + kept.dropped > 0) logger.info(kept, 'sessions of the last run restored');

  const app = makeApp(config, logger, metrics);
  // A client that sends its request and then closes its sending side (FIN: `nc -N`, ncat and socat by default,
  // some proxies) still gets its answer, then the connection closes. Node's default ended the socket as soon as
  // the FIN was read, so such a client got an answer only when the route finished first (GET /healthz) and
  // none when it waited on anything (a login's scrypt: the session was made, the answer lost). A FIN in the
  // middle of a request is still a 400 and a close; an answer the client does not read is bounded (onSend).
  // Node's own switch, unchanged since 0.x though not in its docs (squid's half_closed_clients).
  (app.server as typeof app.server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;

  // Bodies are JSON only: fastify's own text/plain parser would hand a string to the body schema (400); every
  // other type is 415 (docs/api.md). text/plain is also the type a foreign page can POST without a preflight.
  app.removeContentTypeParser('text/plain');
  // JSON bodies: an empty body counts as none (a bodiless POST from fetch with a JSON content type).
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: config.bodyLimit }, (req, body, done) => {
    if (body === '' || (typeof body === 'string' && body.trim() === '')) {
      done(null, undefined);
      return;
    }
    defaultJson(req, body as string, done);
  });

  app.setErrorHandler((err: FastifyError | HttpError, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.status).headers(err.headers).send(err.body());
    const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      return reply.code(status).send({ error: errorCodeFor(status), message: err.message.slice(0, 1000) });
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send({ error: HTTP_ERRORS.internal, message: 'internal error' });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: HTTP_ERRORS.notFound, message: `no route ${req.method} ${req.url.split('?')[0]}` }));

  app.addHook('onRequest', async (req) => {
    if (SAFE_METHODS.has(req.method)) return;
    const origin = checkOrigin(req.headers, config);
    if (origin.ok) return;
    // Logged with its reason, as a refused WebSocket upgrade is: after an upgrade that brought the Host check, the
    // operator's log showed only "request completed" 403 for a console opened by a name not in hostnames.
    const message = refusalMessage(origin, 'foreign Origin: request refused');
    req.log.info({ origin: req.headers.origin, host: req.headers.host }, `request refused: ${message}`);
    throw new HttpError(403, HTTP_ERRORS.forbidden, message);
  });
  app.addHook('onSend', async (req, reply) => {
    // From here on the answer is being written: a client that takes none of it for requestTimeoutMs loses the
    // connection (Node destroys a socket whose timeout fires when nobody handles it). No other timer covers
    // this stretch: Node's request timeout ends once the request is in, the keep-alive one starts once the
    // answer is out, so a client that asked for a file bigger than the socket buffers and never read held its
    // connection, and the file's bytes, for ever. Set here, after the handler: a slow route is not cut.
    // (`inject` in tests has no real socket.)
    const socket = reply.raw.socket;
    if (socket instanceof Socket) socket.setTimeout(config.requestTimeoutMs);
    reply.headers(SECURITY_HEADERS);
    // An API answer can hold a victim's record, a track or the handsets: never kept by a browser's cache on a
    // shared control-room workstation, or by a proxy. A route that set its own policy keeps it.
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpRequests.inc({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });

  const table: RouteSpec[] = [
    ...opsRoutes(ctx),
    ...authRoutes(ctx),
    ...incidentRoutes(ctx),
    ...callRoutes(ctx),
    ...handsetRoutes(ctx),
    ...userRoutes(ctx),
    ...auditRoutes(ctx),
    ...consoleConfigRoutes(ctx, process.env, config.tiles, config.tilesAttribution),
    ...consoleRoutes(ctx, options.consoleDir),
  ];
  for (const spec of table) {
    app.route({
      method: spec.method,
      url: spec.url,
      handler: async (req, reply) => {
        const session = ctx.sessions.touch(readSessionCookie(req.headers.cookie));
        const user = session === undefined ? undefined : { username: session.username, role: session.role };
        if (spec.access === 'public') return spec.handler(req, reply, user);
        if (user === undefined) throw new HttpError(401, HTTP_ERRORS.unauthorised, 'log in first');
        if (spec.access !== 'signed-in' && !spec.access.includes(user.role)) {
          throw new HttpError(403, HTTP_ERRORS.forbidden, `${/^[aeiou]/.test(user.role) ? 'an' : 'a'} ${user.role} may not ${spec.method} ${spec.url}`);
        }
        return spec.handler(req, reply, user);
      },
    });
  }

  metrics.wsClients.collect(() => {
    for (const [role, n] of Object.entries(fanout.stats.clientsByRole)) metrics.wsClients.set(n, { role });
  });
  metrics.eventLag.collect(() => metrics.eventLag.set(fanout.stats.lagMs / 1000));
  metrics.lastSeq.collect(() => metrics.lastSeq.set(fanout.stats.lastBroadcastSeq));
  metrics.fanoutDrops.collect(() => {
    for (const [reason, n] of Object.entries(fanout.stats.drops)) metrics.fanoutDrops.setTotal(n, { reason });
  });
  metrics.fanoutInvalid.collect(() => metrics.fanoutInvalid.setTotal(fanout.stats.invalid));
  metrics.fanoutViews.collect(() => metrics.fanoutViews.setTotal(fanout.stats.views));

  await fanout.start();
  let wss: WebSocketServer | undefined;
  await app.ready();
  wss = handleUpgrades(app.server, ctx);

  return {
    app,
    fanout,
    metrics,
    config,
    routes: table.map((r) => ({ method: r.method, url: r.url, access: r.access })),
    async listen() {
      // Past the cap Node closes a new connection at once (HttpConfig.maxConnections: file descriptors);
      // counted, and logged at most once a minute (a flood of them must not flood the log).
      app.server.maxConnections = connectionCap(config.maxConnections);
      let warnedAt = Number.NEGATIVE_INFINITY;
      app.server.on('drop', (d?: { remoteAddress?: string }) => {
        metrics.connectionsDropped.inc();
        const now = performance.now();
        if (now - warnedAt < 60_000) return;
        warnedAt = now;
        logger.warn({ maxConnections: app.server.maxConnections, from: d?.remoteAddress }, 'connection cap reached: new client connections are closed on arrival (tecsos_http_connections_dropped_total)');
      });
      return app.listen({ host: config.host, port: config.port });
    },
    async close() {
      fanout.stop();
      wss?.close();
      wss = undefined;
      await app.close();
    },
  };
}
