// The gateway's configuration: one zod schema, filled from a JSON file, the command line and the
// environment (in that order of precedence: command line over environment over file over defaults).
// A bad value stops start-up with a message that names the field and says what is expected.

import { z } from 'zod';
import { duplicateKey, readJsonFileText } from './json-text.js';
import { parsePortSpec } from '../../hardware/ports/spec.js';

const E164 = z.string().regex(/^\+\d{6,15}$/, 'an E.164 number such as +447700900123');

// One rule for what a port spec is, hardware/ports' (the one openPort applies): a device path anywhere (a
// /dev/serial/by-id link, a socat pty such as the simulator's --pty-dir lines), tcp://[v6]:port, a trailing
// slash after host:port, ?baud=&framing=. Only absolute paths: a Windows COM name cannot open here.
const PORT_SPEC_HELP = 'a port spec: /dev/ttyUSB0, mock:NAME or tcp://host:port';
const PortSpec = z.string().superRefine((spec, ctx) => {
  const p = parsePortSpec(spec);
  if (!p.ok) ctx.addIssue({ code: 'custom', message: `${PORT_SPEC_HELP} (${p.reason})` });
  else if (p.value.kind === 'device' && !p.value.path.startsWith('/')) ctx.addIssue({ code: 'custom', message: `${PORT_SPEC_HELP} (a device path starts with /)` });
});

// An IPv6 address in brackets, as in a URL ([::1]:8080); gateway/core/gateway-app.ts strips them to listen.
const HOST_PORT_HELP = 'host:port, such as 127.0.0.1:8080 or [::1]:8080';
const HostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/, HOST_PORT_HELP)
  .refine((v) => !/:\d{1,5}$/.test(v) || Number(v.slice(v.lastIndexOf(':') + 1)) <= 65535, `${HOST_PORT_HELP} (a port is 0 to 65535)`);

// A DNS name the consoles use for the gateway (no scheme, no port): the Host a browser sends must be one of the
// gateway's names (gateway/http/own-host.ts), or a DNS-rebound page would be same-origin with itself.
const Hostname = z
  .string()
  .max(253)
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i, 'a host name such as console.force.example (no scheme, no port)');

const TileTemplate = z
  .string()
  .max(500)
  .refine(
    (v) => (v.startsWith('https://') || (v.startsWith('/') && !v.startsWith('//'))) && ['{z}', '{x}', '{y}'].every((p) => v.includes(p)),
    'an https:// (or /path) tile URL template with {z}, {x} and {y}, such as https://tiles.example.org/{z}/{x}/{y}.png',
  );

// The credit the tile server's licence asks for (OpenStreetMap's: "© OpenStreetMap contributors"): plain text, one
// line; the console escapes it (Leaflet shows attributions as HTML).
const TileAttribution = z.string().min(1).max(200).regex(/^[^\x00-\x1f\x7f]+$/, 'one line of plain text, such as © OpenStreetMap contributors');

const TecsosRange = z
  .object({ force: z.string().min(1).max(100), first: E164, last: E164 })
  .refine((r) => r.first.length === r.last.length && r.first <= r.last, 'first and last must be the same length, first <= last');

export const GatewayConfigSchema = z.object({
  /** Where the HTTP API and console listen. */
  http: HostPort.default('127.0.0.1:8080'),
  /**
   * DNS names the consoles reach the gateway by, besides IP literals, `localhost`, the machine's own name and
   * the host of `http`: a browser's state-changing request or WebSocket upgrade whose Host is none of them is
   * refused (DNS rebinding; gateway/http/own-host.ts).
   */
  hostnames: z.array(Hostname).max(64).default([]),
  /** SQLite file of the event store. */
  db: z.string().min(1).default('./data/tecsos.db'),
  /** One port spec per control-room modem line. */
  lines: z.array(PortSpec).max(64).default([]),
  /** A handset manifest to import into the registry at start-up (idempotent). */
  registry: z.string().min(1).optional(),
  /** Country calling code for national caller numbers (UK: 44). */
  countryCode: z.string().regex(/^\d{1,3}$/, 'digits only, such as 44').default('44'),
  /** Ring-fenced TecSOS number blocks per force. */
  tecsosRanges: z.array(TecsosRange).default([]),
  /** Victim data (fixes, notes) older than this is purged, and the purge audited. */
  retentionDays: z.number().int().min(1).max(3650).default(365),
  /** A handset whose daily heartbeat is later than this many minutes raises a health event. */
  heartbeatGraceMinutes: z.number().int().min(1).max(24 * 60).default(60),
  /**
   * Tile server URL template for the console's map, when the deployment has one. The same rule as
   * gateway/http/routes/console-config-routes.ts, checked here so that a bad value is a ConfigError (exit 2,
   * the field named) rather than a crash when the edge starts: https:// (the console's CSP allows https
   * images only) or a path on the gateway itself, with {z}, {x} and {y}.
   */
  tiles: TileTemplate.optional(),
  /** The tile server's credit shown on the console's map (its licence's wording); unset: "deployment tile server". */
  tilesAttribution: TileAttribution.optional(),
  /** Create the demo users handler, supervisor and engineer. */
  demoUsers: z.boolean().default(false),
  demoPassword: z.string().min(8).optional(),
});

export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;

