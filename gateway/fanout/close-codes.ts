// WebSocket close codes the gateway sends (RFC 6455 section 7.4: 4000-4999 are for applications).
// The console reacts by code: RESUME codes reconnect with `since=<last seq it received>`; LOGIN codes show the
// login screen. The reason text says the same for a person reading a log.

export const CLOSE = {
  /** Server shutting down (restart): reconnect and resume. */
  goingAway: 1001,
  /** The client sent something that is not part of the protocol. */
  policy: 1008,
  /** A frame over the 64 KiB limit (sent by `ws` itself). */
  tooBig: 1009,
  /** Session ended (logout, expiry, user disabled): log in again. */
  sessionEnded: 4001,
  /** The client could not keep up; everything up to `seq N` in the reason was queued before the close. */
  slowConsumer: 4008,
  /** `since` is beyond the end of the log (a log from another gateway?): resume from 0. */
  sinceAhead: 4009,
  /** No pong to the last ping (dead client; usually never seen, the socket is gone). */
  heartbeat: 4010,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
