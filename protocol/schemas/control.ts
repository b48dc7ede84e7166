// WebSocket control messages. The server sends `hello` first, then every stored event after `since` (the
// backlog), then `live` once it has caught up, then live events; `error` before it closes a connection.
// Control messages carry `v` and `at` but no `seq`: they are not events and are not stored.
// A client that asks for it (`/ws?since=N&batch=1`) gets events in `batch` messages, each carrying up to
// 500 events in seq order, instead of one message per event: the backlog a store page per batch, and a live
// store commit of which its role receives two or more events as one batch (a commit with one such event
// stays that event's own message). A browser pays for every WebSocket message (headless Chromium: ~180 us
// each, measured): a console opening on 60,000 events spent 11 s in message delivery alone, and a surge of
// reports (hundreds per commit) cost it one message per event.
// The client sends only `ping` (the server answers `pong`); everything else goes through REST.

import { z } from 'zod';
import { Timestamp, Username } from './common.js';
import { GatewayEvent } from './events.js';
import { Role } from './users.js';

export const Hello = z.object({
  v: z.literal(1),
  type: z.literal('hello'),
  at: Timestamp,
  user: z.object({ username: Username, role: Role }),
  /** The `since` the server resumes from (0: from the start). */
  since: z.int().min(0),
  /** The newest seq in the log when the connection opened (0: empty log). */
  headSeq: z.int().min(0),
});

/** The backlog is sent; what follows is live. */
export const Live = z.object({
  v: z.literal(1),
  type: z.literal('live'),
  at: Timestamp,
  headSeq: z.int().min(0),
});

/** Why the server is about to close: `slow-consumer` (the client should reconnect with its last seq). */
export const WsErrorCode = z.enum(['slow-consumer', 'bad-since', 'unauthorised', 'shutting-down', 'bad-message', 'internal']);

export const WsError = z.object({
  v: z.literal(1),
  type: z.literal('error'),
  at: Timestamp,
  code: WsErrorCode,
  message: z.string().max(500),
  /** The last seq the server sent on this connection; resume with `?since=` this. */
  lastSeq: z.int().min(0).nullable(),
});

export const Pong = z.object({ v: z.literal(1), type: z.literal('pong'), at: Timestamp, nonce: z.string().max(64).optional() });

/** Most characters of JSON text in one `view` message. */
export const VIEW_PART_CHARS = 256 * 1024;

/**
 * Only to a client that asked with `/ws?since=0&view=1`, right after `hello`: the console's picture of the
 * control room after every event up to `seq` (console-view.ts), instead of every event from the start. Its
 * JSON text comes cut into `parts` messages, back to back, `part` 0 first; the client joins the texts,
 * parses and checks the whole as a ConsoleView, and then applies the events after `seq` (the backlog, `live`,
 * live events) as usual. A console opening on a long log otherwise waited for every event of it (600,000
 * public events: 20 s in headless Chromium) before it showed the call ringing now.
 */
export const ViewPart = z.object({
  v: z.literal(1),
  type: z.literal('view'),
  at: Timestamp,
  /** The picture is the one after this seq (its events for the client's role applied). */
  seq: z.int().min(0),
  part: z.int().min(0),
  parts: z.int().min(1).max(1_000_000),
  text: z.string().max(VIEW_PART_CHARS),
});

export const ServerControl = z.discriminatedUnion('type', [Hello, Live, WsError, Pong, ViewPart]);

/** Most events in one `batch` message: the fan-out's page (a longer live commit makes several). */
export const MAX_BATCH_EVENTS = 500;

/**
 * Events in seq order, a backlog page or a live commit (only to a client that asked with `batch=1`). Each
 * element is exactly the message the event would have been on its own.
 */
export const EventBatch = z.object({
  v: z.literal(1),
  type: z.literal('batch'),
  at: Timestamp,
  events: z.array(GatewayEvent).min(1).max(MAX_BATCH_EVENTS),
});

/**
 * A `batch` read for its envelope only, so that a client can check each event on its own: one event it
 * cannot read must not cost it the others.
 */
export const EventBatchEnvelope = EventBatch.extend({ events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS) });

/** Anything the server sends on `/ws`: a control message, a batch of events, or a gateway event. */
export const WsServerMessage = z.union([ServerControl, EventBatch, GatewayEvent]);
export type WsServerMessage = z.infer<typeof WsServerMessage>;

export const Ping = z.strictObject({ v: z.literal(1), type: z.literal('ping'), nonce: z.string().max(64).optional() });
/** Anything a client may send on `/ws`. */
export const WsClientMessage = z.discriminatedUnion('type', [Ping]);
export type WsClientMessage = z.infer<typeof WsClientMessage>;

export type Hello = z.infer<typeof Hello>;
export type Live = z.infer<typeof Live>;
export type WsError = z.infer<typeof WsError>;
export type Pong = z.infer<typeof Pong>;
export type ViewPart = z.infer<typeof ViewPart>;
export type EventBatch = z.infer<typeof EventBatch>;
export type Ping = z.infer<typeof Ping>;

/** Resume point: `/ws?since=<seq>` (0 or absent: everything). */
export const WsSinceQuery = z.object({
  since: z.coerce.number().pipe(z.int().min(0)).default(0),
  /** `1`: events in `batch` messages (see above); absent or `0`: one message per event. */
  batch: z.enum(['0', '1']).default('0').transform((b) => b === '1'),
  /** `1` with `since` 0: start from the console's picture (`view` messages, above) rather than every event. */
  view: z.enum(['0', '1']).default('0').transform((b) => b === '1'),
});
