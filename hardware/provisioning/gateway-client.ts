// The gateway's REST API as the provisioning tool uses it (docs/api.md): log in as an engineer, list the
// registered handsets, register one, log out. Every request carries the session cookie from the login and no
// Origin header: the tool is not a browser, and the gateway's Origin/Host checks (gateway/http/origin.ts: CSRF
// and DNS rebinding, both attacks through a victim's browser) let a request without Origin through. With one,
// a gateway reached by a DNS name not in its `hostnames` refused the tool as a DNS-rebound page.
// Answers are typed: an unreachable gateway, a refusal (status + ApiError `error`/`message`) or the value.

import { z } from 'zod';
import { HandsetView, type HandsetRegisterRequest } from '../../protocol/schemas/handsets.js';

// The answers' shapes (docs/api.md). A 2xx whose body is not one of these (a captive portal's or a proxy's
// HTML page, the wrong server behind --gateway) is a refusal, never taken as success: a registration answered
// with a page must be rolled back like any other failed registration.
const LoginAnswer = z.object({ username: z.string(), role: z.string() });
const HandsetsAnswer = z.object({ handsets: z.array(HandsetView) });
const RegisterAnswer = z.object({ seq: z.number().int().nonnegative(), handset: HandsetView });

/** Why a gateway request failed. */
export type GatewayFailure =
  | { readonly kind: 'unreachable'; readonly message: string }
  | { readonly kind: 'refused'; readonly status: number; readonly error: string; readonly message: string };

export type GatewayReply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: GatewayFailure };

/** A parsed gateway URL (`http://host:port`, `https://...`): its origin, or why it is not one. */
export function parseGatewayUrl(text: string): { ok: true; origin: string } | { ok: false; reason: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `--gateway ${JSON.stringify(text)} is not a URL (e.g. https://gateway.example:8443)` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `--gateway must be http:// or https://, not ${url.protocol}` };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: '--gateway must not carry credentials: use --user and --password-env' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') return { ok: false, reason: `--gateway is the gateway's base URL only (${url.origin})` };
  return { ok: true, origin: url.origin };
}

/** One engineer's session with the gateway. */
export class GatewayClient {
  private cookie: string | undefined;

  constructor(
    /** The gateway's origin, e.g. `http://127.0.0.1:8080`. */
    readonly origin: string,
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly timeoutMs = 15_000,
  ) {}

  /** POST /api/login; keeps the session cookie. The role must be engineer to register. */
  async login(username: string, password: string): Promise<GatewayReply<{ username: string; role: string }>> {
    const r = await this.request('POST', '/api/login', LoginAnswer, { username, password });
    if (r.ok && r.value.role !== 'engineer') {
      return { ok: false, failure: { kind: 'refused', status: 403, error: 'forbidden', message: `${username} is a ${r.value.role}; registering handsets needs an engineer account` } };
    }
    return r;
  }

  /** GET /api/handsets. */
  async listHandsets(): Promise<GatewayReply<readonly HandsetView[]>> {
    const r = await this.request('GET', '/api/handsets', HandsetsAnswer);
    return r.ok ? { ok: true, value: r.value.handsets } : r;
  }

  /** POST /api/handsets. */
  async register(body: HandsetRegisterRequest): Promise<GatewayReply<{ seq: number; handset: HandsetView }>> {
    return this.request('POST', '/api/handsets', RegisterAnswer, body);
  }

  /** POST /api/logout (best effort). */
  async logout(): Promise<void> {
    if (this.cookie === undefined) return;
    await this.request('POST', '/api/logout', z.unknown()).catch(() => undefined);
    this.cookie = undefined;
  }

  private async request<T>(method: string, path: string, answer: z.ZodType<T>, body?: unknown): Promise<GatewayReply<T>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie !== undefined) headers['cookie'] = this.cookie;
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.origin}${path}`, {
        method,
        headers,
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      return { ok: false, failure: { kind: 'unreachable', message: `gateway ${this.origin} not reachable: ${cause?.code ?? cause?.message ?? (err as Error).message}` } };
    }
    const setCookie = res.headers.get('set-cookie');
    if (setCookie !== null) {
      const m = /(?:^|,\s*)(tecsos_session=[^;]*)/.exec(setCookie);
      if (m !== null) this.cookie = m[1];
    }
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const e = (json ?? {}) as { error?: unknown; message?: unknown };
      return {
        ok: false,
        failure: { kind: 'refused', status: res.status, error: typeof e.error === 'string' ? e.error : `http-${res.status}`, message: typeof e.message === 'string' ? e.message : `${method} ${path}: HTTP ${res.status}` },
      };
    }
    const parsed = answer.safeParse(json);
    if (!parsed.success) {
      const what = json === undefined ? (text === '' ? 'an empty body' : 'a body that is not JSON') : 'JSON of the wrong shape';
      return { ok: false, failure: { kind: 'refused', status: res.status, error: 'bad-answer', message: `${method} ${path}: HTTP ${res.status} with ${what}: is --gateway ${this.origin} the TecSOS gateway?` } };
    }
    return { ok: true, value: parsed.data };
  }
}
