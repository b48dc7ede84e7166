// The simulator's HTTP control API and handset emulator page (fastify, 127.0.0.1:8081 by default):
//
//   GET  /                               the emulator page (emulator-page.ts)
//   GET  /api/handsets                   { handsets: [ { id, number, state, battery, position, ... } ] }
//   GET  /api/handsets/:id               one of them
//   POST /api/handsets/:id/button        {"gesture":"hold"} | {"gesture":"tap"}                -> 202
//   POST /api/handsets/:id/route         {"waypoints":[{"lat":..,"lon":..,"speedMps":..}],"fixLoss":[..]} -> 202
//   POST /api/handsets/:id/coverage      {"inCoverage":false}                                  -> 202
//   POST /api/network/faults             {"delayMs":..,"reorder":..,"loss":..,"duplication":..,"down":..} -> 202
//   GET  /api/lines                      { lines: [ { line, number, port, connected, hung } ] }
//   POST /api/lines/:line/fault          {"fault":"reboot"} | {"fault":"hang","durationMs":..} | {"fault":"drop"} -> 202
//   GET  /api/events?since=&handset=     { events: [...], lastSeq } (event-log.ts)
//
// Every body, parameter and query is checked with zod (bodies.ts): bad input is a 400 `{ error, message }`
// naming the field, an unknown handset or line a 404; nothing a client sends can throw inside the simulation.
// It listens on 127.0.0.1 only: it is a training and test tool with no authentication.
//
// Bodies are JSON under application/json, text/plain and application/x-www-form-urlencoded alike:
// `curl -d '{"gesture":"hold"}'` sends the last, and fetch with a string body text/plain (both were 415s; any
// other type, or none, still is). text/plain and the form type are ones a web page of another origin may send
// without a CORS preflight, so a POST whose Origin is not this server's own is refused (403): a page open in
// the trainer's browser cannot press a handset's button. Same-origin also needs a Host that is one of this
// machine's names (own-host.ts: IP literals, localhost, os.hostname()): a page on evil.example re-pointed at
// 127.0.0.1 by DNS rebinding sends Origin = Host = evil.example:8081. The emulator page (same origin, opened
// at 127.0.0.1 or localhost) and programs that send no Origin (curl, scripts, tests) are unaffected.

import Fastify, { type FastifyError, type FastifyReply } from 'fastify';
import type { z } from 'zod';
import { NotFoundError, type Simulation } from '../sim/simulation.js';
import { ButtonBody, CoverageBody, EventsQuery, HandsetParams, LineFaultBody, LineParams, NetworkFaultsBody, RouteBody } from './bodies.js';
import { EMULATOR_PAGE, EMULATOR_SCRIPT } from './emulator-page.js';
import { hostIsOwn } from './own-host.js';

/** Error codes of the control API's `{ error, message }` answers. */
export const CONTROL_ERRORS = {
  badRequest: 'bad-request',
  forbidden: 'forbidden',
  notFound: 'not-found',
  internal: 'internal',
} as const;

/** Where to listen. */
export interface ControlServerOptions {
  readonly host?: '127.0.0.1';
  /** 0 picks a free port (read back from the URL). */
  readonly port: number;
}

/** A running control server. */
export interface ControlServer {
  readonly url: string;
  readonly app: ReturnType<typeof Fastify>;
  close(): Promise<void>;
}

