// A command's ActionResult as an HTTP answer: 202 `{ accepted: true, seq }` (the outcome follows as events on
// the WebSocket), or 404 / 409 / 503 with the core's message.
import type { ActionResult } from '../actions.js';
import { HTTP_ERRORS, HttpError } from '../errors.js';

export function commandAnswer<T extends object>(r: ActionResult<T>): { accepted: true; seq: number } & Omit<T, 'ok'> {
  if (r.ok) {
    const { ok: _ok, ...rest } = r;
    return { accepted: true, ...rest } as { accepted: true; seq: number } & Omit<T, 'ok'>;
  }
  switch (r.error) {
    case 'not_found':
      throw new HttpError(404, HTTP_ERRORS.notFound, r.message);
    case 'conflict':
      throw new HttpError(409, HTTP_ERRORS.conflict, r.message);
    case 'unavailable':
      throw new HttpError(503, HTTP_ERRORS.unavailable, r.message);
    default: {
      const never: never = r.error;
      throw new Error(`unknown action error ${String(never)}`);
    }
  }
}
