// POST /api/login, POST /api/logout, GET /api/me.
//
// Login answers the same 401 for an unknown user, a disabled one and a wrong password, after the same scrypt
// work (an unknown user is checked against a dummy hash), so neither the answer nor its time tells which
// usernames exist. Over the rate limit (per username and per address) it answers 429 with Retry-After
// without checking the password at all.
import { LoginRequest } from '../../../protocol/schemas/users.js';
import { verifyPassword } from '../../auth/password.js';
import { AUDIT_ACTIONS, audit } from '../audit.js';
import type { EdgeContext, RouteSpec } from '../context.js';
import { HTTP_ERRORS, HttpError } from '../errors.js';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from '../session-cookie.js';
import { parseBody } from '../validate.js';

export function authRoutes(ctx: EdgeContext): RouteSpec[] {
  const { config, sessions, limiter, users, metrics } = ctx;
  return [
    {
      method: 'POST',
      url: '/api/login',
      access: 'public',
      handler: async (req, reply) => {
        const body = parseBody(LoginRequest, req.body);
        const username = body.username.toLowerCase();
        const ip = req.ip;
        const verdict = await limiter.begin(username, ip);
        if (!verdict.allowed) {
          metrics.logins.inc({ outcome: 'rate_limited' });
          throw new HttpError(429, HTTP_ERRORS.rateLimited, `too many failed logins; try again in ${verdict.retryAfterS} s`, {
            'retry-after': String(verdict.retryAfterS),
          });
        }
        const user = users.find(username);
        const usable = user !== undefined && !user.disabled;
        let match = false;
        try {
          match = await verifyPassword(body.password, usable ? user.passwordHash : ctx.dummyHash);
          if (!usable || !match) limiter.fail(username, ip);
          else limiter.succeed(username);
        } finally {
          limiter.end(username, ip);
        }
        if (!usable || !match) {
          metrics.logins.inc({ outcome: 'invalid' });
          // An unknown username is not written: it is often a password typed into the username field, and the
          // audit log is kept for ever (retention does not purge it), shown to every supervisor, and cannot be
          // edited. A known one is an account's name.
          const subject = user === undefined ? 'user:(unknown)' : `user:${user.username}`;
          await audit(ctx.auditLog, { username: user?.username ?? 'system' }, AUDIT_ACTIONS.loginFailed, subject, `from ${ip}`);
          throw new HttpError(401, HTTP_ERRORS.unauthorised, 'wrong username or password');
        }
        await audit(ctx.auditLog, user, AUDIT_ACTIONS.login, `user:${user.username}`, `from ${ip}`);
        // Disabled during the scrypt work or the audit write: a disable ends only the sessions that exist when
        // it lands, so this one must not be opened (checked with no await before create()).
        if (users.find(user.username)?.disabled !== false) {
          metrics.logins.inc({ outcome: 'invalid' });
          // The `login` entry above is already in the log, which cannot be edited: say that it was refused after
          // all, so the log does not show a sign-in that never happened (security review).
          await audit(ctx.auditLog, user, AUDIT_ACTIONS.loginFailed, `user:${user.username}`, `from ${ip}; the account was disabled during the login`);
          throw new HttpError(401, HTTP_ERRORS.unauthorised, 'wrong username or password');
        }
        // A new session id at every login (no fixation); a session the browser already had ends, and so does
        // this user's oldest when they hold too many (sessions.ts). Their WebSockets end now (4001), as at a
        // logout: on a shared workstation the previous user's console went on streaming her view (positions
        // included) until the next heartbeat, up to 30 s after her session had ended.
        void sessions.destroy(readSessionCookie(req.headers.cookie));
        const id = sessions.create({ username: user.username, role: user.role });
        ctx.fanout.recheckSessions();
        await sessions.written(); // kept across a restart from the moment the browser has the cookie
        metrics.logins.inc({ outcome: 'ok' });
        reply.header('set-cookie', sessionCookie(id, config.sessions.absoluteMs / 1000, config.secureCookies));
        reply.header('cache-control', 'no-store');
        return { username: user.username, displayName: user.displayName, role: user.role };
      },
    },
    {
      method: 'POST',
      url: '/api/logout',
      access: 'public',
      handler: async (req, reply, user) => {
        // On disk before the answer, so a restart cannot bring it back (a failing store is logged and the
        // gateway fail-stops; the cookie is cleared either way).
        await sessions.destroy(readSessionCookie(req.headers.cookie)).catch(() => undefined);
        ctx.fanout.recheckSessions(); // this session's WebSockets end now (4001), the user's others stay
        if (user !== undefined) await audit(ctx.auditLog, user, AUDIT_ACTIONS.logout, `user:${user.username}`);
        reply.header('set-cookie', clearedSessionCookie(config.secureCookies));
        return reply.code(204).send();
      },
    },
    {
      method: 'GET',
      url: '/api/me',
      access: 'signed-in',
      handler: async (_req, reply, user) => {
        reply.header('cache-control', 'no-store');
        const record = users.find(user.username);
        return { username: user.username, displayName: record?.displayName ?? user.username, role: user.role };
      },
    },
  ];
}
