// Incidents: a projection of incident.*, fix, call.ringing and call.identified events. One open incident per handset at most
// (an alarm while one is open joins it). Memory stays flat however long an incident tracks: an incident keeps
// only its newest RECENT_FIXES fixes by fix time (the last one is the incident view's lastFix), and once closed only
// its last (CLOSED_FIXES); the whole track is in the log and is read from there when asked for (views.ts
// trackFromFixEvents).
import type { CallPriority } from '../../protocol/schemas/calls.js';
import type { IncidentCause, IncidentOutcome } from '../../protocol/schemas/incidents.js';
import type { StoredEvent } from '../store/event-store.js';
import type { IncidentsSnapshot } from '../core/snapshot-schema.js';
import { fixRecordOf, type FixRecord } from './fix-record.js';

/**
 * An incident whose handset has sent no ALM/TRK for this long is no longer tracking (`incident.tracking-
 * stopped` `timeout`): the handset's tracking period ran out, or it lost coverage. A later TRK turns tracking
 * back on. TRK comes every 10-30 s, so 10 minutes of silence is not a slow network.
 */
export const TRACKING_SILENCE_MS = 10 * 60_000;

export type { FixRecord } from './fix-record.js';

/**
 * Fixes an incident keeps in memory, newest last. No live view reads more than the last one (the console draws
 * its trail from the `fix` events it is sent); a few more cost little and survive a lost last fix to retention.
 * At one fix every 10 s this is 100 s of track; 1,000 tracking handsets hold 10,000 fixes (about 3 MB).
 */
export const RECENT_FIXES = 10;

/**
 * Fixes a closed incident keeps: its last. A closed incident stays in memory and in every snapshot for good, and
 * its fixes until retention forgets them (retentionDays, a year by default); with RECENT_FIXES each cost about
 * 3.3 KB of heap and 2.8 KB of snapshot instead of about 0.6 KB (docs/gateway.md). Its view reads only the last.
 */
export const CLOSED_FIXES = 1;

/** How many fixes an incident in this state keeps (RECENT_FIXES, or CLOSED_FIXES once closed). */
export function fixesKept(state: Incident['state']): number {
  return state === 'closed' ? CLOSED_FIXES : RECENT_FIXES;
}

export type Incident = {
  readonly id: string;
  readonly handsetId: string;
  state: 'open' | 'acknowledged' | 'closed';
  readonly cause: IncidentCause;
  readonly priority: CallPriority;
  readonly force: string | null;
  readonly openedAt: string;
  /** The log seq of its incident.opened: whose incident it is goes by log order (Handset.keySeq), not by time. */
  readonly openedSeq: number;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  outcome: IncidentOutcome | null;
  transferredTo: string | null;
  tracking: boolean;
  /** When the last ALM/TRK of this incident arrived (or it opened), for the tracking timeout. */
  lastTrackAt: number;
  /**
   * LOCATEs sent for this incident (command.sent) that no TRK has answered yet. The handset answers a LOCATE
   * with one TRK, tracking or not: the first TRK after it is that answer, and does not turn tracking back on
   * (docs/gateway.md "tracking"). The console counts them the same way (protocol/schemas/console-state.ts).
   */
  locatesDue: number;
  readonly callIds: string[];
  /** The newest fixes by fix time (equal times by seq), at most RECENT_FIXES, oldest first; the whole track is in the log. */
  recentFixes: FixRecord[];
  /** ALM reports accepted into this incident (the one that opened it included): a further one is a new alarm. */
  alarms: number;
  /**
   * The lowest counter of a TRK accepted into this incident, or null. The handset numbers its reports as it
   * sends them and an alarm's ALM goes before its TRKs, so in an incident opened by a TRK (its ALM lost) an
   * ALM numbered above it was pressed after tracking began: a new alarm, not the lost one arriving late.
   */
  lowestTrk: number | null;
  /**
   * The highest counter of a report accepted into this incident, or null. Once it is closed, a report of the
   * handset numbered below it was sent before the incident's last report: it belongs to the alarm that was
   * handled, however late it arrives, and opens nothing (report-events/alm.ts, trk.ts).
   */
  highestCounter: number | null;
  /**
   * The counter of the handset's ACK report that acknowledged the last STOP sent for this incident (its
   * `incident.tracking-stopped` `handset`), or null. The handset carries a command out before it ACKs it and
   * numbers its reports as it sends them, so once it is closed, a TRK of the handset numbered above this (and
   * this not below the incident's own last report) was sent after it had stopped: a new alarm, not this
   * incident's tail (report-events/trk.ts).
   */
  stoppedAt: number | null;
  /**
   * The counter of the last ACK report of its handset while this was the handset's open incident, or after,
   * while it was its last closed one and none was open; null before any. The ACK names no command: a STOP's
   * is told by the `incident.tracking-stopped` `handset` stored right after it, which copies this to `stoppedAt`.
   */
  lastAck: number | null;
};

