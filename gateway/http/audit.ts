// The edge's use of the store's hash-chained audit log (gateway/store AuditLog: each entry's hash covers the
// previous entry's hash, so an edited or removed entry breaks verification from that point on).
//
// Every read of a victim's record or track is appended BEFORE the data is returned: if the audit write fails,
// the read fails (503 unavailable), because "anyone sees a victim's data without a trace" must never happen.
import type { AuditEntry as StoreAuditEntry, AuditLog } from '../store/event-store.js';
import type { SessionUser } from '../auth/sessions.js';
import { HTTP_ERRORS, HttpError } from './errors.js';

/** Audit action names written by the HTTP edge (`what`; the first group are protocol/schemas AuditAction values). */
export const AUDIT_ACTIONS = {
  login: 'login',
  loginFailed: 'login.failed',
  logout: 'logout',
  incidentRead: 'incident.read',
  trackRead: 'track.read',
  trackExport: 'track.export',
  handsetRegister: 'handset.register',
  handsetRead: 'handset.read',
  userCreate: 'user.create',
  // Not (yet) in protocol/schemas AuditAction:
  userDisable: 'user.disable',
  userEnable: 'user.enable',
  /** A WebSocket subscription: it streams fixes (victim locations) as they come. */
  wsSubscribe: 'ws.subscribe',
  auditRead: 'audit.read',
} as const;

export type AuditActionName = (typeof AUDIT_ACTIONS)[keyof typeof AUDIT_ACTIONS];

/** The audit entry as the API shows it (protocol/schemas AuditEntry). */
export type AuditEntryView = {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly detail: string;
  readonly prevHash: string;
  readonly hash: string;
};

/**
 * Writes one entry (`actor` = the username, `detail` a short text with the role first). A store failure becomes
 * a 503 `unavailable`: the caller's request (and the data it would have returned) fails with it.
 */
export async function audit(
  log: Pick<AuditLog, 'appendAudit'>,
  who: SessionUser | { readonly username: string; readonly role?: undefined },
  what: AuditActionName,
  subject: string,
  detail = '',
): Promise<StoreAuditEntry> {
  const text = who.role === undefined ? detail : detail === '' ? `role=${who.role}` : `role=${who.role}; ${detail}`;
  try {
    return await log.appendAudit({ actor: who.username, action: what, subject: subject.slice(0, 100), detail: text.slice(0, 500) });
  } catch (err) {
    throw new HttpError(503, HTTP_ERRORS.unavailable, `audit log unavailable (${(err as Error).message}); nothing was returned`);
  }
}

/** A stored entry in the API's shape (the store's entry with `detail` as text). */
export function auditView(e: StoreAuditEntry): AuditEntryView {
  return {
    seq: e.seq,
    at: e.at,
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    detail: typeof e.detail === 'string' ? e.detail : e.detail === null || e.detail === undefined ? '' : JSON.stringify(e.detail),
    prevHash: e.prevHash,
    hash: e.hash,
  };
}
