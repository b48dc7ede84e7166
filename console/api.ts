// The gateway's REST API (docs/api.md) as the console uses it. Every answer is checked against its
// protocol/schemas type; an error answer becomes an ApiFailure with the gateway's own message.
import { z } from 'zod';
import {
  ApiError, AuditEntry, IncidentView, UserView, type CloseIncidentRequest, type IncidentOutcome,
} from '../protocol/schemas/index.js';

export class ApiFailure extends Error {
  override readonly name = 'ApiFailure';
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const CommandAccepted = z.object({ accepted: z.literal(true), seq: z.int().min(1) });
const ConsoleConfig = z.object({ tiles: z.string().max(500).nullable(), tilesAttribution: z.string().max(200).optional() });
export type ConsoleConfig = z.infer<typeof ConsoleConfig>;

async function call<T>(method: string, url: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  let r: Response;
  try {
    r = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new ApiFailure(0, 'network', `gateway unreachable (${(err as Error).message})`);
  }
  const text = await r.text();
  let json: unknown = undefined;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!r.ok) {
    const e = ApiError.safeParse(json);
    throw new ApiFailure(r.status, e.success ? e.data.error : 'http', e.success ? e.data.message : `HTTP ${r.status}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiFailure(r.status, 'bad-answer', `unexpected answer from ${url}: ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

const enc = encodeURIComponent;

export const api = {
  login: (username: string, password: string) => call('POST', '/api/login', UserView, { username, password }),
  logout: () => call('POST', '/api/logout', z.unknown()),
  me: () => call('GET', '/api/me', UserView),
  /** Tile server (TECSOS_TILES); a gateway without the route means none. */
  config: async (): Promise<ConsoleConfig> => {
    try {
      return await call('GET', '/api/console-config', ConsoleConfig);
    } catch {
      return { tiles: null };
    }
  },
  /** One incident with the victim's record (the gateway audits this read). */
  incident: (id: string) => call('GET', `/api/incidents/${enc(id)}`, z.object({ incident: IncidentView })),
  answer: (callId: string) => call('POST', `/api/calls/${enc(callId)}/answer`, CommandAccepted, {}),
  hangup: (callId: string) => call('POST', `/api/calls/${enc(callId)}/hangup`, CommandAccepted, {}),
  acknowledge: (id: string) => call('POST', `/api/incidents/${enc(id)}/acknowledge`, CommandAccepted, {}),
  locate: (id: string) => call('POST', `/api/incidents/${enc(id)}/locate`, CommandAccepted, {}),
  stopTracking: (id: string) => call('POST', `/api/incidents/${enc(id)}/stop-tracking`, CommandAccepted, {}),
  close: (id: string, outcome: IncidentOutcome, note: string, transferredTo: string) => {
    const body: CloseIncidentRequest = {
      outcome,
      ...(note.trim() !== '' && { note: note.trim() }),
      ...(outcome === 'transferred' && { transferredTo: transferredTo.trim() }),
    };
    return call('POST', `/api/incidents/${enc(id)}/close`, CommandAccepted, body);
  },
  /**
   * The newest `limit` audit entries (oldest first, the last one this read's own) and whether the hash chain
   * verified. One request (`newest=1`): each read is an audit entry kept for ever, so one refresh writes one.
   */
  audit: async (limit = 100) => {
    const Page = z.object({
      entries: z.array(AuditEntry),
      verification: z.object({ ok: z.boolean(), entries: z.int().min(0), brokenAt: z.int().min(1).optional(), message: z.string().max(1000).optional() }).loose(),
    });
    const page = await call('GET', `/api/audit?newest=1&limit=${limit}`, Page);
    const v = page.verification;
    // How many entries were verified (the whole log, not just those listed) and, when broken, where and how.
    return { entries: page.entries, chainOk: v.ok, verified: v.entries, broken: v.ok ? null : { at: v.brokenAt ?? null, message: v.message ?? 'no reason given' } };
  },
  exportUrl: (id: string, ext: 'geojson' | 'gpx') => `/api/incidents/${enc(id)}/track.${ext}`,
};
