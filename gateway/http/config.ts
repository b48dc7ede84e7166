// HTTP edge configuration, from the environment (or built by the caller from a config file).
//
//   TECSOS_HTTP=127.0.0.1:8080        host:port to listen on ([::1]:8080 for IPv6)
//   TECSOS_ORIGINS=https://cr.example  extra allowed Origins, comma-separated (same-origin is always allowed)
//   TECSOS_SECURE_COOKIES=1            Secure cookie flag (set when served over TLS, directly or by a proxy)
//   TECSOS_TRUST_PROXY=1               take the client address from X-Forwarded-For (rate limit per IP)
//   TECSOS_MAX_CONNECTIONS=2000        client connections held at once (HttpConfig.maxConnections)
//
// A bad value throws at start-up with the variable's name and what was expected.
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from '../auth/login-limiter.js';
import { DEFAULT_SESSION_LIMITS, type SessionLimits } from '../auth/sessions.js';
import { DEFAULT_FANOUT, type FanoutLimits } from '../fanout/fanout.js';

export type HttpConfig = {
  readonly host: string;
  readonly port: number;
  readonly allowedOrigins: readonly string[];
  /**
   * DNS names consoles reach the gateway by (the gateway's `hostnames` setting: --hostnames, config file or
   * TECSOS_HOSTNAMES, checked by gateway/config). A same-origin request (Origin = Host) is allowed only when
   * its Host is one of these, an IP literal, `localhost`, os.hostname() or the listen host (own-host.ts).
   */
  readonly hostnames: readonly string[];
  readonly secureCookies: boolean;
  readonly trustProxy: boolean;
  /** Largest request body, bytes. */
  readonly bodyLimit: number;
  /** Largest WebSocket frame from a client, bytes (ws maxPayload). */
  readonly maxWsPayload: number;
  /**
   * Time a client has to send a whole request (headers and body), ms; then 408 and the connection closes.
   * Without it a connection that sends headers and never its body was held for ever (slow-POST: anyone,
   * before any login, could use up the gateway's file descriptors, which its modem links need too).
   * Also the longest an answer being written may go with the client taking none of it; then the connection
   * closes (a client that asked for a big file and never read it held the connection and the file for ever).
   */
  readonly requestTimeoutMs: number;
  /**
   * Client connections held at once (HTTP and WebSocket); one more is closed as soon as it is accepted. Each
   * is a file descriptor, and the modem links need them too: without a cap, idle clients reconnecting as fast
   * as they were dropped used up the descriptors and a dropped modem line could not reopen (EMFILE).
   */
  readonly maxConnections: number;
  readonly sessions: SessionLimits;
  readonly login: LoginLimits;
  readonly fanout: FanoutLimits;
  /**
   * The console's map tile URL template (the gateway's `tiles` setting: command line, config file or
   * TECSOS_TILES, checked by gateway/config). Unset: TECSOS_TILES from the environment, checked by the route.
   */
  readonly tiles?: string;
  /** The tile server's credit for the map (the gateway's `tilesAttribution`, checked by gateway/config). */
  readonly tilesAttribution?: string;
};

export const DEFAULT_HTTP_CONFIG: HttpConfig = {
  host: '127.0.0.1',
  port: 8080,
  allowedOrigins: [],
  hostnames: [],
  secureCookies: false,
  trustProxy: false,
  bodyLimit: 16 * 1024,
  maxWsPayload: 64 * 1024,
  requestTimeoutMs: 30_000,
  maxConnections: 2000,
  sessions: DEFAULT_SESSION_LIMITS,
  login: DEFAULT_LOGIN_LIMITS,
  fanout: DEFAULT_FANOUT,
};

function parseHostPort(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || !(port >= 0 && port <= 65535)) {
    throw new Error(`TECSOS_HTTP must be host:port (e.g. 127.0.0.1:8080 or [::1]:8080), got '${value}'`);
  }
  return { host: (m[1] ?? m[2]) as string, port };
}

function parseOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`TECSOS_ORIGINS: '${value}' is not an origin (e.g. https://console.example.org)`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search !== '') {
    throw new Error(`TECSOS_ORIGINS: '${value}' is not an origin (scheme://host[:port], no path)`);
  }
  return url.origin;
}

function flag(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  const v = env[name];
  if (v === undefined || v === '' || v === '0') return false;
  if (v === '1') return true;
  throw new Error(`${name} must be 1 or 0, got '${v}'`);
}

/** The configuration from environment variables over the defaults. */
export function httpConfigFromEnv(env: Readonly<Record<string, string | undefined>>): HttpConfig {
  const hp = env['TECSOS_HTTP'] ? parseHostPort(env['TECSOS_HTTP']) : DEFAULT_HTTP_CONFIG;
  const origins = (env['TECSOS_ORIGINS'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '').map(parseOrigin);
  return {
    ...DEFAULT_HTTP_CONFIG,
    host: hp.host,
    port: hp.port,
    allowedOrigins: origins,
    secureCookies: flag(env, 'TECSOS_SECURE_COOKIES'),
    trustProxy: flag(env, 'TECSOS_TRUST_PROXY'),
    maxConnections: maxConnections(env['TECSOS_MAX_CONNECTIONS']),
  };
}

function maxConnections(v: string | undefined): number {
  if (v === undefined || v === '') return DEFAULT_HTTP_CONFIG.maxConnections;
  if (!/^\d{1,6}$/.test(v) || Number(v) < 10) throw new Error(`TECSOS_MAX_CONNECTIONS must be a whole number from 10 to 999999, got '${v}'`);
  return Number(v);
}
