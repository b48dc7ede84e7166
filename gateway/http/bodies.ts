// Request shapes of the routes that protocol/schemas does not define (queries and path parameters).
// Bodies shared with the console come from protocol/schemas (rest.ts, users.ts, handsets.ts).
import { z } from 'zod';
import { CallId, HandsetId, IncidentId, Username } from '../../protocol/schemas/common.js';

export const IncidentParams = z.object({ id: IncidentId });
export const CallParams = z.object({ id: CallId });
export const HandsetParams = z.object({ id: HandsetId });
export const UserParams = z.object({ username: Username });

/**
 * Incidents a page of the closed (or whole) list holds when the request names no `limit`: the largest page, so
 * that a list of up to 1,000 answers whole as it did before paging, and a year's list is still bounded.
 */
export const INCIDENT_PAGE_DEFAULT = 1000;

/**
 * GET /api/incidents?state=open|closed|all (default open)&limit=<1..1000>&before=<incident id>. No `limit`:
 * every open incident, but only the newest INCIDENT_PAGE_DEFAULT of the closed or whole list (a year holds
 * thousands; docs/api.md). `before` must name an incident (the route checks it exists).
 */
export const IncidentListQuery = z.strictObject({
  state: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.string().regex(/^[1-9][0-9]{0,3}$/, 'an integer 1..1000').transform(Number)
    .refine((n) => n <= 1000, 'at most 1000').optional(),
  before: IncidentId.optional(),
});

/** GET /api/audit?after=<seq>&limit=<1..1000> (defaults 0 and 100) */
export const AuditQuery = z.strictObject({
  after: z.string().regex(/^(0|[1-9][0-9]{0,14})$/, 'a sequence number').transform(Number).default(0),
  limit: z.string().regex(/^[1-9][0-9]{0,3}$/, 'an integer 1..1000').transform(Number)
    .refine((n) => n <= 1000, 'at most 1000').default(100),
});

/** POST /api/users/:username/disable and /enable: no body. */
export const EmptyBody = z.strictObject({});