class BadRequest extends Error {}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (r.success) return r.data;
  const detail = r.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : what}: ${i.message}`).join('; ');
  throw new BadRequest(`${what}: ${detail}`);
}

/** Builds the fastify app for `sim` (not listening yet; tests may use `app.inject`). */
export function buildControlApp(sim: Simulation): ReturnType<typeof Fastify> {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, forceCloseConnections: true });
  const accepted = (reply: FastifyReply) => reply.code(202).send({ ok: true });

  app.setErrorHandler((err: FastifyError | Error, _req, reply) => {
    if (err instanceof BadRequest) return reply.code(400).send({ error: CONTROL_ERRORS.badRequest, message: err.message });
    if (err instanceof NotFoundError) return reply.code(404).send({ error: CONTROL_ERRORS.notFound, message: err.message });
    const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) return reply.code(status).send({ error: CONTROL_ERRORS.badRequest, message: err.message });
    return reply.code(500).send({ error: CONTROL_ERRORS.internal, message: 'internal error' });
  });
  app.addContentTypeParser(['text/plain', 'application/x-www-form-urlencoded'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string) as unknown);
    } catch {
      done(new BadRequest('body: not JSON (the control API takes JSON bodies, such as {"gesture":"hold"})'), undefined);
    }
  });
  app.addHook('onRequest', (req, reply, done) => {
    const origin = req.headers.origin;
    const host = req.headers.host ?? '';
    if (req.method === 'GET' || req.method === 'HEAD' || origin === undefined) return done();
    if (origin !== `http://${host}`) {
      void reply.code(403).send({ error: CONTROL_ERRORS.forbidden, message: `requests from ${origin} are refused: use the emulator page on this server, or a program (no Origin)` });
      return;
    }
    if (hostIsOwn(host)) return done();
    void reply.code(403).send({
      error: CONTROL_ERRORS.forbidden,
      message: `Host ${host} is not a name of this simulator (a DNS-rebound page?): open the emulator page at http://127.0.0.1 or http://localhost`,
    });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: CONTROL_ERRORS.notFound, message: `no route ${req.method} ${req.url}` }));

  app.get('/', (_req, reply) => reply.type('text/html; charset=utf-8').send(EMULATOR_PAGE));
  app.get('/emulator.js', (_req, reply) => reply.type('text/javascript; charset=utf-8').send(EMULATOR_SCRIPT));
  // Browsers ask for it on every page; no icon, and no 404 in their console.
  app.get('/favicon.ico', (_req, reply) => reply.code(204).send());

  app.get('/api/handsets', () => ({ handsets: sim.views() }));
  app.get('/api/handsets/:id', (req) => {
    const { id } = parse(HandsetParams, req.params, 'path');
    const view = sim.views().find((h) => h.id === id);
    if (view === undefined) throw new NotFoundError(`no handset ${id}`);
    return view;
  });
  app.post('/api/handsets/:id/button', (req, reply) => {
    const { id } = parse(HandsetParams, req.params, 'path');
    const { gesture } = parse(ButtonBody, req.body, 'body');
    sim.button(id, gesture);
    return accepted(reply);
  });
  app.post('/api/handsets/:id/route', (req, reply) => {
    const { id } = parse(HandsetParams, req.params, 'path');
    const route = parse(RouteBody, req.body, 'body');
    sim.setRoute(id, route);
    return accepted(reply);
  });
  app.post('/api/handsets/:id/coverage', (req, reply) => {
    const { id } = parse(HandsetParams, req.params, 'path');
    const { inCoverage } = parse(CoverageBody, req.body, 'body');
    sim.setCoverage(id, inCoverage);
    return accepted(reply);
  });
  app.post('/api/network/faults', (req, reply) => {
    const { down, ...faults } = parse(NetworkFaultsBody, req.body, 'body');
    if (Object.keys(faults).length > 0) sim.setNetworkFaults(faults);
    if (down !== undefined) sim.setNetworkDown(down);
    return accepted(reply);
  });
  app.get('/api/lines', () => ({
    lines: sim.lines.map((l) => ({ line: l.index, number: l.number, port: l.server?.port ?? null, connected: l.server?.connected ?? false, hung: l.modem.isHung })),
  }));
  app.post('/api/lines/:line/fault', (req, reply) => {
    const { line } = parse(LineParams, req.params, 'path');
    sim.lineFault(line, parse(LineFaultBody, req.body, 'body'));
    return accepted(reply);
  });
  app.get('/api/events', (req) => {
    const q = parse(EventsQuery, req.query, 'query');
    const all = sim.events.since(q.since, q.handset === undefined ? q.limit : 5000);
    const events = q.handset === undefined ? all : all.filter((e) => 'handsetId' in e && e.handsetId === q.handset).slice(0, q.limit);
    return { events, lastSeq: sim.events.lastSeq };
  });
  return app;
}

/** Starts the control API on 127.0.0.1 (a busy port fails with a message that says which). */
export async function startControlServer(sim: Simulation, options: ControlServerOptions): Promise<ControlServer> {
  const app = buildControlApp(sim);
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ host, port: options.port });
  } catch (e) {
    await app.close();
    throw new Error(`cannot listen on ${host}:${options.port} (control API): ${(e as Error).message}; change "ports.control" in the config.`);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return { url: `http://${host}:${port}`, app, close: () => app.close() };
}
