// GET /healthz and GET /metrics: unauthenticated (scraped from the host; no victim data in either).
//
// /healthz: 200 when the store answers and (if lines are configured) at least one line is up, else 503:
//   {"ok":true,"lastSeq":1234,"lines":{"up":2,"total":2},"store":{"ok":true,"lastSeq":1234},"websocket":{"clients":3}}
import { METRICS_CONTENT_TYPE } from '../metrics.js';
import type { EdgeContext, RouteSpec } from '../context.js';

export function opsRoutes(ctx: EdgeContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      url: '/healthz',
      access: 'public',
      handler: async (_req, reply) => {
        let lastSeq: number | null = null;
        try {
          lastSeq = await ctx.events.lastSeq();
        } catch (err) {
          ctx.logger.error({ err }, 'healthz: store did not answer');
        }
        const h = ctx.actions.health();
        const storeOk = lastSeq !== null && h.storeOk;
        const ok = storeOk && (h.linesTotal === 0 || h.linesUp > 0);
        reply.header('cache-control', 'no-store');
        return reply.code(ok ? 200 : 503).send({
          ok,
          lastSeq,
          lines: { up: h.linesUp, total: h.linesTotal },
          store: { ok: storeOk, lastSeq },
          websocket: { clients: ctx.fanout.stats.clients },
        });
      },
    },
    {
      method: 'GET',
      url: '/metrics',
      access: 'public',
      handler: async (_req, reply) => reply.type(METRICS_CONTENT_TYPE).send(ctx.metrics.registry.render()),
    },
  ];
}
