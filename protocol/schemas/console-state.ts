// The console's picture of the control room, built only from the gateway's events (protocol/schemas
// GatewayEvent) in seq order. `apply` ignores any seq at or below the last one applied, so a resumed
// WebSocket (`/ws?since=<lastSeq>`) or a duplicate delivery can never show an event twice. Pure: no DOM, no
// network (tested in node). The victim's record is not an event: it comes from GET /api/incidents/:id, an
// audited read made only when a handler opens the incident.
//
// Shared by the console, which builds it event by event, and the gateway, which builds the same picture per
// role from its log to start a console that opens with nothing (`view()`, `restore()`; the `view` messages of
// protocol/schemas/control.ts): one reducer, so the picture a console starts from is exactly the one it would
// have built from every event.
import type {
  CallPriority, CallView, CommandResult, CommandSent, ConsoleHandset, ConsoleIncident, ConsoleView, GatewayEvent,
  HandsetHealth, LineHealth, ReportRejected, TrackPoint, VictimRecord,
} from './index.js';

/** Handset state from handset.status / report.accepted. */
export type HandsetState = ConsoleHandset;

/** A TSC1 command and what became of it. */
export type CommandState = { readonly sent: CommandSent; result: CommandResult | null };

/** An incident as the console holds it (IncidentView without the victim, plus what events add). */
export type IncidentState = ConsoleIncident;

/** Most recent events kept for the supervisor's activity list. */
const RECENT_MAX = 200;
/** Ended calls and closed incidents are kept this long in memory (for "just ended" display), then dropped. */
export const ENDED_KEEP = 50;

export class ConsoleState {
  /** The highest seq applied (the resume point). */
  lastSeq = 0;
  readonly calls = new Map<string, CallView>();
  readonly incidents = new Map<string, IncidentState>();
  /** Track per incident id, or per `call:<callId>` for an AML fix of a call with no incident. Oldest first. */
  readonly tracks = new Map<string, TrackPoint[]>();
  readonly handsets = new Map<string, HandsetState>();
  readonly health = new Map<string, HandsetHealth>();
  readonly lines = new Map<string, LineHealth>();
  /** TSC1 commands by `handsetId:counter`. */
  readonly commands = new Map<string, CommandState>();
  readonly rejected: ReportRejected[] = [];
  readonly recent: GatewayEvent[] = [];
  /** Victim records fetched by this console (audited reads), by incident id. */
  readonly victims = new Map<string, VictimRecord>();
  /** Events refused as duplicates (seq at or below lastSeq): proof that nothing was shown twice. */
  duplicates = 0;
  /** Events applied (each seq once), those a restored view was built from included. */
  applied = 0;

  /** Applies one event; false when its seq was already applied (nothing changes). */
  apply(e: GatewayEvent): boolean {
    if (e.seq <= this.lastSeq) {
      this.duplicates++;
      return false;
    }
    this.lastSeq = e.seq;
    this.applied++;
    this.recent.push(e);
    if (this.recent.length > RECENT_MAX) this.recent.shift();
    this.project(e);
    return true;
  }

  /** Forget everything (log replaced: `since` beyond its end; or logout). */
  reset(): void {
    this.lastSeq = 0;
    this.duplicates = 0;
    this.applied = 0;
    for (const m of [this.calls, this.incidents, this.tracks, this.handsets, this.health, this.lines, this.commands, this.victims]) m.clear();
    this.rejected.length = 0;
    this.recent.length = 0;
  }

  /**
   * The picture after `lastSeq`, without the victim records and the duplicate count (what a console fetches
   * or counts itself). Plain data in the maps' insertion order, as restore() takes it.
   */
  view(): ConsoleView {
    return {
      events: this.applied,
      calls: [...this.calls.values()],
      incidents: [...this.incidents.values()],
      tracks: [...this.tracks].map(([key, points]) => ({ key, points })),
      handsets: [...this.handsets.values()],
      health: [...this.health.values()],
      lines: [...this.lines.values()],
      commands: [...this.commands.values()].map((c) => ({ sent: c.sent, result: c.result })),
      rejected: [...this.rejected],
      recent: [...this.recent],
    };
  }

