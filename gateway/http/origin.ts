// CSRF defence for a cookie-authenticated API: the cookie is SameSite=Strict, and a state-changing request
// (or a WebSocket upgrade) whose Origin is not the gateway's own or a configured one is refused with 403.
//
// A request with no Origin header is allowed (curl, scripts; browsers always send Origin on a cross-site
// POST and on every WebSocket handshake) unless the browser says `Sec-Fetch-Site: cross-site`.
// Same-origin means: the Origin's host:port equals the Host header the browser sent, AND that Host is one of
// the gateway's own names (own-host.ts). Without the second part a DNS-rebound page (evil.example re-pointed
// at the gateway's address) was same-origin with itself and could log in, or fail logins until the rate
// limit locked the handlers' workstation out.
import type { IncomingHttpHeaders } from 'node:http';
import type { HttpConfig } from './config.js';
import { hostIsOwn } from './own-host.js';

/** The answer of the Origin check: allowed, or refused with why. */
export type OriginVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'foreign-origin' }
  /** Origin equals Host, but Host is not a name of this gateway (DNS rebinding). */
  | { readonly ok: false; readonly reason: 'foreign-host'; readonly host: string };

const ALLOWED: OriginVerdict = { ok: true };
const FOREIGN: OriginVerdict = { ok: false, reason: 'foreign-origin' };

/** Whether a request with these headers may change state (or upgrade to a WebSocket). */
export function checkOrigin(headers: IncomingHttpHeaders, config: Pick<HttpConfig, 'allowedOrigins' | 'host' | 'hostnames'>): OriginVerdict {
  const origin = headers.origin;
  if (origin === undefined) return headers['sec-fetch-site'] !== 'cross-site' ? ALLOWED : FOREIGN;
  if (origin === 'null') return FOREIGN;
  if (config.allowedOrigins.includes(origin)) return ALLOWED;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return FOREIGN;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return FOREIGN;
  const host = headers.host?.toLowerCase();
  if (host === undefined || url.host !== host) return FOREIGN;
  return hostIsOwn(host, { listenHost: config.host, hostnames: config.hostnames }) ? ALLOWED : { ok: false, reason: 'foreign-host', host };
}

/** The 403 message for a refused verdict (`foreign` is the edge's own wording for a foreign Origin). */
export function refusalMessage(verdict: Exclude<OriginVerdict, { ok: true }>, foreign: string): string {
  return verdict.reason === 'foreign-host'
    ? `Host ${verdict.host} is not a name of this gateway (a DNS-rebound page?); if consoles use it, add it to the gateway's hostnames (--hostnames, TECSOS_HOSTNAMES or "hostnames" in its config file)`
    : foreign;
}
