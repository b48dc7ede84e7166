// Actions the handler asked for and the gateway has not yet confirmed. A button press sends the REST
// command; the gateway answers 202 (recorded) and the outcome arrives later as an event on the WebSocket.
// Until that event arrives the console says "pending", never "done". Pure (tested in node).
import type { GatewayEvent } from '../protocol/schemas/index.js';

export type ActionKind = 'answer' | 'hangup' | 'acknowledge' | 'locate' | 'stop' | 'close';

export type Pending = { readonly kind: ActionKind; readonly id: string; readonly startedAt: number; recordedSeq: number | null };

/** The event types that confirm each action, for the call or incident id they name. */
const CONFIRMED_BY: Readonly<Record<ActionKind, readonly GatewayEvent['type'][]>> = {
  answer: ['call.answered', 'call.ended'],
  hangup: ['call.ended'],
  acknowledge: ['incident.acknowledged', 'incident.closed'],
  locate: ['incident.locate-requested', 'incident.closed'],
  stop: ['incident.tracking-stopped', 'incident.closed'],
  close: ['incident.closed'],
};

function subjectOf(e: GatewayEvent): string | null {
  if ('callId' in e && (e.type === 'call.answered' || e.type === 'call.ended')) return e.callId;
  if ('incidentId' in e && e.type.startsWith('incident.')) return e.incidentId;
  return null;
}

/**
 * When `e` settles `p` without doing what this user asked, why (shown instead of "confirmed"); null when it is
 * the action's own event, done by `username`. Accept is settled by `call.ended` when the caller hangs up
 * first: saying "Call answered: confirmed" then would be false.
 */
export function settledOtherwise(p: Pending, e: GatewayEvent, username: string): string | null {
  switch (e.type) {
    case 'call.ended':
      return p.kind === 'hangup' ? null : 'the call ended first';
    case 'incident.closed':
      if (p.kind !== 'close') return `the incident was closed first (by ${e.by})`;
      return e.by === username ? null : `${e.by} closed it first`;
    case 'call.answered':
      return e.by === username ? null : `${e.by} answered it first`;
    case 'incident.acknowledged':
      return e.by === username ? null : `${e.by} acknowledged it first`;
    case 'incident.locate-requested':
      return e.by === username ? null : `${e.by} asked for one first`;
    case 'incident.tracking-stopped':
      return e.reason === 'handler' && e.by === username ? null
        : e.reason === 'handler' ? `${e.by ?? 'another handler'} stopped it first` : `tracking had already stopped (${e.reason})`;
    default:
      return null;
  }
}

export class PendingActions {
  private readonly byKey = new Map<string, Pending>();

  static key(kind: ActionKind, id: string): string {
    return `${kind}:${id}`;
  }

  start(kind: ActionKind, id: string, now: number): void {
    this.byKey.set(PendingActions.key(kind, id), { kind, id, startedAt: now, recordedSeq: null });
  }

  /** The gateway recorded the request (202 with its seq). */
  recorded(kind: ActionKind, id: string, seq: number): void {
    const p = this.byKey.get(PendingActions.key(kind, id));
    if (p) p.recordedSeq = seq;
  }

  /** The request failed (HTTP error): it is no longer pending. */
  fail(kind: ActionKind, id: string): void {
    this.byKey.delete(PendingActions.key(kind, id));
  }

  get(kind: ActionKind, id: string): Pending | undefined {
    return this.byKey.get(PendingActions.key(kind, id));
  }

  /** Clears every pending action this event confirms; returns them. */
  confirm(e: GatewayEvent): Pending[] {
    const subject = subjectOf(e);
    if (subject === null) return [];
    const done: Pending[] = [];
    for (const [k, p] of this.byKey) {
      if (p.id === subject && CONFIRMED_BY[p.kind].includes(e.type)) {
        this.byKey.delete(k);
        done.push(p);
      }
    }
    return done;
  }

  clear(): void {
    this.byKey.clear();
  }
}
