// Incidents (call handlers and supervisors): list, one, the track (JSON, GeoJSON, GPX), and the commands.
// Reads of an incident or its track are audited before the data is sent (gateway/http/audit.ts).
import { AcknowledgeRequest, CloseIncidentRequest, LocateRequest, StopTrackingRequest } from '../../../protocol/schemas/rest.js';
import { AUDIT_ACTIONS, audit } from '../audit.js';
import { INCIDENT_PAGE_DEFAULT, IncidentListQuery, IncidentParams } from '../bodies.js';
import { OPERATIONAL, type EdgeContext, type RouteSpec } from '../context.js';
import { HTTP_ERRORS, HttpError } from '../errors.js';
import { trackToGeoJson, trackToGpx, type ExportedFile } from '../track-export.js';
import type { Track } from '../actions.js';
import { parseBody, parseParams, parseQuery } from '../validate.js';
import { commandAnswer } from './command-result.js';

export function incidentRoutes(ctx: EdgeContext): RouteSpec[] {
  const { actions } = ctx;
  const notFound = (id: string) => new HttpError(404, HTTP_ERRORS.notFound, `no incident ${id}`);

  async function loadTrack(params: unknown): Promise<Track> {
    const { id } = parseParams(IncidentParams, params);
    const track = await actions.track(id);
    if (track === undefined) throw notFound(id);
    return track;
  }

  function exportRoute(ext: 'geojson' | 'gpx', make: (t: Track, at: number) => ExportedFile): RouteSpec {
    return {
      method: 'GET',
      url: `/api/incidents/:id/track.${ext}`,
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const track = await loadTrack(req.params);
        const file = make(track, ctx.clock.now());
        const sha = file.headers['x-content-sha256'] as string;
        // HEAD (fastify answers it with this handler) sends the headers only; each export is a new file
        // (exportedAt), so the digest would name a file nobody holds and an auditor would look for it in vain.
        const sent = req.method === 'HEAD' ? 'HEAD: no file sent' : `sha256=${sha}`;
        await audit(ctx.auditLog, user, AUDIT_ACTIONS.trackExport, `incident:${track.incidentId}`,
          `format=${ext}; fixes=${track.points.length}; ${sent}`);
        return reply.headers(file.headers).type(file.contentType).send(file.body);
      },
    };
  }

  return [
    {
      method: 'GET',
      url: '/api/incidents',
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const { state, limit = state === 'open' ? undefined : INCIDENT_PAGE_DEFAULT, before } = parseQuery(IncidentListQuery, req.query);
        if (before !== undefined && (await actions.getIncident(before)) === undefined) {
          throw new HttpError(400, HTTP_ERRORS.badRequest, `before: no incident ${before}`, {}, ['before']);
        }
        // One more than the page holds says whether more remain: `next` then names the page's last incident.
        const found = await actions.listIncidents({ state, ...(limit !== undefined && { limit: limit + 1 }), ...(before !== undefined && { before }) });
        const incidents = limit === undefined ? found : found.slice(0, limit);
        const next = incidents.length < found.length ? incidents[incidents.length - 1]?.id : undefined;
        await audit(ctx.auditLog, user, AUDIT_ACTIONS.incidentRead, `incidents:${state}`,
          `list; ${incidents.length} incidents${before === undefined ? '' : `; before=${before}`}`);
        reply.header('cache-control', 'no-store');
        return next === undefined ? { incidents } : { incidents, next };
      },
    },
    {
      method: 'GET',
      url: '/api/incidents/:id',
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const { id } = parseParams(IncidentParams, req.params);
        const incident = await actions.getIncident(id);
        if (incident === undefined) throw notFound(id);
        await audit(ctx.auditLog, user, AUDIT_ACTIONS.incidentRead, `incident:${id}`);
        reply.header('cache-control', 'no-store');
        return { incident };
      },
    },
    {
      method: 'GET',
      url: '/api/incidents/:id/track',
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const track = await loadTrack(req.params);
        await audit(ctx.auditLog, user, AUDIT_ACTIONS.trackRead, `incident:${track.incidentId}`, `fixes=${track.points.length}`);
        reply.header('cache-control', 'no-store');
        return { track };
      },
    },
    exportRoute('geojson', trackToGeoJson),
    exportRoute('gpx', trackToGpx),
    {
      method: 'POST',
      url: '/api/incidents/:id/acknowledge',
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const { id } = parseParams(IncidentParams, req.params);
        const body = parseBody(AcknowledgeRequest, req.body);
        return reply.code(202).send(commandAnswer(await actions.acknowledge(id, body, user)));
      },
    },
    {
      method: 'POST',
      url: '/api/incidents/:id/close',
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const { id } = parseParams(IncidentParams, req.params);
        const body = parseBody(CloseIncidentRequest, req.body);
        return reply.code(202).send(commandAnswer(await actions.close(id, body, user)));
      },
    },
    {
      method: 'POST',
      url: '/api/incidents/:id/stop-tracking',
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const { id } = parseParams(IncidentParams, req.params);
        parseBody(StopTrackingRequest, req.body);
        return reply.code(202).send(commandAnswer(await actions.stopTracking(id, user)));
      },
    },
    {
      method: 'POST',
      url: '/api/incidents/:id/locate',
      access: OPERATIONAL,
      handler: async (req, reply, user) => {
        const { id } = parseParams(IncidentParams, req.params);
        parseBody(LocateRequest, req.body);
        return reply.code(202).send(commandAnswer(await actions.locate(id, user)));
      },
    },
  ];
}
