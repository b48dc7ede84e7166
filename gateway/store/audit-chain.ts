// The audit log's hash chain. Each entry's hash covers the previous entry's hash and the entry itself:
//
//   hash(n) = hex(SHA-256(hash(n-1) + canonicalJson({ seq, at, actor, action, subject, detail })))
//   hash(0) = 64 x "0" (the genesis "previous hash" of entry 1)
//
// Editing an entry breaks its own hash; removing or inserting one breaks the next entry's prev_hash (and the
// seq); rewriting the whole tail consistently is caught by comparing the head with one recorded
// elsewhere (a log line, a report). SQL triggers also refuse UPDATE and DELETE, but someone with the file can
// drop them: the chain is the real protection.

import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { AuditBreak, type AuditEntry, type AuditVerification } from './event-store.js';

export const GENESIS_HASH = '0'.repeat(64);

/** The part of an entry the hash covers. */
export type AuditContent = Pick<AuditEntry, 'seq' | 'at' | 'actor' | 'action' | 'subject' | 'detail'>;

export function auditHash(prevHash: string, entry: AuditContent): string {
  const content = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    detail: entry.detail ?? null,
  });
  return createHash('sha256').update(prevHash).update(content).digest('hex');
}

/**
 * Verifies entries fed in seq order, from the first; `check` returns the first broken link and the verifier
 * stops there. Incremental, so a long chain can be walked in slices without blocking the event loop.
 */
export class ChainVerifier {
  private prev = GENESIS_HASH;
  private expected = 1;
  private count = 0;
  private head: { seq: number; hash: string } | null = null;

  /** A verifier that goes on after a prefix already verified: `entries` entries, the last one `head`. */
  static after(prefix: { readonly entries: number; readonly head: { readonly seq: number; readonly hash: string } }): ChainVerifier {
    const v = new ChainVerifier();
    v.prev = prefix.head.hash;
    v.expected = prefix.head.seq + 1;
    v.count = prefix.entries;
    v.head = { ...prefix.head };
    return v;
  }

  /**
   * Checks the next entry; returns the failed verification if this link is broken. `readable` false: its stored
   * detail could not be read back (not JSON, or nested too deep to hash): it was edited, named after the seq and
   * previous-hash checks so that an entry removed before it is named first.
   */
  check(e: AuditEntry, readable = true): Extract<AuditVerification, { ok: false }> | undefined {
    const broken = (reason: AuditBreak, message: string) =>
      ({ ok: false, entries: this.count, brokenAt: e.seq, reason, message: `audit entry ${e.seq}: ${message}` }) as const;
    if (e.seq !== this.expected) {
      return broken(AuditBreak.GAP, `expected entry ${this.expected} next (entries ${this.expected}..${e.seq - 1} are missing)`);
    }
    if (e.prevHash !== this.prev) {
      return broken(AuditBreak.PREV_MISMATCH, 'its previous-hash is not the hash of the entry before it (an entry was removed, inserted or rewritten)');
    }
    if (!readable) return broken(AuditBreak.HASH_MISMATCH, 'its detail is not the JSON it was written as (it was edited)');
    if (auditHash(this.prev, e) !== e.hash) return broken(AuditBreak.HASH_MISMATCH, 'its content does not match its hash (it was edited)');
    this.prev = e.hash;
    this.expected++;
    this.count++;
    this.head = { seq: e.seq, hash: e.hash };
    return undefined;
  }

  /** The verification of everything checked so far (all links good). */
  result(): AuditVerification {
    return { ok: true, entries: this.count, head: this.head };
  }
}
