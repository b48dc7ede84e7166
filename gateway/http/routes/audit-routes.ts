// GET /api/audit?after=<seq>&limit=<n> (supervisors): a page of the audit log and the result of verifying the
// whole hash chain. Reading the audit log is itself audited.
import { AUDIT_ACTIONS, audit, auditView } from '../audit.js';
import { AuditQuery } from '../bodies.js';
import { SUPERVISOR, type EdgeContext, type RouteSpec } from '../context.js';
import { parseQuery } from '../validate.js';

export function auditRoutes(ctx: EdgeContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/api/audit',
      access: SUPERVISOR,
      handler: async (req, reply, user) => {
        const { after, limit } = parseQuery(AuditQuery, req.query);
        await audit(ctx.auditLog, user, AUDIT_ACTIONS.auditRead, `audit:after=${after}`, `limit=${limit}`);
        const [entries, verification] = await Promise.all([ctx.auditLog.readAudit(after, limit), ctx.auditLog.verifyAuditChain()]);
        reply.header('cache-control', 'no-store');
        return { entries: entries.map(auditView), verification };
      },
    },
  ];
}
