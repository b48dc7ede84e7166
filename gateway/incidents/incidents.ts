// Incidents: a projection of incident.*, fix and call.ringing events. One open incident per handset at most
// (an alarm while one is open joins it); fixes are kept per incident, oldest first, for the track.

/**
 * An incident whose handset has sent no ALM/TRK for this long is no longer tracking (`incident.tracking-
 * stopped` `timeout`): the handset's tracking period ran out, or it lost coverage. A later TRK turns tracking
 * back on. TRK comes every 10-30 s, so 10 minutes of silence is not a slow network.
 */
export const TRACKING_SILENCE_MS = 10 * 60_000;
import type { CallPriority } from '../../protocol/schemas/calls.js';
import type { IncidentCause, IncidentOutcome } from '../../protocol/schemas/incidents.js';
import type { StoredEvent } from '../store/event-store.js';

/** One position of an incident's track, as the `fix` event carried it. */
export type FixRecord = {
  readonly seq: number;
  readonly lat: number;
  readonly lon: number;
  readonly accuracyM: number | null;
  readonly fixTime: string;
  readonly receivedAt: string;
  readonly source: 'gps' | 'aml';
  readonly gpsStatus: 'valid' | 'invalid' | null;
  readonly amlMethod: string | null;
  readonly speedKnots: number | null;
  readonly courseDeg: number | null;
};

export type Incident = {
  readonly id: string;
  readonly handsetId: string;
  state: 'open' | 'acknowledged' | 'closed';
  readonly cause: IncidentCause;
  readonly priority: CallPriority;
  readonly force: string | null;
  readonly openedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  outcome: IncidentOutcome | null;
  transferredTo: string | null;
  tracking: boolean;
  /** When the last ALM/TRK of this incident arrived (or it opened), for the tracking timeout. */
  lastTrackAt: number;
  readonly callIds: string[];
  fixes: FixRecord[];
};

type Ev = Record<string, unknown> & { type: string; at: string };

/** Incident projection. */
export class Incidents {
  private readonly byId = new Map<string, Incident>();
  private readonly openByHandset = new Map<string, Incident>();

  get(id: string): Incident | undefined {
    return this.byId.get(id);
  }

  /** The handset's incident that is not closed, if any. */
  openFor(handsetId: string): Incident | undefined {
    return this.openByHandset.get(handsetId);
  }

  all(): Incident[] {
    return [...this.byId.values()];
  }

  /** The id the next incident.opened gets (deterministic: rebuilt logs mint the same ids). */
  nextId(): string {
    return `INC-${String(this.byId.size + 1).padStart(6, '0')}`;
  }

  apply(stored: StoredEvent): void {
    if (stored.redacted) return;
    const e = stored.event as Ev;
    const inc = typeof e['incidentId'] === 'string' ? this.byId.get(e['incidentId']) : undefined;
    switch (e.type) {
      case 'incident.opened': {
        const i: Incident = {
          id: e['incidentId'] as string,
          handsetId: e['handsetId'] as string,
          state: 'open',
          cause: e['cause'] as IncidentCause,
          priority: e['priority'] as CallPriority,
          force: (e['force'] as string | null) ?? null,
          openedAt: e.at,
          acknowledgedAt: null,
          acknowledgedBy: null,
          closedAt: null,
          closedBy: null,
          outcome: null,
          transferredTo: null,
          tracking: e['cause'] !== 'call',
          lastTrackAt: Date.parse(e.at),
          callIds: typeof e['callId'] === 'string' ? [e['callId']] : [],
          fixes: [],
        };
        this.byId.set(i.id, i);
        this.openByHandset.set(i.handsetId, i);
        return;
      }
      case 'incident.acknowledged':
        if (inc === undefined || inc.state === 'closed') return;
        inc.state = 'acknowledged';
        inc.acknowledgedAt = e.at;
        inc.acknowledgedBy = e['by'] as string;
        return;
      case 'incident.closed':
        if (inc === undefined) return;
        inc.state = 'closed';
        inc.closedAt = e.at;
        inc.closedBy = e['by'] as string;
        inc.outcome = e['outcome'] as IncidentOutcome;
        inc.transferredTo = (e['transferredTo'] as string | undefined) ?? null;
        inc.tracking = false;
        if (this.openByHandset.get(inc.handsetId) === inc) this.openByHandset.delete(inc.handsetId);
        return;
      case 'incident.tracking-stopped':
        if (inc !== undefined) inc.tracking = false;
        return;
      case 'fix':
        if (inc === undefined) return;
        inc.fixes.push({
          seq: stored.seq,
          lat: e['lat'] as number,
          lon: e['lon'] as number,
          accuracyM: e['accuracyM'] as number | null,
          fixTime: e['fixTime'] as string,
          receivedAt: e['receivedAt'] as string,
          source: e['source'] as 'gps' | 'aml',
          gpsStatus: e['gpsStatus'] as 'valid' | 'invalid' | null,
          amlMethod: e['amlMethod'] as string | null,
          speedKnots: e['speedKnots'] as number | null,
          courseDeg: e['courseDeg'] as number | null,
        });
        return;
      case 'call.ringing':
        if (inc !== undefined && !inc.callIds.includes(e['callId'] as string)) inc.callIds.push(e['callId'] as string);
        return;
      case 'report.accepted':
        // A TRK after the handset was told to stop, or an alarm joining the incident, means it tracks again.
        if (inc !== undefined && inc.state !== 'closed' && (e['event'] === 'ALM' || e['event'] === 'TRK')) {
          inc.tracking = true;
          inc.lastTrackAt = Date.parse(e['receivedAt'] as string);
        }
        return;
      default:
    }
  }

  /** Open incidents still marked tracking whose last ALM/TRK arrived before `cutoff` (ms). */
  silentTracking(cutoff: number): Incident[] {
    return [...this.openByHandset.values()].filter((i) => i.tracking && i.lastTrackAt < cutoff);
  }

  /** Retention: forgets fixes received before `beforeMs` (the store has redacted them). */
  forgetFixesBefore(beforeMs: number): void {
    for (const i of this.byId.values()) i.fixes = i.fixes.filter((f) => Date.parse(f.receivedAt) >= beforeMs);
  }
}
