// zod validation at the edge: a bad body, query or parameter answers 400 `{ error: 'bad-request', message,
// fields }` where the message names the first bad field (`password: Too small: expected string to have >=1
// characters`) and `fields` lists every bad field.
import type { z } from 'zod';
import { withoutBodyVersion } from '../../protocol/schemas/common.js';
import { HTTP_ERRORS, HttpError } from './errors.js';

function check<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const fields = [...new Set(r.error.issues.map((i) => (i.path.length === 0 ? what : i.path.map(String).join('.'))))].slice(0, 50);
  const first = r.error.issues[0];
  const message = `${fields[0] ?? what}: ${first?.message ?? 'invalid'}`;
  throw new HttpError(400, HTTP_ERRORS.badRequest, message.slice(0, 1000), {}, fields.map((f) => f.slice(0, 200)));
}

/** `{"v":1,"note":"x"}` is `{"note":"x"}` (protocol/schemas withoutBodyVersion); another `v` is a 400 naming it. */
function withoutVersion(body: unknown): unknown {
  const r = withoutBodyVersion(body);
  if (!r.ok) throw new HttpError(400, HTTP_ERRORS.badRequest, `v: version ${String(JSON.stringify(r.v)).slice(0, 20)} is not supported (this gateway reads v 1)`, {}, ['v']);
  return r.body;
}

/** The parsed body (an absent body counts as `{}`; a `v: 1` is taken off first), or a 400 naming the field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  return check(schema, withoutVersion(body ?? {}), 'body');
}

/** The parsed query string, or a 400 naming the parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.infer<S> {
  return check(schema, query, 'query');
}

/** The parsed path parameters, or a 404 (an id that cannot exist names nothing). */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown): z.infer<S> {
  const r = schema.safeParse(params);
  if (!r.success) throw new HttpError(404, HTTP_ERRORS.notFound, 'no such resource');
  return r.data;
}
