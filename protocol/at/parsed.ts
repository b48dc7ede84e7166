// The result type every response parser in protocol/at returns. "Not mine" (the line is another command's) is
// kept apart from "corrupt" (the right command, but a value that cannot be decoded), so callers can count both.

/** Why a parser did not return a value. */
export type ParseFailure = 'not-mine' | 'corrupt';

/** A parser's result: a value, or a typed rejection with a reason a person can read. Never an exception. */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly failure: ParseFailure; readonly reason: string };

/** Wraps a value. */
export const parsedOk = <T>(value: T): Parsed<T> => ({ ok: true, value });
/** The line belongs to something else. */
export const notMine = <T>(reason: string): Parsed<T> => ({ ok: false, failure: 'not-mine', reason });
/** The line is ours but cannot be decoded. */
export const corrupt = <T>(reason: string): Parsed<T> => ({ ok: false, failure: 'corrupt', reason });
