// Users (supervisors): list, create, disable, enable. A disabled user's sessions and WebSockets end at once.
// A supervisor cannot disable themself (the control room must never lock out its last supervisor by a click).
import { UserCreateRequest } from '../../../protocol/schemas/users.js';
import { hashPassword } from '../../auth/password.js';
import { AUDIT_ACTIONS, audit } from '../audit.js';
import { EmptyBody, UserParams } from '../bodies.js';
import { SUPERVISOR, type EdgeContext, type RouteSpec } from '../context.js';
import { HTTP_ERRORS, HttpError } from '../errors.js';
import { parseBody, parseParams } from '../validate.js';

/**
 * Names the gateway writes as the actor of its own actions (`system`: incidents it closes, calls it ends, manifest
 * registrations, retention purges; `demo`: the demo users' creator; `add-user`: the creator of accounts made on
 * the gateway's machine, gateway/core/add-user.ts). A person's account of that name would pass for the gateway in
 * the log: an incident she closed would look closed automatically.
 */
export const RESERVED_USERNAMES: ReadonlySet<string> = new Set(['system', 'demo', 'add-user']);

export function userRoutes(ctx: EdgeContext): RouteSpec[] {
  const { users } = ctx;

  // Disables, enables and new users land one at a time, each after checking that its supervisor is still
  // enabled: two supervisors disabling each other at the same moment both passed (neither disabled herself), and
  // the control room was left with no enabled supervisor, so nobody could enable anyone again. With the check
  // under the turn, the acting supervisor is enabled when her change lands, so one always stays.
  let turn: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    const run = turn.then(work);
    turn = run.catch(() => undefined);
    return run;
  }
  /** Disabled by another supervisor while this request waited its turn: her session has ended. */
  function stillEnabled(username: string): void {
    if (users.find(username)?.disabled !== false) throw new HttpError(401, HTTP_ERRORS.unauthorised, 'log in first (your account was disabled)');
  }

  function setDisabled(disabled: boolean): RouteSpec {
    return {
      method: 'POST',
      url: `/api/users/:username/${disabled ? 'disable' : 'enable'}`,
      access: SUPERVISOR,
      handler: async (req, _reply, user) => {
        const { username } = parseParams(UserParams, req.params);
        parseBody(EmptyBody, req.body);
        if (disabled && username === user.username) throw new HttpError(409, HTTP_ERRORS.conflict, 'you cannot disable yourself');
        return oneAtATime(async () => {
          stillEnabled(user.username);
          const r = await users.setDisabled(username, disabled, user.username);
          if (!r.ok) throw new HttpError(404, HTTP_ERRORS.notFound, `no user ${username}`);
          if (disabled) {
            ctx.sessions.destroyUser(username);
            ctx.fanout.closeUser(username);
          }
          await audit(ctx.auditLog, user, disabled ? AUDIT_ACTIONS.userDisable : AUDIT_ACTIONS.userEnable, `user:${username}`);
          return { user: r.user };
        });
      },
    };
  }

  return [
    {
      method: 'GET',
      url: '/api/users',
      access: SUPERVISOR,
      handler: async () => ({ users: users.list() }),
    },
    {
      method: 'POST',
      url: '/api/users',
      access: SUPERVISOR,
      handler: async (req, reply, user) => {
        const body = parseBody(UserCreateRequest, req.body);
        if (RESERVED_USERNAMES.has(body.username)) {
          throw new HttpError(400, HTTP_ERRORS.badRequest, `username: ${body.username} is the name the gateway signs its own actions with`, {}, ['username']);
        }
        if (users.find(body.username) !== undefined) throw new HttpError(409, HTTP_ERRORS.conflict, `user ${body.username} exists`);
        const passwordHash = await hashPassword(body.password);
        // In the turn, like a disable: a supervisor disabled during the scrypt work added an account after her
        // disable (a way back in for the person the control room had just shut out).
        const r = await oneAtATime(async () => {
          stillEnabled(user.username);
          return users.create({ username: body.username, displayName: body.displayName, role: body.role, passwordHash, by: user.username });
        });
        if (!r.ok) throw new HttpError(409, HTTP_ERRORS.conflict, `user ${body.username} exists`);
        await audit(ctx.auditLog, user, AUDIT_ACTIONS.userCreate, `user:${body.username}`, `new role=${body.role}`);
        return reply.code(201).send({ user: r.user });
      },
    },
    setDisabled(true),
    setDisabled(false),
  ];
}
