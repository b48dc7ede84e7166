// Calls: a projection of call.* events. Each line has at most one call that has not ended; a call's id is
// minted by the gateway when the line rings.
import type { CallEndedBy, CallPriority } from '../../protocol/schemas/calls.js';
import { PRIORITY_RANK } from '../calls/priority.js';
import type { StoredEvent } from '../store/event-store.js';
import type { CallsSnapshot } from '../core/snapshot-schema.js';

export type Call = {
  readonly id: string;
  readonly lineId: string;
  /** From call.ringing, or a later call.identified when it rang with number null (so are the next four). */
  callerNumber: string | null;
  priority: CallPriority;
  handsetId: string | null;
  incidentId: string | null;
  force: string | null;
  state: 'ringing' | 'answered' | 'ended';
  readonly ringingAt: string;
  answeredAt: string | null;
  answeredBy: string | null;
  endedAt: string | null;
  endedBy: CallEndedBy | null;
  /** The user who hung up (call.ended's `by`); null while the call lasts, when the caller or the network ended it. */
  hungUpBy: string | null;
  /** Seqs of the call.answered / call.ended events (what an answer or hang-up request reports back). */
  answeredSeq: number | null;
  endedSeq: number | null;
};

type Ev = Record<string, unknown> & { type: string; at: string };

/**
 * Ended calls are forgotten this long after they ended (the log keeps them): memory stays bounded by the
 * calls of the last hours, and what the projection holds depends only on event times (same after a rebuild).
 */
export const ENDED_CALL_MEMORY_MS = 6 * 3600_000;

/**
 * A call from before a gateway restart still "ringing" this long, and not announced again by its line since, is
 * over: the call ended while the gateway was down. It is ended as `network` rather than left in the queue. A call
 * a running line reported ringing is never ended by this (gateway-core.ts `ringingOnLines`): the line reports its
 * end, and a 999 call may ring for as long as the control room is busy.
 */
export const STALE_RINGING_MS = 5 * 60_000;

/** Calls projection. */
export class Calls {
  private readonly byId = new Map<string, Call>();
  private readonly activeByLine = new Map<string, Call>();
  /** Calls ever seen (ids keep counting after old calls are forgotten). */
  private minted = 0;

  get(id: string): Call | undefined {
    return this.byId.get(id);
  }

  /** The line's call that has not ended. */
  onLine(lineId: string): Call | undefined {
    return this.activeByLine.get(lineId);
  }

  nextId(): string {
    return `CALL-${String(this.minted + 1).padStart(6, '0')}`;
  }

  /**
   * The call an AML SMS from `number` belongs to: the newest call from that number that has not ended, else
   * the newest that ended at most `graceMs` before `now` (an AML often arrives after a short call).
   */
  forAml(number: string, now: number, graceMs: number): Call | undefined {
    const live = (c: Call) => (c.state === 'ended' ? 0 : 1);
    return [...this.byId.values()]
      .filter((c) => c.callerNumber === number && (c.endedAt === null || now - Date.parse(c.endedAt) <= graceMs))
      .sort((a, b) => live(b) - live(a) || b.ringingAt.localeCompare(a.ringingAt))[0];
  }

  /** Calls answered and not ended (one per line at most). */
  answered(): Call[] {
    return [...this.activeByLine.values()].filter((c) => c.state === 'answered');
  }

  /** Calls still ringing that began ringing before `cutoff` (ms). */
  ringingSince(cutoff: number): Call[] {
    return [...this.activeByLine.values()].filter((c) => c.state === 'ringing' && Date.parse(c.ringingAt) < cutoff);
  }

  /** Calls not ended, and those ended within `keepMs` of `now`: TecSOS first, then oldest first. */
  list(now: number, keepMs: number): Call[] {
    return [...this.byId.values()]
      .filter((c) => c.endedAt === null || now - Date.parse(c.endedAt) <= keepMs)
      .sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || a.ringingAt.localeCompare(b.ringingAt));
  }

  apply(stored: StoredEvent): void {
    const e = stored.event as Ev;
    const call = typeof e['callId'] === 'string' ? this.byId.get(e['callId']) : undefined;
    switch (e.type) {
      case 'call.ringing': {
        const c: Call = {
          id: e['callId'] as string,
          lineId: e['lineId'] as string,
          callerNumber: e['callerNumber'] as string | null,
          priority: e['priority'] as CallPriority,
          handsetId: e['handsetId'] as string | null,
          incidentId: e['incidentId'] as string | null,
          force: e['force'] as string | null,
          state: 'ringing',
          ringingAt: e.at,
          answeredAt: null,
          answeredBy: null,
          endedAt: null,
          endedBy: null,
          hungUpBy: null,
          answeredSeq: null,
          endedSeq: null,
        };
        this.forgetEndedBefore(Date.parse(e.at) - ENDED_CALL_MEMORY_MS);
        this.minted++;
        this.byId.set(c.id, c);
        this.activeByLine.set(c.lineId, c);
        return;
      }
      case 'call.identified':
        if (call === undefined || call.callerNumber !== null) return;
        call.callerNumber = e['callerNumber'] as string;
        call.priority = e['priority'] as CallPriority;
        call.handsetId = e['handsetId'] as string | null;
        call.incidentId = e['incidentId'] as string | null;
        call.force = e['force'] as string | null;
        return;
      case 'call.answered':
        if (call === undefined || call.state !== 'ringing') return;
        call.state = 'answered';
        call.answeredAt = e.at;
        call.answeredBy = e['by'] as string;
        call.answeredSeq = stored.seq;
        return;
      case 'call.ended':
        if (call === undefined || call.state === 'ended') return;
        call.state = 'ended';
        call.endedAt = e.at;
        call.endedBy = e['endedBy'] as CallEndedBy;
        call.hungUpBy = call.endedBy === 'handler' ? ((e['by'] as string | null | undefined) ?? null) : null;
        call.endedSeq = stored.seq;
        if (this.activeByLine.get(call.lineId) === call) this.activeByLine.delete(call.lineId);
        return;
      default:
    }
  }

  /** The projection as snapshot data (core/snapshot-schema.ts), in insertion order. */
  snapshot(): CallsSnapshot {
    return {
      minted: this.minted,
      calls: [...this.byId.values()].map((c) => ({ ...c })),
      active: [...this.activeByLine].map(([lineId, c]) => [lineId, c.id]),
    };
  }

  /** Replaces the projection with snapshot data already checked (schema, and every active id naming a call). */
  restore(s: CallsSnapshot): void {
    this.byId.clear();
    this.activeByLine.clear();
    this.minted = s.minted;
    for (const c of s.calls) this.byId.set(c.id, { ...c });
    for (const [lineId, id] of s.active) this.activeByLine.set(lineId, this.byId.get(id) as Call);
  }

  private forgetEndedBefore(cutoff: number): void {
    for (const [id, c] of this.byId) if (c.endedAt !== null && Date.parse(c.endedAt) < cutoff) this.byId.delete(id);
  }
}
