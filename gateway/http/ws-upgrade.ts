// The WebSocket handshake on `/ws?since=<seq>`, checked BEFORE the upgrade: the request is refused on the raw
// socket with an HTTP status and a JSON error (the socket is never upgraded, no 'open' ever happens) when
//   404  the path is not /ws
//   403  the Origin is foreign (cross-site WebSocket hijacking), or equals a Host that is not one of the
//        gateway's names (a DNS-rebound page: origin.ts)
//   401  there is no valid session cookie
//   400  `since` is not a sequence number, or `batch` is not 0 or 1
//   503  the audit log cannot record the subscription (the stream carries victims' locations)
// Then `ws` completes the handshake (64 KiB maxPayload: a bigger frame closes the socket with 1009) and the
// fan-out takes the socket over.
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { WsSinceQuery } from '../../protocol/schemas/control.js';
import { AUDIT_ACTIONS, audit } from './audit.js';
import type { EdgeContext } from './context.js';
import { HTTP_ERRORS, type HttpErrorCode } from './errors.js';
import { checkOrigin, refusalMessage } from './origin.js';
import { readSessionCookie } from './session-cookie.js';

function refuse(socket: Duplex, status: number, error: HttpErrorCode, message: string): void {
  const body = JSON.stringify({ error, message });
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * The request-target as a URL, or undefined when it is not an origin-form path. Appended to the base rather
 * than resolved against it: resolving `//` or `/\\` throws (a scheme-relative URL without a host), and `//x/ws`
 * would resolve to host `x`, path `/ws`.
 */
function targetUrl(target: string | undefined): URL | undefined {
  if (target === undefined || !target.startsWith('/')) return undefined;
  try {
    return new URL(`http://gateway.invalid${target}`);
  } catch {
    return undefined;
  }
}

/** Installs the upgrade handler on the HTTP server; returns the WebSocketServer (closed with the server). */
export function handleUpgrades(server: Server, ctx: EdgeContext): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: ctx.config.maxWsPayload, perMessageDeflate: false });

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const no = (status: number, error: HttpErrorCode, message: string) => {
      ctx.metrics.wsRefused.inc({ status: String(status) });
      ctx.logger.info({ status, url: req.url, origin: req.headers.origin, host: req.headers.host }, 'websocket upgrade refused');
      refuse(socket, status, error, message);
    };
    const url = targetUrl(req.url);
    if (url?.pathname !== '/ws') return no(404, HTTP_ERRORS.notFound, 'WebSocket endpoint is /ws');
    const origin = checkOrigin(req.headers, ctx.config);
    if (!origin.ok) return no(403, HTTP_ERRORS.forbidden, refusalMessage(origin, 'foreign Origin'));
    const sessionId = readSessionCookie(req.headers.cookie);
    const session = ctx.sessions.touch(sessionId);
    if (session === undefined) return no(401, HTTP_ERRORS.unauthorised, 'log in first (no valid session cookie)');
    const query = WsSinceQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return no(400, HTTP_ERRORS.badRequest, 'since: must be a sequence number (0 or more); batch, view: 0 or 1');
    const { since, batch, view } = query.data;
    try {
      await audit(ctx.auditLog, session, AUDIT_ACTIONS.wsSubscribe, `ws:since=${since}`);
    } catch {
      return no(503, HTTP_ERRORS.unavailable, 'audit log unavailable');
    }
    if (socket.destroyed) return;
    // Logged out or disabled while the audit entry was written: the logout's re-check of the open sockets
    // ran before this one existed, so check again (no await from here to attach).
    if (ctx.sessions.touch(sessionId) === undefined) return no(401, HTTP_ERRORS.unauthorised, 'log in first (the session ended)');
    wss.handleUpgrade(req, socket, head, (ws) => {
      ctx.fanout.attach(ws, {
        username: session.username,
        role: session.role,
        stillAuthorised: () => ctx.sessions.touch(sessionId) !== undefined,
        batch,
        view,
      }, since);
    });
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    onUpgrade(req, socket, head).catch((err: unknown) => {
      ctx.logger.error({ err }, 'websocket upgrade failed');
      if (!socket.destroyed) refuse(socket, 500, HTTP_ERRORS.internal, 'internal error');
    });
  });
  return wss;
}