/** A configuration file is a few kB; anything much larger is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Thrown at start-up for a configuration a person must fix; the message names every bad field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function describe(err: z.ZodError, source: string): string {
  const lines = err.issues.map((i) => `  ${i.path.length ? i.path.join('.') : '(top level)'}: ${i.message}`);
  return `invalid gateway configuration (${source}):\n${lines.join('\n')}`;
}

/** A comma-separated list (`--hostnames a,b`, TECSOS_HOSTNAMES=a,b), blanks dropped. */
function names(list: string): string[] {
  return list.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Parses command-line flags (`--lines a,b --registry f --config file.json --http h:p --hostnames a,b --db f
 * --demo-users`). `--flag=value` is the same as `--flag value` (as shells and service files often write it), and
 * `--lines` (or `--hostnames`) given more than once adds up: `--lines tcp://a:1 --lines tcp://b:2` is two lines,
 * never just the last.
 */
export function parseArgs(argv: readonly string[]): { configFile?: string; values: Record<string, unknown> } {
  const values: Record<string, unknown> = {};
  let configFile: string | undefined;
  const lines: string[] = [];
  const hostnames: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const given = argv[i] as string;
    const eq = given.startsWith('--') ? given.indexOf('=') : -1;
    const arg = eq > 0 ? given.slice(0, eq) : given;
    const next = (): string => {
      const v = eq > 0 ? given.slice(eq + 1) : argv[++i];
      if (v === undefined) throw new ConfigError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--config': configFile = next(); break;
      case '--lines': lines.push(...next().split(',').map((s) => s.trim()).filter(Boolean)); values.lines = lines; break;
      case '--registry': values.registry = next(); break;
      case '--http': values.http = next(); break;
      case '--hostnames': hostnames.push(...names(next())); values.hostnames = hostnames; break;
      case '--db': values.db = next(); break;
      case '--demo-users':
        if (eq > 0) throw new ConfigError('--demo-users takes no value');
        values.demoUsers = true;
        break;
      default: throw new ConfigError(`unknown option ${arg} (see docs/operations.md)`);
    }
  }
  return configFile === undefined ? { values } : { configFile, values };
}

/** Reads the environment variables the gateway honours. */
export function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const v: Record<string, unknown> = {};
  if (env.TECSOS_DB) v.db = env.TECSOS_DB;
  if (env.TECSOS_HTTP) v.http = env.TECSOS_HTTP;
  if (env.TECSOS_TILES) v.tiles = env.TECSOS_TILES;
  if (env.TECSOS_TILES_ATTRIBUTION) v.tilesAttribution = env.TECSOS_TILES_ATTRIBUTION;
  if (env.TECSOS_HOSTNAMES) v.hostnames = names(env.TECSOS_HOSTNAMES);
  // `1` as the issue writes it; `true`/`yes`/`on` and `0`/`false`/`no`/`off` as people also write a switch (a
  // service file's TECSOS_DEMO_USERS=off started before this check, and must still). Anything else stops the
  // start rather than silently starting without the users someone asked for.
  const demo = env.TECSOS_DEMO_USERS?.trim().toLowerCase();
  if (demo === '1' || demo === 'true' || demo === 'yes' || demo === 'on') v.demoUsers = true;
  else if (demo !== undefined && demo !== '' && demo !== '0' && demo !== 'false' && demo !== 'no' && demo !== 'off') {
    throw new ConfigError(`TECSOS_DEMO_USERS must be 1 (create the demo users) or 0, got "${env.TECSOS_DEMO_USERS ?? ''}"`);
  }
  if (env.TECSOS_DEMO_PASSWORD) v.demoPassword = env.TECSOS_DEMO_PASSWORD;
  return v;
}

/**
 * JSON.parse's message without the text it quotes: V8 quotes about ten characters either side of the error
 * (`Unexpected token ''', ..."key": '34400abdf"... is not valid JSON`), which here can be part of the demo
 * password, and the message goes to a terminal or the service journal. The position-only messages
 * (`... in JSON at position 40`) are kept whole.
 */
function jsonErrorWithoutText(err: unknown): string {
  return (err as Error).message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, ' (check the file with: jq . FILE)');
}

/** Loads and validates the configuration; throws {@link ConfigError} with every bad field named. */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const args = parseArgs(argv);
  let file: Record<string, unknown> = {};
  if (args.configFile !== undefined) {
    const read = readJsonFileText(args.configFile, MAX_CONFIG_BYTES);
    if (!read.ok && read.problem === 'unreadable') throw new ConfigError(`cannot read config file ${args.configFile}: ${read.message}`);
    if (!read.ok) throw new ConfigError(`config file ${args.configFile} ${read.message}`);
    const text = read.text;
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      file = parsed as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`config file ${args.configFile} is not valid JSON: ${jsonErrorWithoutText(e)}`);
    }
    const twice = duplicateKey(text);
    if (twice !== undefined) throw new ConfigError(`config file ${args.configFile}: ${twice} is given twice (JSON would keep only the last: remove one)`);
  }
  const merged = { ...file, ...fromEnv(env), ...args.values };
  const result = GatewayConfigSchema.strict().safeParse(merged);
  if (!result.success) throw new ConfigError(describe(result.error, args.configFile ?? 'command line and environment'));
  return result.data;
}
