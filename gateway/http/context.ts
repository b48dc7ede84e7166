// What every route handler may use, and the shape of one row of the route table.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../protocol/time/clock.js';
import type { LoginLimiter } from '../auth/login-limiter.js';
import type { Role } from '../auth/roles.js';
import type { SessionStore, SessionUser } from '../auth/sessions.js';
import type { UserDirectory } from '../auth/users.js';
import type { Fanout } from '../fanout/fanout.js';
import type { AuditLog, EventLog } from '../store/event-store.js';
import type { GatewayActions } from './actions.js';
import type { HttpConfig } from './config.js';
import type { GatewayMetrics } from './metrics.js';

/** Dependencies shared by the routes and the WebSocket upgrade. */
export type EdgeContext = {
  readonly events: Pick<EventLog, 'readSince' | 'lastSeq' | 'subscribe'>;
  readonly auditLog: AuditLog;
  readonly actions: GatewayActions;
  readonly users: UserDirectory;
  readonly sessions: SessionStore;
  readonly limiter: LoginLimiter;
  readonly fanout: Fanout;
  readonly clock: Clock;
  readonly config: HttpConfig;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** A valid hash of a random password: unknown users are checked against it (same time as a known one). */
  readonly dummyHash: string;
};

/** Who may call a route: anyone, any signed-in user, or the listed roles. */
export type Access = 'public' | 'signed-in' | readonly Role[];

type Handler<U> = (req: FastifyRequest, reply: FastifyReply, user: U) => Promise<unknown>;

/** One row of the route table (docs/api.md lists them). */
export type RouteSpec =
  | { readonly method: 'GET' | 'POST'; readonly url: string; readonly access: 'public'; readonly handler: Handler<SessionUser | undefined> }
  | { readonly method: 'GET' | 'POST'; readonly url: string; readonly access: 'signed-in' | readonly Role[]; readonly handler: Handler<SessionUser> };

export const OPERATIONAL: readonly Role[] = ['call-handler', 'supervisor'];
export const SUPERVISOR: readonly Role[] = ['supervisor'];
export const ENGINEER: readonly Role[] = ['engineer'];
export const TECHNICAL: readonly Role[] = ['engineer', 'supervisor'];
