// TSC1 commands sent to handsets and not yet answered. The handset's ACK report names no command, so an ACK
// acknowledges the oldest command still waiting for that handset (the handset handles commands in the order
// they arrive; docs/gateway.md), the oldest that surely left first (`oldest`).
import type { StoredEvent } from '../store/event-store.js';
import type { CommandsSnapshot } from './snapshot-schema.js';

/** How long a sent command waits for its ACK before its result is `timeout`. */
export const COMMAND_TIMEOUT_MS = 15 * 60_000;

/** How long the network keeps a TSC1 SMS for a handset it cannot reach: its TP-VP, encodeSubmit's default (24 h). */
const COMMAND_SMS_VALIDITY_MS = 24 * 3600_000;

/**
 * How long a LOCATE may still be answered (one TRK, after the ACK): as long as the network may deliver it
 * (a handset switched off, or out of coverage, gets it when it is back, hours later, long after the command's
 * ACK timeout, and answers), plus the fix's wait. Only the first TRK after a LOCATE answers it, so a LOCATE
 * whose answer was lost costs a later lost alarm one TRK, not this whole time.
 */
export const LOCATE_ANSWER_MS = COMMAND_SMS_VALIDITY_MS + 5 * 60_000;

export type PendingCommand = {
  readonly handsetId: string;
  readonly counter: number;
  readonly incidentId: string | null;
  readonly kind: string;
  /** When command.sent was stored (ms). */
  readonly sentAt: number;
  /**
   * Recorded sent although it may not have left (its `command.result` `sent` detail begins `uncertain:`: a line
   * that failed after the modem was given it, a crash before its outcome was stored: unsettled-commands.ts).
   */
  uncertain: boolean;
};

export class PendingCommands {
  private readonly byHandset = new Map<string, PendingCommand[]>();
  /**
   * The LOCATEs sent to each handset that no TRK has answered yet: their send times (ms), oldest first. Its
   * answer is one TRK, which may come after its ACK; the first TRK accepted after a LOCATE takes it, so that
   * only one TRK passes for a LOCATE's answer (a victim's lost alarm right after an engineer's LOCATE must
   * still open an incident with its next TRK, not 20 minutes later).
   */
  private readonly locates = new Map<string, number[]>();

  /** True when a LOCATE sent to the handset at or after `since` (ms) has had no TRK since: a TRK now answers it. */
  locateUnanswered(handsetId: string, since: number): boolean {
    return this.locates.get(handsetId)?.some((at) => at >= since) ?? false;
  }

  /** Forgets the handset's unanswered LOCATEs (it was re-keyed: state.ts). */
  forgetLocates(handsetId: string): void {
    this.locates.delete(handsetId);
  }

  /**
   * The command an ACK of the handset settles: the oldest waiting that surely left, else the oldest that may not
   * have. One that may not have left must not take the ACK of a command sent after it (the handler's second STOP,
   * her Fresh fix) when it never reached the handset: the incident read stopped by the handset while it tracked,
   * and the command that was carried out timed out. When it did leave, its ACK and the later command's are each
   * credited to the other, and both end acknowledged when both ACKs come within its 15 minutes (else it reads
   * timed out although carried out: docs/gateway.md "Known limits").
   */
  oldest(handsetId: string): PendingCommand | undefined {
    const list = this.byHandset.get(handsetId);
    return list?.find((c) => !c.uncertain) ?? list?.[0];
  }

  /** Every command still waiting for the handset's ACK, oldest first. */
  waiting(handsetId: string): readonly PendingCommand[] {
    return this.byHandset.get(handsetId) ?? [];
  }

  /** Commands sent before `cutoff` and still waiting. */
  olderThan(cutoff: number): PendingCommand[] {
    return [...this.byHandset.values()].flat().filter((c) => c.sentAt < cutoff);
  }

  /** The commands as snapshot data (snapshot-schema.ts); handsets whose commands were all answered keep an empty list. */
  snapshot(): CommandsSnapshot {
    return { byHandset: [...this.byHandset].map(([handsetId, list]) => [handsetId, list.map((c) => ({ ...c }))]), locatedAt: [...this.locates].flatMap(([handsetId, list]) => list.map((at): [string, number] => [handsetId, at])) };
  }

  /** Replaces the commands with snapshot data already checked. */
  restore(s: CommandsSnapshot): void {
    this.byHandset.clear();
    for (const [handsetId, list] of s.byHandset) this.byHandset.set(handsetId, list.map((c) => ({ ...c })));
    this.locates.clear();
    for (const [handsetId, at] of s.locatedAt) this.locates.set(handsetId, [...(this.locates.get(handsetId) ?? []), at]);
  }

  apply(stored: StoredEvent): void {
    const e = stored.event as Record<string, unknown> & { type: string };
    const handsetId = e['handsetId'] as string;
    if (e.type === 'command.sent') {
      const list = this.byHandset.get(handsetId) ?? [];
      const command = e['command'] as { kind: string };
      const sentAt = typeof e['at'] === 'string' ? Date.parse(e['at']) : stored.storedAt;
      list.push({ handsetId, counter: e['counter'] as number, incidentId: (e['incidentId'] as string | null) ?? null, kind: command.kind, sentAt, uncertain: false });
      this.byHandset.set(handsetId, list);
      if (command.kind === 'LOCATE') this.locates.set(handsetId, [...this.unexpiredLocates(handsetId, sentAt), sentAt]);
    } else if (e.type === 'report.accepted' && e['event'] === 'TRK' && this.locates.has(handsetId)) {
      // The first TRK after a LOCATE is its answer (or the handset tracks anyway): the LOCATE is answered.
      const at = typeof e['receivedAt'] === 'string' ? Date.parse(e['receivedAt']) : stored.storedAt;
      const left = this.unexpiredLocates(handsetId, at).slice(1);
      if (left.length > 0) this.locates.set(handsetId, left);
      else this.locates.delete(handsetId);
    } else if (e.type === 'command.result' && e['result'] === 'sent') {
      // Stored with its command.sent: `uncertain: ...` (gateway-core.ts transmit, unsettled-commands.ts).
      const c = typeof e['detail'] === 'string' && e['detail'].startsWith('uncertain') ? this.byHandset.get(handsetId)?.find((x) => x.counter === e['counter']) : undefined;
      if (c !== undefined) c.uncertain = true;
    } else if (e.type === 'command.result') {
      const list = this.byHandset.get(handsetId);
      if (list === undefined) return;
      const i = list.findIndex((c) => c.counter === e['counter']);
      if (i >= 0) list.splice(i, 1);
    }
  }

  /** The handset's unanswered LOCATEs still within LOCATE_ANSWER_MS of `now` (older ones' answers were lost). */
  private unexpiredLocates(handsetId: string, now: number): number[] {
    return (this.locates.get(handsetId) ?? []).filter((at) => now - at < LOCATE_ANSWER_MS);
  }
}
