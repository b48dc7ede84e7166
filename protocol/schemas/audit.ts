// The hash-chained audit log: who read or did what, when. Each entry's hash covers the previous entry's
// hash, so a removed or edited entry breaks the chain.

import { z } from 'zod';
import { Detail, Seq, Timestamp, Username } from './common.js';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** What was done: reads of victim data, exports, user and handset administration, purges, retention's clock hold. */
export const AuditAction = z.enum([
  'victim.read',
  'track.read',
  'track.export',
  'incident.read',
  'handset.register',
  'handset.read',
  'user.create',
  'user.disable',
  'user.enable',
  /** A WebSocket subscription: it streams victims' locations as they come. */
  'ws.subscribe',
  'audit.read',
  'login',
  'login.failed',
  'logout',
  'purge',
  /** Retention stopped trusting the wall clock (detail `trusted=<ISO>; wall=<ISO>; offsetHours=<n>`); again hourly while held. */
  'retention.held',
  /** Retention trusts the wall clock again. */
  'retention.resumed',
  /** The operator started the gateway with --trust-clock=<time> (detail `stated=<ISO>; wall=<ISO>; ...`). */
  'retention.clock-trusted',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  seq: Seq,
  at: Timestamp,
  /**
   * A username, or `system` / `system:<part>` for the gateway's own actions (`system:retention`: the daily
   * purge and retention's clock hold).
   */
  actor: z.union([Username, z.string().regex(/^system(:[a-z0-9][a-z0-9._-]{0,31})?$/)]),
  action: AuditAction,
  /** What was touched: `handset:TS-0001`, `incident:abc`, `user:jo`. */
  subject: z.string().max(100),
  detail: Detail,
  /** Hash of the previous entry (64 zeros for the first). */
  prevHash: Sha256Hex,
  /** SHA-256 over prevHash and this entry's other fields (the gateway defines the exact serialisation). */
  hash: Sha256Hex,
});
export type AuditEntry = z.infer<typeof AuditEntry>;
