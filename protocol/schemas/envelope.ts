// The envelope of every gateway event on the WebSocket: `{ v: 1, seq, at, type, ...payload }`.
// `seq` is the event's position in the gateway's append-only log (a client resumes with `?since=<seq>`),
// `at` the instant the gateway stored it. One helper builds each event schema, so the envelope is the same
// everywhere.

import { z } from 'zod';
import { Seq, Timestamp } from './common.js';

const envelopeShape = {
  v: z.literal(1),
  seq: Seq,
  at: Timestamp,
};

/** The envelope alone (for code that only routes or stores messages). */
export const Envelope = z.object({ ...envelopeShape, type: z.string().min(1).max(64) });
export type Envelope = z.infer<typeof Envelope>;

/** An event schema: the envelope plus `type` (a literal) plus the payload fields. */
export function eventSchema<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ ...envelopeShape, type: z.literal(type), ...shape });
}
