// Error bodies: every 4xx/5xx from the API is protocol/schemas `ApiError`, `{ error: <code>, message,
// fields? }`, with the codes of `ApiErrorCode` (the console switches on `error`, never on `message`).
import type { ApiErrorCode } from '../../protocol/schemas/rest.js';

/** Named error codes (protocol/schemas ApiErrorCode). */
export const HTTP_ERRORS = {
  badRequest: 'bad-request',
  unauthorised: 'unauthorised',
  forbidden: 'forbidden',
  notFound: 'not-found',
  conflict: 'conflict',
  rateLimited: 'rate-limited',
  payloadTooLarge: 'payload-too-large',
  unavailable: 'unavailable',
  internal: 'internal',
} as const satisfies Record<string, ApiErrorCode>;

export type HttpErrorCode = (typeof HTTP_ERRORS)[keyof typeof HTTP_ERRORS];

export type ErrorBody = { readonly error: HttpErrorCode; readonly message: string; readonly fields?: readonly string[] };

/** A failure a route handler throws to answer with `status` and an error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: HttpErrorCode,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly fields?: readonly string[],
  ) {
    super(message);
  }

  body(): ErrorBody {
    return this.fields === undefined
      ? { error: this.code, message: this.message }
      : { error: this.code, message: this.message, fields: this.fields };
  }
}
