// GET /api/audit?after=<seq>&limit=<n> (supervisors): a page of the audit log and the result of verifying the
// whole hash chain. Reading the audit log is itself audited.
//
// `newest=1` answers the newest `limit` entries after `after` instead of the first ones (oldest first, as the
// console lists them), ending with this read's own `audit.read` entry: one request, so one audited read. The
// console used to ask `after=0&limit=1` for the count and then the page, two entries in a log kept for ever.
import { z } from 'zod';
import { AUDIT_ACTIONS, audit, auditView } from '../audit.js';
import { AuditQuery } from '../bodies.js';
import { SUPERVISOR, type EdgeContext, type RouteSpec } from '../context.js';
import { parseQuery } from '../validate.js';

/** The audit query with the optional `newest=1` (any other value, a repeat included, is a 400 naming `newest`). */
export const AuditReadQuery = AuditQuery.extend({
  newest: z.literal('1', { error: '1 (the newest `limit` entries), or leave it out' }).optional(),
});

export function auditRoutes(ctx: EdgeContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/api/audit',
      access: SUPERVISOR,
      handler: async (req, reply, user) => {
        const { after, limit, newest } = parseQuery(AuditReadQuery, req.query);
        if (newest === undefined) {
          await audit(ctx.auditLog, user, AUDIT_ACTIONS.auditRead, `audit:after=${after}`, `limit=${limit}`);
          const [entries, verification] = await Promise.all([ctx.auditLog.readAudit(after, limit), ctx.auditLog.verifyAuditChain()]);
          reply.header('cache-control', 'no-store');
          return { entries: entries.map(auditView), verification };
        }
        // Seqs run 1, 2, 3... without gaps (the chain verification checks it), so the newest `limit` entries up to
        // this read's own are the ones after own.seq - limit. Entries appended meanwhile (after it) are left for the
        // next read; an entry removed from the file makes the page one shorter (and the verification fail).
        const own = await audit(ctx.auditLog, user, AUDIT_ACTIONS.auditRead, 'audit:newest', `after=${after}; limit=${limit}`);
        const [entries, verification] = await Promise.all([
          ctx.auditLog.readAudit(Math.max(after, own.seq - limit), limit),
          ctx.auditLog.verifyAuditChain(),
        ]);
        reply.header('cache-control', 'no-store');
        return { entries: entries.filter((e) => e.seq <= own.seq).map(auditView), verification };
      },
    },
  ];
}