  /** Replaces everything with a view() taken after `seq` (checked as a protocol/schemas ConsoleView by the caller). */
  restore(view: ConsoleView, seq: number): void {
    this.reset();
    this.lastSeq = seq;
    this.applied = view.events;
    for (const c of view.calls) this.calls.set(c.id, c);
    for (const i of view.incidents) this.incidents.set(i.id, i);
    for (const t of view.tracks) this.tracks.set(t.key, t.points);
    for (const h of view.handsets) this.handsets.set(h.handsetId, h);
    for (const h of view.health) this.health.set(h.handsetId, h);
    for (const l of view.lines) this.lines.set(l.lineId, l);
    for (const c of view.commands) this.commands.set(`${c.sent.handsetId}:${c.sent.counter}`, { sent: c.sent, result: c.result });
    this.rejected.push(...view.rejected);
    this.recent.push(...view.recent);
  }

  private project(e: GatewayEvent): void {
    switch (e.type) {
      case 'call.ringing':
        this.calls.set(e.callId, {
          id: e.callId, lineId: e.lineId, callerNumber: e.callerNumber, priority: e.priority, handsetId: e.handsetId,
          incidentId: e.incidentId, force: e.force, state: 'ringing', ringingAt: e.at, answeredAt: null, answeredBy: null,
          endedAt: null, endedBy: null,
        });
        if (e.incidentId !== null) this.linkCall(e.incidentId, e.callId);
        return;
      case 'call.identified': {
        // Her number, come after her call rang with none (its modem could not say it then): the same call, now
        // flagged as what it is, ringing or answered; never over a number it already shows.
        const c = this.calls.get(e.callId);
        if (c === undefined || c.callerNumber !== null) return;
        this.calls.set(e.callId, { ...c, callerNumber: e.callerNumber, priority: e.priority, handsetId: e.handsetId, incidentId: e.incidentId, force: e.force });
        if (e.incidentId !== null) this.linkCall(e.incidentId, e.callId);
        return;
      }
      case 'call.answered': {
        const c = this.calls.get(e.callId);
        if (c) this.calls.set(e.callId, { ...c, state: 'answered', answeredAt: e.at, answeredBy: e.by });
        return;
      }
      case 'call.ended': {
        const c = this.calls.get(e.callId);
        if (c) this.calls.set(e.callId, { ...c, state: 'ended', endedAt: e.at, endedBy: e.endedBy, hungUpBy: e.endedBy === 'handler' ? e.by : null });
        // An ordinary call's AML track goes with it (else every located 999 call of the log stayed in memory).
        this.prune(this.calls, (x) => x.state === 'ended', (id) => this.tracks.delete(`call:${id}`));
        return;
      }
      case 'incident.opened':
        // Tracking from the opening, as the gateway's incident (gateway/incidents/incidents.ts): not a TST's
        // test incident (cause `test`), whose handset starts no tracking; an ALM or TRK joining it does.
        this.incidents.set(e.incidentId, {
          id: e.incidentId, handsetId: e.handsetId, state: 'open', cause: e.cause, priority: e.priority, force: e.force,
          openedAt: e.at, acknowledgedAt: null, acknowledgedBy: null, closedAt: null, closedBy: null, outcome: null,
          tracking: e.cause !== 'test', callIds: e.callId === null ? [] : [e.callId], locateRequestedAt: null, reAlarmedAt: null, locatesDue: 0,
        });
        if (e.callId !== null) {
          const c = this.calls.get(e.callId);
          if (c && c.incidentId === null) this.calls.set(e.callId, { ...c, incidentId: e.incidentId });
        }
        return;
      case 'incident.acknowledged':
        this.patchIncident(e.incidentId, { state: 'acknowledged', acknowledgedAt: e.at, acknowledgedBy: e.by });
        return;
      case 'incident.re-alarmed':
        if (this.incidents.get(e.incidentId)?.state === 'closed') return;
        this.patchIncident(e.incidentId, { state: 'open', acknowledgedAt: null, acknowledgedBy: null, reAlarmedAt: e.at });
        return;
      case 'incident.closed':
        this.patchIncident(e.incidentId, {
          state: 'closed', closedAt: e.at, closedBy: e.by, outcome: e.outcome, tracking: false,
          ...(e.transferredTo !== undefined && { transferredTo: e.transferredTo }),
        });
        this.prune(this.incidents, (x) => x.state === 'closed', (id) => {
          this.tracks.delete(id);
          this.victims.delete(id);
        });
        return;
      case 'incident.tracking-stopped':
        this.patchIncident(e.incidentId, { tracking: false });
        return;
      case 'incident.locate-requested':
        this.patchIncident(e.incidentId, { locateRequestedAt: e.at });
        return;
      case 'fix': {
        const key = e.incidentId ?? (e.callId === null ? null : `call:${e.callId}`);
        if (key === null) return;
        // A late fix of an incident or call already dropped from memory (more than ENDED_KEEP closed or ended
        // since): nothing shows it, and its track, made now, would never be dropped (one more for good for each
        // such AML in a busy room, in the browser and in the gateway's pictures alike).
        if (e.incidentId !== null ? !this.incidents.has(e.incidentId) : !this.calls.has(e.callId as string)) return;
        const track = this.tracks.get(key) ?? [];
        const p: TrackPoint = {
          fixTime: e.fixTime, receivedAt: e.receivedAt, lat: e.lat, lon: e.lon, accuracyM: e.accuracyM, source: e.source,
          gpsStatus: e.gpsStatus, amlMethod: e.amlMethod, speedKnots: e.speedKnots, courseDeg: e.courseDeg,
          ...(e.confidencePct !== undefined && { confidencePct: e.confidencePct }),
        };
        // Reports arrive out of order (SMS): keep the track in fix-time order.
        let i = track.length;
        while (i > 0 && (track[i - 1] as TrackPoint).fixTime > p.fixTime) i--;
        track.splice(i, 0, p);
        this.tracks.set(key, track);
        return;
      }
      case 'handset.status':
        this.handsets.set(e.handsetId, { handsetId: e.handsetId, batteryPct: e.batteryPct, csq: e.csq, lastReportAt: e.lastReportAt, lastEvent: e.lastEvent });
        return;
      case 'report.accepted': {
        const h = this.handsets.get(e.handsetId);
        if (h === undefined || h.lastReportAt === null || h.lastReportAt <= e.receivedAt) {
          this.handsets.set(e.handsetId, { handsetId: e.handsetId, batteryPct: e.batteryPct, csq: e.csq, lastReportAt: e.receivedAt, lastEvent: e.event });
        }
        // A TRK after a stop (one that never reached the handset), or a new alarm joining the incident: the
        // handset tracks again, as the gateway's own incident says (docs/gateway.md, "A later TRK turns
        // tracking back on"); otherwise Stop tracking stayed greyed out, "the handset is not tracking". But
        // not the one TRK that answers each LOCATE sent for the incident (the handset sends it tracking or
        // not): counted off as the gateway does (gateway/incidents/incidents.ts tracksAgain).
        if (e.incidentId !== null && (e.event === 'TRK' || e.event === 'ALM')) {
          const i = this.incidents.get(e.incidentId);
          if (i === undefined || i.state === 'closed') return;
          if (e.event === 'TRK' && i.locatesDue > 0) this.patchIncident(e.incidentId, { locatesDue: i.locatesDue - 1 });
          else if (!i.tracking) this.patchIncident(e.incidentId, { tracking: true });
        }
        return;
      }
      case 'report.rejected':
        this.rejected.push(e);
        if (this.rejected.length > RECENT_MAX) this.rejected.shift();
        return;
      case 'handset.health':
        if (e.problem === 'recovered') this.health.delete(e.handsetId);
        else this.health.set(e.handsetId, e);
        return;
      case 'command.sent':
        // Only the newest command of each kind per handset is ever shown (lastCommand): the older ones go, so
        // the map stays one entry per handset and kind instead of every command of the log.
        for (const [k, c] of this.commands) {
          if (c.sent.handsetId === e.handsetId && c.sent.command.kind === e.command.kind) this.commands.delete(k);
        }
        this.commands.set(`${e.handsetId}:${e.counter}`, { sent: e, result: null });
        if (e.command.kind === 'LOCATE' && e.incidentId !== null) {
          const i = this.incidents.get(e.incidentId);
          if (i !== undefined && i.state !== 'closed') this.patchIncident(e.incidentId, { locatesDue: i.locatesDue + 1 });
        }
        return;
      case 'command.result': {
        const c = this.commands.get(`${e.handsetId}:${e.counter}`);
        if (c) c.result = e;
        return;
      }
      case 'line.health':
        this.lines.set(e.lineId, e);
        return;
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${(never as { type: string }).type}`);
      }
    }
  }

  private linkCall(incidentId: string, callId: string): void {
    const i = this.incidents.get(incidentId);
    if (i && !i.callIds.includes(callId)) this.incidents.set(incidentId, { ...i, callIds: [...i.callIds, callId] });
  }

  private patchIncident(id: string, patch: Partial<IncidentState>): void {
    const i = this.incidents.get(id);
    if (i) this.incidents.set(id, { ...i, ...patch });
  }

  /** Keeps at most ENDED_KEEP finished entries (the oldest go first; Map order is insertion order). */
  private prune<T>(map: Map<string, T>, finished: (x: T) => boolean, onDrop?: (id: string) => void): void {
    let n = 0;
    for (const x of map.values()) if (finished(x)) n++;
    for (const [id, x] of map) {
      if (n <= ENDED_KEEP) break;
      if (finished(x)) {
        map.delete(id);
        onDrop?.(id);
        n--;
      }
    }
  }

  /**
   * The newest command sent to a handset (for "fresh fix requested: sent / acknowledged"). With `incidentId`,
   * only a command sent for that incident: a STOP acknowledged in last week's incident is not this one's.
   */
  lastCommand(handsetId: string, kind: 'STOP' | 'LOCATE', incidentId?: string | null): CommandState | undefined {
    let found: CommandState | undefined;
    for (const c of this.commands.values()) if (c.sent.handsetId === handsetId && c.sent.command.kind === kind) found = c;
    return incidentId !== undefined && found?.sent.incidentId !== incidentId ? undefined : found;
  }

  /** An incident's track, or a call's AML track. */
  trackOf(incidentId: string | null, callId: string | null): readonly TrackPoint[] {
    if (incidentId !== null) return this.tracks.get(incidentId) ?? [];
    if (callId !== null) return this.tracks.get(`call:${callId}`) ?? [];
    return [];
  }

  /** True when a TecSOS alarm is waiting for someone: a TecSOS call ringing or an unacknowledged TecSOS incident. */
  alarmWaiting(): boolean {
    for (const c of this.calls.values()) {
      if (c.state === 'ringing' && isTecsos(c.priority) && !this.acknowledged(c.incidentId)) return true;
    }
    for (const i of this.incidents.values()) if (i.state === 'open' && isTecsos(i.priority) && !this.answeredFor(i)) return true;
    return false;
  }

  private acknowledged(incidentId: string | null): boolean {
    const i = incidentId === null ? undefined : this.incidents.get(incidentId);
    return i !== undefined && i.state !== 'open';
  }

  private answeredFor(i: IncidentState): boolean {
    return i.callIds.some((id) => {
      const answeredAt = this.calls.get(id)?.answeredAt;
      return answeredAt != null && (i.reAlarmedAt === null || answeredAt >= i.reAlarmedAt);
    });
  }
}

/** TecSOS and "TecSOS range, unregistered" both ring as TecSOS. */
export function isTecsos(p: CallPriority): boolean {
  return p === 'tecsos' || p === 'tecsos-unregistered';
}