type Ev = Record<string, unknown> & { type: string; at: string };

/**
 * Whether a report accepted into `i` says its handset tracks: an ALM does; a TRK does unless it answers a LOCATE
 * sent for the incident (the first TRK after each, counted off here), which the handset sends tracking or not.
 * The console decides the same from the same events (protocol/schemas/console-state.ts).
 */
function tracksAgain(i: Incident, report: unknown): boolean {
  if (report === 'ALM') return true;
  if (report !== 'TRK') return false;
  if (i.locatesDue === 0) return true;
  i.locatesDue--;
  return i.tracking;
}

/** Incident projection. */
export class Incidents {
  private readonly byId = new Map<string, Incident>();
  private readonly openByHandset = new Map<string, Incident>();
  /** Each handset's incident that closed last (in log order): rebuilt from the incidents on restore. */
  private readonly lastClosedByHandset = new Map<string, Incident>();

  get(id: string): Incident | undefined {
    return this.byId.get(id);
  }

  /** The handset's incident that is not closed, if any. */
  openFor(handsetId: string): Incident | undefined {
    return this.openByHandset.get(handsetId);
  }

  /**
   * The handset's incident that closed last (in the log), if one ever did. Only that one is kept: an incident
   * with no report of its own (opened by a call, `highestCounter` null) or a test closed after a real incident
   * hides the earlier one's counter, and a late report of that one is then judged as if it were new (a false
   * alarm, never a swallowed one).
   */
  lastClosed(handsetId: string): Incident | undefined {
    return this.lastClosedByHandset.get(handsetId);
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
          openedSeq: stored.seq,
          acknowledgedAt: null,
          acknowledgedBy: null,
          closedAt: null,
          closedBy: null,
          outcome: null,
          transferredTo: null,
          // Her handset tracks from its alarm, and her call comes from that alarm: an incident opened by the
          // call is tracking before her ALM/TRK arrive, as the console shows it (docs/gateway.md "tracking").
          // A TST (cause `test`: the provisioning's AT+TSTEST, a test-mode gesture) starts no tracking: its
          // incident was shown tracking, with Stop tracking sending a STOP to an idle handset. An ALM or TRK
          // joining it turns tracking on (tracksAgain).
          tracking: e['cause'] !== 'test',
          lastTrackAt: Date.parse(e.at),
          locatesDue: 0,
          callIds: typeof e['callId'] === 'string' ? [e['callId']] : [],
          recentFixes: [],
          alarms: 0,
          lowestTrk: null,
          highestCounter: null,
          stoppedAt: null,
          lastAck: null,
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
      case 'incident.re-alarmed':
        if (inc === undefined || inc.state === 'closed') return;
        inc.state = 'open';
        inc.acknowledgedAt = null;
        inc.acknowledgedBy = null;
        return;
      case 'incident.closed':
        if (inc === undefined) return;
        inc.state = 'closed';
        inc.closedAt = e.at;
        inc.closedBy = e['by'] as string;
        inc.outcome = e['outcome'] as IncidentOutcome;
        inc.transferredTo = (e['transferredTo'] as string | undefined) ?? null;
        inc.tracking = false;
        if (inc.recentFixes.length > CLOSED_FIXES) inc.recentFixes = inc.recentFixes.slice(-CLOSED_FIXES);
        if (this.openByHandset.get(inc.handsetId) === inc) this.openByHandset.delete(inc.handsetId);
        this.noteClosed(inc);
        return;
      case 'incident.tracking-stopped':
        if (inc === undefined) return;
        inc.tracking = false;
        // `handset`: a STOP's ACK, whose report.accepted came just before it (report-events/ack.ts).
        if (e['reason'] === 'handset') inc.stoppedAt = inc.lastAck;
        return;
      case 'fix': {
        if (inc === undefined) return;
        // In fix-time order: SMS arrive out of order, and a late report (kept by the replay window) must not
        // become the last fix over a newer one. Equal times stay in arrival order.
        const f = fixRecordOf(stored);
        const fixes = inc.recentFixes;
        let at = fixes.length;
        while (at > 0 && (fixes[at - 1] as FixRecord).fixTime > f.fixTime) at--;
        fixes.splice(at, 0, f);
        if (fixes.length > fixesKept(inc.state)) fixes.shift();
        return;
      }
      case 'call.ringing':
      case 'call.identified':
        if (inc !== undefined && !inc.callIds.includes(e['callId'] as string)) inc.callIds.push(e['callId'] as string);
        return;
      case 'command.sent':
        if (inc !== undefined && inc.state !== 'closed' && (e['command'] as { kind?: unknown } | undefined)?.kind === 'LOCATE') inc.locatesDue++;
        return;
      case 'report.accepted':
        if (e['event'] === 'ACK' && typeof e['counter'] === 'number') {
          // An ACK with no open incident (the close's STOP's): noted on the handset's last closed incident.
          const to = inc ?? (this.openByHandset.has(e['handsetId'] as string) ? undefined : this.lastClosedByHandset.get(e['handsetId'] as string));
          if (to !== undefined) to.lastAck = e['counter'];
        }
        // A TRK after the handset was told to stop, or an alarm joining the incident, means it tracks again;
        // but not a LOCATE's one answering TRK (tracksAgain).
        if (inc !== undefined && inc.state !== 'closed' && tracksAgain(inc, e['event'])) {
          inc.tracking = true;
          inc.lastTrackAt = Date.parse(e['receivedAt'] as string);
        }
        if (inc !== undefined && e['event'] === 'ALM') inc.alarms++;
        if (inc !== undefined && e['event'] === 'TRK' && typeof e['counter'] === 'number') inc.lowestTrk = Math.min(inc.lowestTrk ?? e['counter'], e['counter']);
        if (inc !== undefined && typeof e['counter'] === 'number') inc.highestCounter = Math.max(inc.highestCounter ?? e['counter'], e['counter']);
        return;
      default:
    }
  }

  /**
   * Open incidents whose handset tracks, to be told STOP when the incident closes: not a test incident with no
   * alarm or TRK of its own (the provisioning TST's, which starts no tracking).
   */
  static handsetTracks(i: Incident): boolean {
    return i.state !== 'closed' && i.tracking && !(i.priority === 'test' && i.alarms === 0 && i.lowestTrk === null);
  }

  /** The projection as snapshot data (core/snapshot-schema.ts), in insertion order. */
  snapshot(): IncidentsSnapshot {
    return {
      incidents: [...this.byId.values()].map((i) => ({ ...i, callIds: [...i.callIds], recentFixes: i.recentFixes.map((f) => ({ ...f })) })),
      open: [...this.openByHandset].map(([handsetId, i]) => [handsetId, i.id]),
    };
  }

  /** Replaces the projection with snapshot data already checked (schema, and every open id naming an incident). */
  restore(s: IncidentsSnapshot): void {
    this.byId.clear();
    this.openByHandset.clear();
    this.lastClosedByHandset.clear();
    for (const i of s.incidents) {
      const incident: Incident = { ...i, callIds: [...i.callIds], recentFixes: i.recentFixes.map((f) => ({ ...f })) };
      this.byId.set(i.id, incident);
      if (incident.closedAt !== null) this.noteClosed(incident);
    }
    for (const [handsetId, id] of s.open) this.openByHandset.set(handsetId, this.byId.get(id) as Incident);
  }

  /**
   * The latest close wins, in log order, not by its time: a handset's incidents open one at a time, so they
   * close in opening order, and apply() (seq order) and restore() (opening order) agree. By time, a close
   * stamped while the wall clock ran ahead (then put right) stayed "the last" over every later one.
   */
  private noteClosed(i: Incident): void {
    this.lastClosedByHandset.set(i.handsetId, i);
  }

  /** Open incidents still marked tracking whose last ALM/TRK arrived before `cutoff` (ms). */
  silentTracking(cutoff: number): Incident[] {
    return [...this.openByHandset.values()].filter((i) => i.tracking && i.lastTrackAt < cutoff);
  }

  /**
   * Retention: forgets fixes received before `beforeMs` (the store has redacted them). Only the recent fixes are
   * in memory; a track read from the log afterwards leaves the redacted ones out by itself.
   */
  forgetFixesBefore(beforeMs: number): void {
    for (const i of this.byId.values()) {
      if (i.recentFixes.some((f) => Date.parse(f.receivedAt) < beforeMs)) i.recentFixes = i.recentFixes.filter((f) => Date.parse(f.receivedAt) >= beforeMs);
    }
  }
}
