// CSRF defence for a cookie-authenticated API: the cookie is SameSite=Strict, and a state-changing request
// (or a WebSocket upgrade) whose Origin is not the gateway's own or a configured one is refused with 403.
//
// A request with no Origin header is allowed (curl, scripts; browsers always send Origin on a cross-site
// POST and on every WebSocket handshake) unless the browser says `Sec-Fetch-Site: cross-site`.
// Same-origin means: the Origin's host:port equals the Host header the browser sent.
import type { IncomingHttpHeaders } from 'node:http';

/** Whether a request with these headers may change state. */
export function originAllowed(headers: IncomingHttpHeaders, allowed: readonly string[]): boolean {
  const origin = headers.origin;
  if (origin === undefined) return headers['sec-fetch-site'] !== 'cross-site';
  if (origin === 'null') return false;
  if (allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return headers.host !== undefined && url.host === headers.host.toLowerCase();
}
