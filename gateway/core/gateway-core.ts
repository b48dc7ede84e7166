// The gateway's core: it listens to the modem lines (LineBankListener), turns what they report into events,
// stores them, and implements the HTTP edge's GatewayActions. Rules (docs/gateway.md):
//
// - Decide ahead of durability, tell after it. Every change is decided from the projections (state.ts) in one
//   synchronous step per cause (one incoming SMS, one call event, one request): its events are staged in the
//   log (store.stage() hands out their seqs at once) and applied to the projections at once, so the next
//   decision, a microsecond later, already sees them: two SMS never both pass the same replay window or mint
//   the same incident id, and no decision waits for a disk. Nothing leaves the gateway before the events are
//   durable: an SMS is released (deleted from the modem) and an HTTP action answered only then, and the fan-out
//   hears of events only from the store, after the commit. The group commit then writes everything decided
//   in one turn of the event loop in one transaction (one fsync for hundreds of reports).
// - Fail-stop. If a commit fails (disk full, I/O error), the projections are ahead of the log: the store
//   refuses every later write, the core decides nothing more, and `onStoreFailure` (gateway/main.ts: exit)
//   restarts the gateway, which rebuilds from the log. What was not durable was not released, so the modems
//   deliver those SMS again.
// - The same apply() rebuilds the projections from the log at start-up. Modem I/O (ATA, ATH, sending a TSC1)
//   happens between decisions, never inside one, so a slow modem never holds up an alarm.
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { encodeCommandSync, type HandsetCommand } from '../../protocol/report/tsc1.js';
import type { HmacSha256Sync } from '../../protocol/report/mac.js';
import { encodeSubmit } from '../../protocol/sms/index.js';
import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import { isoTime } from '../../protocol/time/iso-time.js';
import { monotonicOf } from '../../protocol/time/monotonic.js';
import { heartbeatDueAt } from '../health/heartbeat.js';
import {
  ACTION_ERRORS,
  type AcknowledgeRequest,
  type ActionResult,
  type Actor,
  type CallView,
  type CloseIncidentRequest,
  type GatewayActions,
  type GatewayHealth,
  type HandsetHealth,
  type HandsetRegistration,
  type HandsetView,
  type IncidentFilter,
  type IncidentView,
  type Track,
} from '../http/actions.js';
import type { GatewayMetrics } from '../http/metrics.js';
import { callEnded, couldBeSameCall, lineCallEvents } from '../incidents/call-events.js';
import { Incidents, type Incident } from '../incidents/incidents.js';
import { STALE_RINGING_MS } from '../incidents/calls.js';
import type { IncomingSms, LineBank, LineBankListener, LineCallEvent, LineHealthReport } from '../lines/types.js';
import { nextCommandCounter } from '../registry/command-counter.js';
import { decideRegistration } from '../registry/registration.js';
import { handsetView } from '../registry/registry.js';
import { reasonLabel } from '../reports/rejection.js';
import { ReportPipeline } from '../reports/report-pipeline.js';
import type { EventStore, NewEvent, StoredEvent } from '../store/event-store.js';
import { isStoreError, StoreError, StoreErrorCode } from '../store/errors.js';
import { InternalEvent } from './internal-events.js';
import { healthChanged, lineHealthEvent, takesCalls } from './line-health.js';
import { minuteChecks, MINUTE_CHECK_MS } from './minute-checks.js';
import { isPublicEventType } from './public-log.js';
import { retentionSuperseded, retentionTypes, RETENTION_PERIOD_MS } from './retention.js';
import {
  CLOCK_AUDIT,
  CLOCK_AUDIT_ACTIONS,
  HOLD_RECORD_EVERY_MS,
  holdDetail,
  RETENTION_ACTOR,
  RetentionClock,
  startReference,
  trustedDetail,
  type ClockVerdict,
} from './retention-clock.js';
import { CoreState, event, type CoreConfig } from './state.js';
import { restoreState, snapshotState, SNAPSHOT_NAME } from './snapshot.js';
import { owedNote, owedStop, OWED_GIVES_WAY, OWED_SENT_NOTE, OWED_STOP_MS, OWED_STOP_QUIET_MS, OWED_STOP_RETRY_MS } from './owed-stops.js';
import { mayNotHaveLeft, settleEvents, unsettledReservations, UNKNOWN_LINE, UNSETTLED_LOOKBACK_MS, UNSETTLED_TYPES } from './unsettled-commands.js';
import { callView, incidentView, trackFromFixEvents } from './views.js';

/** node:crypto's HMAC-SHA256, synchronous (protocol/report's injected form). */
export const nodeHmac: HmacSha256Sync = (key, message) => new Uint8Array(createHmac('sha256', key).update(message).digest());

/** Ended calls stay in GET /api/calls this long. */
export const ENDED_CALL_KEEP_MS = 30 * 60_000;

/**
 * A snapshot of the projections (snapshot.ts) is saved once this many events were applied since the last one,
 * and no more often than SNAPSHOT_MIN_INTERVAL_MS: a restart then reads only the log after it. Writing one
 * holds the event loop for the JSON of every handset and open incident (tens of ms for 10,000 handsets), so
 * not at every commit.
 */
export const SNAPSHOT_EVERY_EVENTS = 250_000;
export const SNAPSHOT_MIN_INTERVAL_MS = 5 * 60_000;
/** After a start-up that had to apply at least this many events, a snapshot is saved at once. */
export const SNAPSHOT_AFTER_START_EVENTS = 10_000;
/** Events per store read during the start-up replay. */
const REPLAY_PAGE = 5000;
/** What the SMS reassembler needs from before a snapshot (report-pipeline.ts replay). */
const REASSEMBLY_TYPES = ['sms.received', 'reassembly.expired'] as const;

export type GatewayCoreOptions = {
  readonly store: EventStore;
  readonly config: CoreConfig;
  readonly clock: Clock;
  /** The modem lines; may be attached after construction (attachLines), as the lines need the core as listener. */
  readonly lines?: LineBank;
  readonly metrics?: GatewayMetrics;
  readonly logger?: Logger;
  readonly hmac?: HmacSha256Sync;
  /** Reassembly timeout (default 10 min). */
  readonly reassemblyTimeoutMs?: number;
  /**
   * Called once when a commit fails: the projections are ahead of the log and the core has stopped deciding.
   * gateway/main.ts exits so that the restart rebuilds from the log (default: logged only).
   */
  readonly onStoreFailure?: (error: unknown) => void;
  /**
   * Monotonic time in ms (any origin), which no clock step moves: retention's check of the wall clock
   * (retention-clock.ts). Default: the clock's own (performance.now() for the system clock).
   */
  readonly monotonic?: () => number;
  /**
   * The operator's acknowledgement of the wall clock (gateway/main.ts `--trust-clock=<time>`): the time now as
   * they read it from a trusted clock (ms). Within CLOCK_TOLERANCE_MS of the wall clock at start(), retention
   * trusts the wall clock from this start on, and the audit log says so; otherwise it is ignored, with an error.
   */
  readonly trustClockAt?: number;
};

/** Events decided in one step: as staged (seqs known), and when they are durable. */
type Decided = { readonly stored: readonly StoredEvent[]; readonly durable: Promise<void> };

/** What importing a manifest did. */
export type ImportResult = { readonly registered: number; readonly unchanged: number; readonly conflicts: readonly string[] };

const SYSTEM = 'system';

function fail(error: (typeof ACTION_ERRORS)[keyof typeof ACTION_ERRORS], message: string): ActionResult<never> {
  return { ok: false, error, message };
}

export class GatewayCore implements GatewayActions, LineBankListener {
  readonly state: CoreState;
  private readonly store: EventStore;
  private readonly clock: Clock;
  private readonly hmac: HmacSha256Sync;
  private readonly reports: ReportPipeline;
  private lines: LineBank | undefined;
  /** Settles once everything staged so far is durable (or the store failed). */
  private lastDurable: Promise<void> = Promise.resolve();
  private storeOk = true;
  private storeFailure: unknown;
  /** Store work started by the core that is not a decision (a retention purge), for idle(). */
  private readonly background = new Set<Promise<unknown>>();
  /** Events applied since the last snapshot was saved, and when it was. */
  private sinceSnapshot = 0;
  private snapshotAt = 0;
  /**
   * Retention purges under way. No snapshot is saved meanwhile: until the purge is done the projections still
   * hold the fixes it is redacting (forgetFixesBefore runs at its end), and a snapshot queued behind one of its
   * chunks (at a clean stop, or the periodic one) would put the victim's purged positions back on disk, and into
   * the next start's projections. The purge saves a fresh one when it is done.
   */
  private purging = 0;
  private heartbeatTimer: TimerHandle | undefined;
  private retentionTimer: TimerHandle | undefined;
  /** Monotonic time, for retention's check of the wall clock (retention-clock.ts). */
  private readonly monotonic: () => number;
  /** Whether retention trusts the wall clock, and the time it ages data by; its reference is set again by start(). */
  private retentionClock: RetentionClock;
  /** The last check did not trust the wall clock (tecsos_retention_clock_held). */
  private clockHeld = false;
  /** The newest retention clock entry in the audit log is a hold (this process's, or one it started with). */
  private heldOnRecord = false;
  /** Monotonic time this process last recorded the hold; undefined: not since it was last trusted. */
  private holdRecordedAt: number | undefined;
  private closed = false;
  private readonly lineHealth = new Map<string, LineHealthReport>();
  /** Who asked to answer / hang up a call, until the line reports it. */
  private readonly answering = new Map<string, string>();
  private readonly hangingUp = new Map<string, string>();
  /**
   * Calls whose ringing a line of this process reported and that have not ended. The line reports their end
   * itself (gateway/lines/call-tracker.ts: NO CARRIER, AT+CLCC after 10 s without RING, the line lost), so the
   * minute checks never end them as stale: a 999 call rings until a handler answers it (the network never
   * times an emergency call out), and one ended here could no longer be answered. Only a call from before a
   * restart that its line has not announced again is left to the stale-ring check.
   */
  private readonly ringingOnLines = new Set<string>();
  /**
   * When this process went live (monotonic ms). For STALE_RINGING_MS after it, a call from before the restart
   * is not stale whatever its age: its line may still be reconnecting (backoff up to 30 s a try) and ring it
   * again, and a call that had rung 20 minutes was ended at the first minute check, its next ring a new call.
   * Only a call that a ring could still make the same call (rang less than RESTART_SAME_CALL_MS ago,
   * call-events.ts): one left ringing by a gateway stopped overnight is ended at the first check, as before.
   */
  private liveAt: number | undefined;
  /** Handsets whose owed STOP is being sent now, and when this process last tried each (sendOwedStops). */
  private readonly owedSending = new Set<string>();
  private readonly owedTriedAt = new Map<string, number>();
  /**
   * Handsets with a STOP asked by a user (a handler's Stop tracking, an engineer's STOP) being sent now, from
   * its reservation to its outcome: an owed STOP gives way to it (sendOwedStops, sendStop). Before, both went.
   */
  private readonly stopsAsked = new Map<string, number>();
  /**
   * Each line free (came up, or a call on it ended; none while it is down): its timer of OWED_STOP_QUIET_MS
   * since, and whether it has fired (lineFreed). Timed by the clock's timers, not by differences of now(): a
   * wall clock stepped forward (NTP) made a line freed seconds before look quiet for minutes.
   */
  private readonly lineFree = new Map<string, { timer: TimerHandle | undefined }>();

  constructor(private readonly options: GatewayCoreOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.hmac = options.hmac ?? nodeHmac;
    this.state = new CoreState(options.config, options.clock);
    this.lines = options.lines;
    this.reports = new ReportPipeline(this.state, this.hmac, options.reassemblyTimeoutMs);
    this.reports.onIncomplete = (events) => this.decideQuietly(() => events, 'storing an incomplete SMS');
    this.monotonic = options.monotonic ?? monotonicOf(options.clock);
    this.retentionClock = new RetentionClock(null, options.clock.now(), this.monotonic());
  }

  /** The line bank to act on (answer, hang up, send TSC1). */
  attachLines(lines: LineBank): void {
    this.lines = lines;
    if (this.liveAt !== undefined) this.adoptAnsweredCalls();
  }

  /**
   * Calls the log says were answered when the gateway stopped: each line checks its call with the modem
   * (AT+CLCC at its first poll; no answer within 90 s: ended) and reports its end (LineBank.adoptAnswered). One
   * on a line this gateway no longer has is ended now (`network`): nothing could ever end it. Before, such a call
   * stayed "answered" on every console until the next ring on its line, hours later (review).
   */
  private adoptAnsweredCalls(): void {
    const lines = this.lines;
    if (lines?.adoptAnswered === undefined) return;
    const orphans = this.state.calls.answered().filter((c) => !lines.adoptAnswered?.(c.lineId));
    if (orphans.length === 0) return;
    this.decideQuietly(
      () => orphans.filter((c) => this.state.calls.get(c.id)?.state === 'answered').map((c) => callEnded(this.state, c.id, c.lineId, 'network', null, this.clock.now())),
      'ending answered calls of lines this gateway no longer has',
    );
  }

  // ---- start-up and shutdown ----------------------------------------------------------------------------

  /**
   * Rebuilds every projection: from the latest snapshot and the log after it when there is a usable one
   * (snapshot.ts refuses anything it does not fully understand), else from the whole log. Then reports the
   * reassemblies that expired while down, saves a snapshot if the rebuild was long, starts the timers.
   *
   * The SMS reassembler is not in the snapshot: its recent parts are replayed from the log (only the
   * `sms.received` / `reassembly.expired` events of its replay window, by type), in seq order, before the
   * events after the snapshot. A part before the snapshot that completes a message is judged against the state
   * as of the snapshot rather than as of its own time; the replay stores nothing, and the verdict only decides
   * whether damaged copies are kept for a later genuine one, so the difference (a handset registered within the
   * last two hours) is harmless.
   */
  async start(): Promise<void> {
    const t0 = Date.now();
    const fromSnapshot = await this.restoreSnapshot();
    if (fromSnapshot > 0) {
      const since = this.clock.now() - this.reports.replayWindowMs;
      for (let after = 0; ; ) {
        const page = await this.store.readTypesSince(REASSEMBLY_TYPES, since, after, fromSnapshot, REPLAY_PAGE);
        for (const e of page) this.reports.replay(e);
        if (page.length < REPLAY_PAGE) break;
        after = (page[page.length - 1] as StoredEvent).seq;
      }
    }
    await this.startRetentionClock();
    let applied = 0;
    for (let after = fromSnapshot; ; ) {
      const page = await this.store.readSince(after, REPLAY_PAGE);
      for (const e of page) {
        this.state.apply(e);
        this.reports.replay(e);
      }
      applied += page.length;
      if (page.length < REPLAY_PAGE) break;
      after = (page[page.length - 1] as StoredEvent).seq;
    }
    await this.commit(this.reports.goLive()).durable;
    await this.settleCommands();
    this.liveAt = this.monotonic();
    this.adoptAnsweredCalls();
    this.options.logger?.info(
      { lastSeq: this.state.lastSeq, fromSnapshot, applied, ms: Date.now() - t0, handsets: this.state.registry.all().length },
      fromSnapshot > 0 ? 'projections restored from a snapshot and the log after it' : 'projections rebuilt from the log',
    );
    this.sinceSnapshot = applied;
    if (applied >= SNAPSHOT_AFTER_START_EVENTS) this.saveSnapshot();
    this.scheduleHeartbeatCheck();
    this.scheduleRetention(0);
  }

  /**
   * The TSC1 commands the last run left unsettled (reserved, no result: it stopped between the two) are recorded
   * as possibly sent, before the lines are read, whose SIMs may hold their ACKs (unsettled-commands.ts).
   */
  private async settleCommands(): Promise<void> {
    const newestAt = await this.newestStoredAt();
    if (newestAt === null) return;
    const upTo = this.state.lastSeq;
    const found: StoredEvent[] = [];
    for (let after = 0; ; ) {
      const page = await this.store.readTypesSince(UNSETTLED_TYPES, newestAt - UNSETTLED_LOOKBACK_MS, after, upTo, REPLAY_PAGE);
      found.push(...page);
      if (page.length < REPLAY_PAGE) break;
      after = (page[page.length - 1] as StoredEvent).seq;
    }
    const unsettled = unsettledReservations(found);
    if (unsettled.length === 0) return;
    this.options.logger?.warn({ commands: unsettled.map((r) => `${r.handsetId}:${r.counter}`) }, 'TSC1 commands the last run reserved and never recorded the outcome of: recorded as possibly sent');
    await this.commit(unsettled.flatMap((r) => settleEvents(this.state, r))).durable;
  }

  /**
   * Retention's reference at start-up (retention-clock.ts startReference), read before this process stores
   * anything: the operator's --trust-clock, else a hold recorded in the audit log, else the log's newest `at`.
   */
  private async startRetentionClock(): Promise<void> {
    const newestAt = await this.newestStoredAt();
    const last = await this.store.lastAuditOf(CLOCK_AUDIT_ACTIONS);
    const wall = this.clock.now();
    const start = startReference(newestAt, last, this.options.trustClockAt, wall);
    this.retentionClock = new RetentionClock(start.reference, wall, this.monotonic());
    this.heldOnRecord = start.heldOnRecord;
    const log = this.options.logger;
    const stated = this.options.trustClockAt === undefined ? '' : new Date(this.options.trustClockAt).toISOString();
    if (start.from === 'operator') {
      const detail = trustedDetail(this.options.trustClockAt as number, wall, newestAt, last);
      log?.warn({ stated, wall: new Date(wall).toISOString() }, 'retention trusts the wall clock: the operator acknowledged it (--trust-clock)');
      this.recordClock(CLOCK_AUDIT.trusted, detail);
      this.heldOnRecord = false;
    } else if (start.staleAcknowledgement) {
      log?.error(
        { stated, wall: new Date(wall).toISOString() },
        '--trust-clock ignored: the time stated is not within an hour of the wall clock (a flag left over from an earlier start, or the clock is wrong); retention goes by the usual start-up rule (docs/operations.md "A clock that jumps")',
      );
    }
    if (start.unreadableHold) log?.error({ detail: last?.detail }, 'the last retention hold in the audit log has no readable trusted time: the newest event in the log is the reference');
    // Checked (and a hold recorded) before this process stores its first event, stamped by this wall clock.
    this.checkRetentionClock();
  }

  /**
   * Before events are staged (their `at` is this wall clock's): a clock that jumped since the last check is
   * held, and the hold recorded ahead of them in the same commit queue, at once rather than at the next minute
   * check; a crash in between would leave a log whose newest `at` is the jumped time and no hold on record.
   */
  private watchClock(): void {
    if (!this.clockHeld && !this.retentionClock.check(this.clock.now(), this.monotonic()).trusted) this.checkRetentionClock();
  }

  /** Appends a retention clock entry to the audit log (queued with the events: durable before any stored after it). */
  private recordClock(action: (typeof CLOCK_AUDIT)[keyof typeof CLOCK_AUDIT], detail: string): void {
    const doing = `recording ${action} in the audit log`;
    this.inBackground(this.store.appendAudit({ actor: RETENTION_ACTOR, action, subject: 'clock', detail }), (err) => this.fault(err, doing));
  }

  /** The `at` of the newest event in the log in ms (its commit time if unreadable); null for an empty log. */
  private async newestStoredAt(): Promise<number | null> {
    const last = await this.store.lastSeq();
    if (last === 0) return null;
    const newest = (await this.store.readSince(last - 1, 1))[0];
    if (newest === undefined) return null;
    const at = newest.event.at;
    const ms = typeof at === 'number' ? at : Date.parse(at);
    return Number.isFinite(ms) ? ms : newest.storedAt;
  }

  /** Restores the projections from the saved snapshot; its seq, or 0 when there is none usable. */
  private async restoreSnapshot(): Promise<number> {
    const snap = await this.store.loadSnapshot(SNAPSHOT_NAME);
    if (snap === undefined) return 0;
    if (restoreState(this.state, snap.json, { maxSeq: await this.store.lastSeq() })) return this.state.lastSeq;
    this.options.logger?.warn({ seq: snap.seq, savedAt: new Date(snap.savedAt).toISOString() }, 'snapshot not usable (format, damage, or ahead of the log): rebuilding from the whole log');
    return 0;
  }

  /**
   * Saves the projections as they stand (everything staged so far: the store writes the snapshot after those
   * events, in the same or a later transaction). Holds the event loop for snapshotState (~180 ms for 10,000
   * handsets), hence the thresholds above. A failure is logged; the log is still the truth.
   */
  private saveSnapshot(): void {
    if (this.storeFailure !== undefined || this.purging > 0) return;
    this.sinceSnapshot = 0;
    this.snapshotAt = this.clock.now();
    const seq = this.state.lastSeq;
    this.store.saveSnapshot(SNAPSHOT_NAME, seq, snapshotState(this.state)).then(
      () => this.options.logger?.info({ seq }, 'snapshot saved'),
      (err: unknown) => {
        this.noteStoreFailure(err);
        this.options.logger?.warn({ err, seq }, 'snapshot not saved (the next start replays more of the log)');
      },
    );
  }

  /** Stops the timers and waits for queued work. The store and lines are closed by their owner. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.heartbeatTimer !== undefined) this.clock.clearTimeout(this.heartbeatTimer);
    if (this.retentionTimer !== undefined) this.clock.clearTimeout(this.retentionTimer);
    for (const f of this.lineFree.values()) if (f.timer !== undefined) this.clock.clearTimeout(f.timer);
    this.lineFree.clear();
    this.reports.close();
    // A clean stop leaves a snapshot, so that the next start reads only what comes after it.
    if (this.sinceSnapshot > 0) this.saveSnapshot();
    await this.lastDurable;
  }

  /** Resolves once everything decided so far (SMS, call events, timers' work, a purge) is durable (or failed). */
  async idle(): Promise<void> {
    for (let last = this.lastDurable; ; last = this.lastDurable) {
      await last;
      for (const p of [...this.background]) await p;
      if (last === this.lastDurable && this.background.size === 0) return;
    }
  }

  /**
   * Imports a handset manifest in one append: new handsets are registered, identical ones skipped (importing
   * twice changes nothing), changed ones without `replace` refused, as is a number given to two handsets.
   */
  async importRegistrations(regs: readonly HandsetRegistration[]): Promise<ImportResult> {
    const events: NewEvent[] = [];
    const conflicts: string[] = [];
    const ids = new Set<string>();
    const numbers = new Map<string, string>();
    let unchanged = 0;
    for (const reg of regs) {
      const d = decideRegistration(this.state, reg, SYSTEM);
      if (d.kind === 'unchanged') unchanged++;
      else if (d.kind === 'conflict') conflicts.push(`${reg.id}: ${d.message}`);
      else if (ids.has(reg.id)) conflicts.push(`${reg.id}: listed twice`);
      else if (numbers.has(d.number)) conflicts.push(`${reg.id}: number ${d.number} is also given to ${numbers.get(d.number)}`);
      else {
        ids.add(reg.id);
        numbers.set(d.number, reg.id);
        events.push(...d.events);
      }
    }
    await this.commit(events).durable;
    return { registered: events.length, unchanged, conflicts };
  }

  // ---- deciding and the log -----------------------------------------------------------------------------

  /**
   * Stages the events of one decision atomically, applies them to the projections and counts them, all now;
   * `durable` settles when they are stored. No events: `durable` waits for everything decided before (a reply
   * that reads the projections must not run ahead of the log). Throws (StoreError) when the store refuses:
   * closed, failed, or an event that cannot be stored (a bug).
   */
  private commit(events: readonly NewEvent[]): Decided {
    if (this.storeFailure !== undefined) throw this.storeFailure;
    if (events.length === 0) return { stored: [], durable: this.lastDurable };
    for (const e of events) this.check(e);
    this.watchClock();
    let staged: ReturnType<EventStore['stage']>;
    try {
      staged = this.store.stage(events);
    } catch (err) {
      // The store already failed on a write that was not a decision (a purge, an audit entry, a snapshot).
      this.noteStoreFailure(err);
      throw err;
    }
    for (const s of staged.stored) {
      this.state.apply(s);
      this.count(s.event);
    }
    this.sinceSnapshot += staged.stored.length;
    if (this.sinceSnapshot >= SNAPSHOT_EVERY_EVENTS && this.clock.now() - this.snapshotAt >= SNAPSHOT_MIN_INTERVAL_MS) this.saveSnapshot();
    const durable = staged.durable.then(
      () => {
        this.storeOk = true;
      },
      (err: unknown) => {
        this.failed(err);
        throw err;
      },
    );
    this.lastDurable = durable.catch(() => undefined);
    return { stored: staged.stored, durable };
  }

  /** A decision made on the gateway's own initiative (timers, modem events): faults are logged, never thrown. */
  private decideQuietly(decide: () => readonly NewEvent[], doing: string): Promise<void> | undefined {
    try {
      const d = this.commit(decide());
      return d.durable.catch((err: unknown) => this.fault(err, doing));
    } catch (err) {
      this.fault(err, doing);
      return undefined;
    }
  }

  /** The first failed commit: stop deciding (fail-stop, see the top of the file). */
  private failed(err: unknown): void {
    this.storeOk = false;
    if (this.storeFailure !== undefined) return;
    this.storeFailure = err;
    this.options.logger?.fatal({ err }, 'a store commit failed: the gateway stops deciding and must restart to rebuild from the log');
    this.options.onStoreFailure?.(err);
  }

  /**
   * An internal event that fails its schema (internal-events.ts) is a bug: logged loudly, still stored. Public
   * events are not checked here (~5 us each, a quarter of the budget of a report at 20,000/s), nor on their live
   * way out: the fan-out sends what this core staged without a schema parse (gateway/fanout/role-frames.ts) and
   * checks only what it reads back from the log (backlog, a gap) and views it strips. The core tests check every
   * public event the core makes against its schema (test/gateway/core/harness.ts invalidPublicEvents), and the
   * console checks each event it is sent on its own (console/connection.ts).
   */
  private check(e: NewEvent): void {
    // sms.received, two per report, is made in one place (smsDecision) from the line's typed IncomingSms.
    if (e.type === 'sms.received' || isPublicEventType(e.type)) return;
    const r = InternalEvent.safeParse(e);
    if (!r.success) this.options.logger?.error({ type: e.type, issues: r.error.issues.slice(0, 3) }, 'event fails its schema');
  }

  private count(e: NewEvent): void {
    const m = this.options.metrics;
    if (m === undefined) return;
    if (e.type === 'report.accepted') m.reportsAccepted.inc({ event: String(e['event']) });
    else if (e.type === 'report.rejected') m.reportsRejected.inc({ reason: reasonLabel(String(e['reason'])) });
    else if (e.type === 'call.ringing' || e.type === 'call.identified' || e.type === 'call.ended') {
      // Each call once, by what it turned out to be (a counter never goes down): a call that rang with no
      // number (its modem could not say it then) counts at its call.identified, as what that decided (her
      // TecSOS call counted as ordinary before), or at its end, as it rang, when nobody identified it. Called
      // after the state applied the event: an identified call has its number by its end.
      const ended = e.type === 'call.ended' ? this.state.calls.get(String(e['callId'])) : undefined;
      if ((e.type === 'call.ringing' && e['callerNumber'] !== null) || e.type === 'call.identified') m.calls.inc({ priority: reasonLabel(String(e['priority'])) });
      else if (ended !== undefined && ended.callerNumber === null) m.calls.inc({ priority: reasonLabel(ended.priority) });
    }
  }

  private fault(err: unknown, doing: string): void {
    this.noteStoreFailure(err);
    this.options.logger?.error({ err }, `store failed while ${doing}`);
  }

  /**
   * A failed store write seen anywhere (a decision, a purge, a retention clock record, a snapshot, the HTTP
   * edge's audit entries and sessions, which share the group commit): the store takes no more writes, so the
   * core fails stop as for its own decisions. Otherwise it went on looking healthy (/healthz 200, no exit)
   * while refusing every SMS and call.
   */
  private noteStoreFailure(err: unknown): void {
    if (isStoreError(err, StoreErrorCode.WRITE_FAILED)) this.failed(err);
  }

  /** The minute checks' look at the store: a write outside the core (the HTTP edge's) may have failed it. */
  private checkStore(): void {
    if (this.storeFailure !== undefined || !this.store.stats().failed) return;
    this.failed(new StoreError(StoreErrorCode.WRITE_FAILED, 'a store write failed (an audit entry or a session of the HTTP edge): the store takes no more writes; restart the gateway (it rebuilds from the log)'));
  }

  // ---- incoming SMS --------------------------------------------------------------------------------------

  onSms(sms: IncomingSms): void {
    const doing = `storing an SMS from line ${sms.lineId} (left on the modem)`;
    let decided: Decided;
    try {
      decided = this.smsDecision(sms);
    } catch (err) {
      this.fault(err, doing);
      return;
    }
    decided.durable.then(
      () =>
        sms.release().catch((err: unknown) => this.options.logger?.warn({ err, lineId: sms.lineId }, 'a stored SMS was not deleted from the modem; it will be read again (and seen as a duplicate)')),
      (err: unknown) => this.fault(err, doing),
    );
  }

  /**
   * Stages the events of one incoming SMS part: its raw PDU first, then what it completes. A fault in the
   * decision (a bug) still stores the raw PDU, so the message is kept as evidence and released rather than
   * read from the modem again and again.
   */
  private smsDecision(sms: IncomingSms): Decided {
    const receivedAt = Number.isFinite(sms.receivedAt) ? sms.receivedAt : this.clock.now();
    // As event() makes it, without a payload object to copy (two per report).
    const raw: NewEvent = { type: 'sms.received', at: this.state.nowIso(), lineId: sms.lineId, pdu: sms.pdu, index: sms.index, receivedAt: isoTime(receivedAt) };
    let caused: NewEvent[];
    try {
      caused = this.reports.partEvents(sms.pdu, receivedAt);
    } catch (err) {
      this.options.logger?.error({ err, lineId: sms.lineId }, 'fault while processing an SMS; stored raw only');
      return this.commit([raw]);
    }
    try {
      return this.commit([raw, ...caused]);
    } catch (err) {
      if (!isStoreError(err, StoreErrorCode.BAD_EVENT)) throw err;
      this.options.logger?.error({ err, lineId: sms.lineId }, 'an event of this SMS cannot be stored (a bug); stored raw only');
      return this.commit([raw]);
    }
  }

  // ---- calls ----------------------------------------------------------------------------------------------

  onCall(e: LineCallEvent): void {
    this.decideQuietly(() => this.callEvents(e), `storing a call event of line ${e.lineId}`);
    // Its line is free again: a STOP owed since every line was in a call may go once it has stayed free.
    if (e.kind === 'ended') this.lineFreed(e.lineId);
    if (e.kind !== 'ringing') return;
    // A new call, or one from before a restart that its line announces again (the same call).
    const c = this.state.calls.onLine(e.lineId);
    if (c !== undefined && c.state === 'ringing') this.ringingOnLines.add(c.id);
  }

  private callEvents(e: LineCallEvent): NewEvent[] {
    const events = lineCallEvents(this.state, e, {
      answeredBy: (id) => this.answering.get(id),
      hungUpBy: (id) => this.hangingUp.get(id),
      onLine: (id) => this.ringingOnLines.has(id),
    });
    this.forgetRequests(events);
    return events;
  }

  /** Drops the answer / hang-up requests of calls that these events end. */
  private forgetRequests(events: readonly NewEvent[]): void {
    for (const e of events) {
      if (e.type !== 'call.ended') continue;
      this.answering.delete(e['callId'] as string);
      this.hangingUp.delete(e['callId'] as string);
      this.ringingOnLines.delete(e['callId'] as string);
    }
  }

  async listCalls(): Promise<readonly CallView[]> {
    return this.state.calls.list(this.clock.now(), ENDED_CALL_KEEP_MS).map(callView);
  }

  async answer(callId: string, by: Actor): Promise<ActionResult> {
    const c = this.state.calls.get(callId);
    if (c === undefined) return fail(ACTION_ERRORS.notFound, `no call ${callId}`);
    if (c.state !== 'ringing') return fail(ACTION_ERRORS.conflict, `call ${callId} is ${c.state}`);
    const lines = this.lines;
    if (lines === undefined) return fail(ACTION_ERRORS.unavailable, 'no modem lines');
    // One answer at a time: the line records its answer against whoever asked (`answering`), so a second
    // handler's request while the first ATA is on its way would take the first one's answer as its own.
    const asked = this.answering.get(callId);
    if (asked !== undefined) return fail(ACTION_ERRORS.conflict, `call ${callId} is being answered by ${asked}`);
    this.answering.set(callId, by.username);
    const r = await lines.answer(c.lineId);
    if (!r.ok) {
      this.answering.delete(callId);
      return fail(ACTION_ERRORS.unavailable, `ATA on ${c.lineId} failed: ${r.detail}`);
    }
    const now = this.state.calls.get(callId);
    const answered = now?.state === 'ringing' ? [event(this.state, 'call.answered', { callId, lineId: c.lineId, by: by.username })] : [];
    const decided = this.commit(answered);
    const seq = this.state.calls.get(callId)?.answeredSeq ?? null;
    await decided.durable;
    return seq === null ? fail(ACTION_ERRORS.conflict, `call ${callId} ended before it was answered`) : { ok: true as const, seq };
  }

  async hangup(callId: string, by: Actor): Promise<ActionResult> {
    const c = this.state.calls.get(callId);
    if (c === undefined) return fail(ACTION_ERRORS.notFound, `no call ${callId}`);
    if (c.state === 'ended') return fail(ACTION_ERRORS.conflict, `call ${callId} has ended`);
    const lines = this.lines;
    if (lines === undefined) return fail(ACTION_ERRORS.unavailable, 'no modem lines');
    const asked = this.hangingUp.get(callId);
    if (asked !== undefined) return fail(ACTION_ERRORS.conflict, `call ${callId} is being hung up by ${asked}`);
    this.hangingUp.set(callId, by.username);
    const r = await lines.hangUp(c.lineId);
    if (!r.ok) {
      this.hangingUp.delete(callId);
      return fail(ACTION_ERRORS.unavailable, `hang-up on ${c.lineId} failed: ${r.detail}`);
    }
    const events = this.state.calls.get(callId)?.state !== 'ended' ? [callEnded(this.state, callId, c.lineId, 'handler', by.username, this.clock.now())] : [];
    this.forgetRequests(events);
    const decided = this.commit(events);
    const seq = this.state.calls.get(callId)?.endedSeq as number;
    await decided.durable;
    return { ok: true as const, seq };
  }

  // ---- line health ----------------------------------------------------------------------------------------

  onHealth(report: LineHealthReport): void {
    const before = this.lineHealth.get(report.lineId);
    this.lineHealth.set(report.lineId, report);
    if (before !== undefined && !healthChanged(before, report)) return;
    this.decideQuietly(() => [lineHealthEvent(this.state, report)], 'storing line health');
    // A line came up (at start-up too: a STOP owed before a restart): an owed STOP may go once it has stayed up.
    if (report.state === 'up' && before?.state !== 'up') this.lineFreed(report.lineId);
    else if (report.state !== 'up') this.lineBusy(report.lineId);
  }

  health(): GatewayHealth {
    const reports = this.lines?.health() ?? [...this.lineHealth.values()];
    // Up for the control room: a line registered for packet data only (gateway/lines/registration.ts) takes no call.
    const storeOk = this.storeOk && !this.store.stats().failed;
    return { linesUp: reports.filter(takesCalls).length, linesTotal: reports.length, storeOk };
  }

  // ---- incidents ------------------------------------------------------------------------------------------

  async listIncidents(filter: IncidentFilter): Promise<readonly IncidentView[]> {
    const keep = (i: Incident) => filter.state === 'all' || (filter.state === 'closed') === (i.state === 'closed');
    // Newest first by the time it opened, equal times in log order: a total order, so a page's last incident is a
    // cursor (`before`) that incidents opened or closed meanwhile do not move (docs/api.md "The incident list").
    const order = (a: Incident, b: Incident) => b.openedAt.localeCompare(a.openedAt) || a.openedSeq - b.openedSeq;
    const cursor = filter.before === undefined ? undefined : this.state.incidents.get(filter.before);
    if (filter.before !== undefined && cursor === undefined) return [];
    return this.state.incidents
      .all()
      .filter((i) => keep(i) && (cursor === undefined || order(cursor, i) < 0))
      .sort(order)
      .slice(0, filter.limit)
      .map((i) => incidentView(this.state, i, false));
  }

  async getIncident(id: string): Promise<IncidentView | undefined> {
    const i = this.state.incidents.get(id);
    return i === undefined ? undefined : incidentView(this.state, i, true);
  }

  /** The whole track, read from the log (the projection holds only the newest fixes): everything decided first. */
  async track(incidentId: string): Promise<Track | undefined> {
    const i = this.state.incidents.get(incidentId);
    if (i === undefined) return undefined;
    await this.lastDurable;
    return trackFromFixEvents(i, await this.store.readFixes(incidentId));
  }

  async acknowledge(incidentId: string, request: AcknowledgeRequest, by: Actor): Promise<ActionResult> {
    const i = this.state.incidents.get(incidentId);
    if (i === undefined) return fail(ACTION_ERRORS.notFound, `no incident ${incidentId}`);
    if (i.state === 'closed') return fail(ACTION_ERRORS.conflict, `incident ${incidentId} is closed`);
    return this.stored(this.commit([event(this.state, 'incident.acknowledged', { incidentId, by: by.username, ...(request.note !== undefined && { note: request.note }) })]));
  }

  async close(incidentId: string, request: CloseIncidentRequest, by: Actor): Promise<ActionResult> {
    const i = this.state.incidents.get(incidentId);
    if (i === undefined) return fail(ACTION_ERRORS.notFound, `no incident ${incidentId}`);
    if (i.state === 'closed') return fail(ACTION_ERRORS.conflict, `incident ${incidentId} is already closed`);
    const tracks = Incidents.handsetTracks(i);
    const closed = await this.stored(this.commit([
      event(this.state, 'incident.closed', {
        incidentId,
        by: by.username,
        outcome: request.outcome,
        ...(request.transferredTo !== undefined && { transferredTo: request.transferredTo }),
        ...(request.note !== undefined && { note: request.note }),
      }),
    ]));
    // A handset left tracking after its incident closed goes on sending positions no one is shown (her battery,
    // the SMS, and a phone that keeps busy where her abuser may see it): the close tells it STOP, for this
    // incident, by the handler who closed it. In the background: the close does not wait for a free line, and
    // a STOP that cannot be sent is recorded as failed (command.result) as any other (docs/gateway.md), and is
    // owed: sent again when a line is free (owed-stops.ts).
    if (tracks) this.inBackground(this.sendStop(i, by.username), (err) => this.fault(err, `sending STOP to ${i.handsetId} on closing ${incidentId}`));
    return closed;
  }

  /**
   * Reserves a counter for a STOP to the closed incident's handset and sends it (the close's, or an owed one
   * again); the failure is recorded, not thrown, and one that surely did not leave is owed (owed-stops.ts).
   */
  private async sendStop(i: Incident, by: string | null, again = false): Promise<void> {
    // Re-issued (a new key) while it waited for its line, the handset is someone else's: the STOP for the
    // previous holder's tracking would go to her, with her key, and end whatever she is tracking.
    const keySeq = this.state.registry.get(i.handsetId)?.keySeq;
    const stillWanted = (): string | undefined =>
      this.newerAlarm(i) ??
      (this.state.registry.get(i.handsetId)?.keySeq === keySeq ? undefined : `handset ${i.handsetId} was re-issued (a new key) since incident ${i.id} closed: the STOP was for the previous holder`) ??
      (again ? this.owedSettled(i) : undefined);
    const reserved = await this.reserve(i.handsetId, [], { command: { kind: 'STOP' }, incidentId: i.id, by });
    if (reserved.ok) await this.transmit(reserved, { kind: 'STOP' }, by, i.id, [], stillWanted, { owe: (counter) => this.owes(i, by, counter), again });
  }

  /**
   * Why the STOP owed for `i` must not go now although her handset raised no alarm: a user's STOP to the handset
   * is being sent (if it fails, the STOP stays owed: only a `command.sent` STOP settles it), or one left since
   * (the owed STOP is settled). Before, a handler's Stop tracking racing the owed STOP sent her handset two.
   */
  private owedSettled(i: Incident): string | undefined {
    if (this.stopsAsked.has(i.handsetId)) return `a STOP asked by a user for handset ${i.handsetId} is being sent: ${OWED_GIVES_WAY}`;
    if (this.state.owedStops.of(i.handsetId)?.incidentId === i.id) return undefined;
    // Settled meanwhile: past its time (the handler was told it was never sent: owed-stops.ts), or a STOP left.
    const closedAt = this.state.incidents.get(i.id)?.closedAt;
    if (closedAt != null && Date.parse(closedAt) + OWED_STOP_MS <= this.clock.now()) return `the STOP owed since incident ${i.id} closed is past its time (${OWED_STOP_MS / 60_000} min after the close)`;
    return `a STOP for handset ${i.handsetId} already left since incident ${i.id} closed: ${OWED_GIVES_WAY}`;
  }

  /** Marks a user's STOP to `handsetId` as being sent (stopsAsked) while `work` runs. */
  private async askingStop<T>(handsetId: string, command: HandsetCommand, work: () => Promise<T>): Promise<T> {
    if (command.kind !== 'STOP') return work();
    this.stopsAsked.set(handsetId, (this.stopsAsked.get(handsetId) ?? 0) + 1);
    try {
      return await work();
    } finally {
      const n = (this.stopsAsked.get(handsetId) ?? 1) - 1;
      if (n > 0) this.stopsAsked.set(handsetId, n);
      else this.stopsAsked.delete(handsetId);
    }
  }

  /** The `stop.owed` for a close's STOP to `i` that no line sent; none when no line is configured (nothing to wait for). */
  private owes(i: Incident, by: string | null, counter: number): ReturnType<typeof owedStop> {
    const lines = this.lines;
    return lines === undefined || lines.health().length === 0 ? undefined : owedStop(this.state, i, by, counter);
  }

  /**
   * A line became free (a call on it ended, or it came up): the owed STOPs go once it has stayed free
   * OWED_STOP_QUIET_MS (owed-stops.ts: her new alarm's ALM and 999 call come through first, if she raised one).
   */
  private lineFreed(lineId: string): void {
    this.lineBusy(lineId);
    if (this.closed) return;
    const free: { timer: TimerHandle | undefined } = { timer: undefined };
    free.timer = this.clock.setTimeout(() => {
      free.timer = undefined;
      if (this.state.owedStops.due(this.clock.now()).length > 0) this.sendOwedStops(lineId);
    }, OWED_STOP_QUIET_MS);
    this.lineFree.set(lineId, free);
  }

  /** The line is down: its quiet time starts again when it comes up. */
  private lineBusy(lineId: string): void {
    const free = this.lineFree.get(lineId);
    if (free?.timer !== undefined) this.clock.clearTimeout(free.timer);
    this.lineFree.delete(lineId);
  }

  /** Up, out of a call, and so for OWED_STOP_QUIET_MS (a line found up whose coming up the core never heard of: from now). */
  private quietLine(lineId: string, state: string): boolean {
    if (state !== 'up' || this.state.calls.onLine(lineId) !== undefined) return false;
    const free = this.lineFree.get(lineId);
    if (free === undefined) this.lineFreed(lineId);
    return free !== undefined && free.timer === undefined;
  }

  /**
   * Sends the STOPs still owed (owed-stops.ts) when a line may be free: `lineId` has stayed free since its call
   * ended or it came up (undefined: the minute checks, which try each one every OWED_STOP_RETRY_MS). One at a time
   * per handset; only while a line has been up and out of a call for OWED_STOP_QUIET_MS (before, her new alarm
   * may not have come through; with none free it would only record another failure). Each goes as the
   * close's did: the new-alarm rule asked before the send and again as its AT+CMGS's turn comes.
   */
  private sendOwedStops(lineId?: string): void {
    const lines = this.lines;
    // Not before start() has rebuilt the projections (what is owed, her newer incidents).
    if (lines === undefined || this.closed || this.storeFailure !== undefined || this.liveAt === undefined) return;
    const now = this.clock.now();
    const due = this.state.owedStops.due(now);
    for (const id of this.owedTriedAt.keys()) if (!due.some((o) => o.handsetId === id)) this.owedTriedAt.delete(id);
    const free = lines.health().some((r) => (lineId === undefined || r.lineId === lineId) && this.quietLine(r.lineId, r.state));
    if (!free) return;
    for (const o of due) {
      const tried = this.owedTriedAt.get(o.handsetId);
      // A user's STOP to the handset is being sent: the owed one gives way (tried again if that one fails).
      if (this.owedSending.has(o.handsetId) || this.stopsAsked.has(o.handsetId) || (lineId === undefined && tried !== undefined && now - tried < OWED_STOP_RETRY_MS)) continue;
      const i = this.state.incidents.get(o.incidentId);
      if (i === undefined || this.newerAlarm(i) !== undefined) continue;
      this.owedSending.add(o.handsetId);
      this.owedTriedAt.set(o.handsetId, now);
      const sending = this.sendStop(i, o.by, true).finally(() => this.owedSending.delete(o.handsetId));
      this.inBackground(sending, (err) => this.fault(err, `sending the STOP owed to ${o.handsetId} for ${o.incidentId}`));
    }
  }

  /**
   * Why a STOP for incident `i` must no longer go: her handset raised an alarm since it was asked, in a newer
   * incident (`i` closed meanwhile, or before) or in `i` itself (`alarmsAtAsk`: its ALM count when the STOP was
   * asked). The firmware ends all tracking on a STOP, so one that left after her new alarm would end that
   * alarm's tracking. Asked before the send and again by the line as the AT+CMGS's turn comes (it may wait
   * seconds behind SMS reads).
   */
  private newerAlarm(i: Incident, alarmsAtAsk = Number.POSITIVE_INFINITY): string | undefined {
    const open = this.state.incidents.openFor(i.handsetId);
    if (open !== undefined && open.id !== i.id) return `handset ${i.handsetId} is in open incident ${open.id}: a STOP now would end its tracking`;
    const now = this.state.incidents.get(i.id);
    if (now !== undefined && now.alarms > alarmsAtAsk) return `handset ${i.handsetId} raised a new alarm on incident ${i.id} after the STOP was asked: a STOP now would end its tracking`;
    return undefined;
  }

  /** Work the core started that no request waits for: idle() waits for it; a failure goes to `onFailure`. */
  private inBackground(work: Promise<unknown>, onFailure: (err: unknown) => void): void {
    const p = work.catch(onFailure).finally(() => this.background.delete(p));
    this.background.add(p);
  }

  /** The reply to an action: its first event's seq, once durable. */
  private async stored(decided: Decided): Promise<ActionResult> {
    await decided.durable;
    return { ok: true as const, seq: (decided.stored[0] as StoredEvent).seq };
  }

  /**
   * Tracking stops (`incident.tracking-stopped` `handler`) only once the STOP has left, in the append that
   * records it sent, and the reply names that event: a STOP no line could send (503) was recorded as tracking
   * stopped before, the handset went on tracking, and the history said otherwise.
   */
  stopTracking(incidentId: string, by: Actor): Promise<ActionResult> {
    return this.incidentCommand(incidentId, by, { kind: 'STOP' }, { sent: (i) =>
      event(this.state, 'incident.tracking-stopped', { incidentId: i.id, handsetId: i.handsetId, reason: 'handler', by: by.username }),
    }, true);
  }

  locate(incidentId: string, by: Actor): Promise<ActionResult> {
    return this.incidentCommand(incidentId, by, { kind: 'LOCATE' }, { request: (i) =>
      event(this.state, 'incident.locate-requested', { incidentId: i.id, handsetId: i.handsetId, by: by.username }),
    });
  }

  /** `request`: stored with the counter, before the SMS; `sent`: stored with command.sent, only once it left. */
  private async incidentCommand(
    incidentId: string,
    by: Actor,
    command: HandsetCommand,
    record: { request?: (i: Incident) => NewEvent; sent?: (i: Incident) => NewEvent },
    closedToo = false,
  ): Promise<ActionResult> {
    const i = this.state.incidents.get(incidentId);
    if (i === undefined) return fail(ACTION_ERRORS.notFound, `no incident ${incidentId}`);
    // A STOP may still go from a closed incident (`closedToo`): her handset that goes on reporting after the
    // close (its STOP could not be sent, or never reached it) is stopped from the incident the handler knows,
    // unless a newer incident of hers is open: that one is where her tracking is handled now.
    const open = this.state.incidents.openFor(i.handsetId);
    if (i.state === 'closed' && (!closedToo || open !== undefined)) {
      return fail(ACTION_ERRORS.conflict, `incident ${incidentId} is closed${closedToo && open !== undefined ? `: handset ${i.handsetId} is in open incident ${open.id}` : ''}`);
    }
    return this.askingStop(i.handsetId, command, async () => {
      const reserved = await this.reserve(i.handsetId, record.request === undefined ? [] : [record.request(i)], { command, incidentId, by: by.username });
      if (!reserved.ok) return reserved;
      // A STOP, from an open incident too: the handler may close it, or she may press again, while it waits.
      const alarmsAtAsk = i.alarms;
      const stillWanted = command.kind === 'STOP' ? () => this.newerAlarm(i, alarmsAtAsk) : undefined;
      return this.transmit(reserved, command, by.username, incidentId, record.sent === undefined ? [] : [record.sent(i)], stillWanted);
    });
  }

  // ---- TSC1 commands --------------------------------------------------------------------------------------

  async sendCommand(handsetId: string, command: HandsetCommand, by: Actor): Promise<ActionResult> {
    // The engineers' bench command must not change a live alarm's tracking: STOP would end it and INTERVAL
    // could slow it to an hour, unseen by the call handler working the incident (engineers get no incident
    // events). The control room stops tracking from the incident; a LOCATE only adds a fix, so it may go. A
    // test incident (the TST every provisioning sends, left open until a handler closes it) is no live alarm.
    const open = this.state.incidents.openFor(handsetId);
    if (open !== undefined && open.priority !== 'test' && command.kind !== 'LOCATE') {
      return fail(ACTION_ERRORS.conflict, `handset ${handsetId} is in open incident ${open.id}: ${command.kind} would change its live tracking; the control room stops tracking from the incident`);
    }
    return this.askingStop(handsetId, command, async () => {
      const reserved = await this.reserve(handsetId, [], { command, incidentId: open?.id ?? null, by: by.username });
      if (!reserved.ok) return reserved;
      return this.transmit(reserved, command, by.username, open?.id ?? null);
    });
  }

  /**
   * Takes the handset's next TSC1 counter (with the request event, if any) in one decision, and waits until it
   * is durable before the command may be sent: a crash after the SMS left can never make the gateway send
   * another command with the same counter. `what`: the command, kept with the counter, so that a crash before
   * its outcome is stored leaves enough to record it (unsettled-commands.ts).
   */
  private async reserve(handsetId: string, request: NewEvent[], what: { command: HandsetCommand; incidentId: string | null; by: string | null }): Promise<ActionResult<{ handsetId: string; counter: number }>> {
    const h = this.state.registry.get(handsetId);
    if (h === undefined) return fail(ACTION_ERRORS.notFound, `no handset ${handsetId}`);
    // Above the stored counter and the clock's floor: a store restored from a backup forgot the commands
    // sent since, the handset did not (registry/command-counter.ts).
    const counter = nextCommandCounter(h.commandCounter, this.clock.now());
    if (counter === undefined) return fail(ACTION_ERRORS.conflict, `handset ${handsetId} has used every TSC1 counter (2^32 - 1): no command can be signed`);
    const decided = this.commit([...request, event(this.state, 'command.reserved', { handsetId, counter, ...what })]);
    await decided.durable;
    return { ok: true, seq: (decided.stored[0] as StoredEvent).seq, handsetId, counter };
  }

  /**
   * Signs, sends by SMS from a free line, records command.sent + command.result and `sent` (or the failure).
   * The reply's seq: the first of `sent` when there is one, else the reservation's. `stillWanted` (a STOP:
   * newerAlarm): asked before the send and by the line just before the AT+CMGS is written; a reason leaves the
   * command unsent, recorded as failed, and the reply is 409 with that reason.
   */
  private async transmit(
    r: { seq: number; handsetId: string; counter: number },
    command: HandsetCommand,
    by: string | null,
    incidentId: string | null,
    sent: readonly NewEvent[] = [],
    stillWanted?: () => string | undefined,
    owed?: { owe: (counter: number) => (NewEvent & { until: string }) | undefined; again: boolean },
  ): Promise<ActionResult> {
    const h = this.state.registry.get(r.handsetId);
    const lines = this.lines;
    const unwanted = stillWanted?.();
    let outcome: { ok: boolean; detail: string; lineId: string | null; uncertain?: boolean };
    if (unwanted !== undefined) outcome = { ok: false, detail: unwanted, lineId: null };
    else if (h === undefined || lines === undefined) outcome = { ok: false, detail: 'no modem lines', lineId: null };
    else {
      const text = encodeCommandSync({ handsetId: h.id, counter: r.counter, command }, h.key, this.hmac);
      const parts = encodeSubmit(h.number, text).map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));
      try {
        outcome = await lines.sendSms(parts, stillWanted === undefined ? {} : { stillWanted });
      } catch (err) {
        outcome = { ok: false, detail: (err as Error).message, lineId: null };
      }
    }
    const { handsetId, counter } = r;
    const left = outcome.ok && outcome.lineId !== null;
    // Her new alarm opened a newer incident while this STOP was being written (past the last check): the
    // firmware ends all tracking on a STOP, so the new incident is not shown tracking on the gateway's word; a TRK
    // of hers after this shows it tracking again (incidents.ts). (A new alarm on the STOP's own incident: `sent`
    // records it stopped.)
    const open = left && stillWanted?.() !== undefined ? this.state.incidents.openFor(handsetId) : undefined;
    const crossed = open !== undefined && open.id !== incidentId ? open : undefined;
    // The modem was given it and the line failed before its answer (dropped, went silent): it may have left. It
    // is recorded sent, uncertain, and waits for its ACK like any sent command (unsettled-commands.ts); nothing
    // in `sent` (a STOP's tracking-stopped) is stored on its word: the ACK says it.
    const maybe = !outcome.ok && outcome.uncertain === true;
    // Surely not sent, and not because her new alarm forbids it: a close's STOP is owed (owed-stops.ts).
    const owes = !outcome.ok && !maybe && unwanted === undefined && stillWanted?.() === undefined ? owed?.owe(r.counter) : undefined;
    const note = owes === undefined ? '' : owedNote(owes.until);
    const sentNote = owed?.again === true ? OWED_SENT_NOTE : '';
    const decided = this.commit(
        maybe
          ? [
              event(this.state, 'command.sent', { handsetId, incidentId, counter, command, by, lineId: outcome.lineId ?? UNKNOWN_LINE }),
              event(this.state, 'command.result', { handsetId, counter, result: 'sent', detail: mayNotHaveLeft(`line ${outcome.lineId ?? UNKNOWN_LINE} failed after the modem was given the SMS (${outcome.detail})`) }),
            ]
          : left
          ? [
              event(this.state, 'command.sent', { handsetId, incidentId, counter, command, by, lineId: outcome.lineId }),
              event(this.state, 'command.result', { handsetId, counter, result: 'sent', detail: outcome.detail.slice(0, 500 - sentNote.length) + sentNote }),
              ...sent,
              ...(crossed === undefined ? [] : [event(this.state, 'incident.tracking-stopped', { incidentId: crossed.id, handsetId, reason: 'handler', by })]),
            ]
          : [
              event(this.state, 'command.result', { handsetId, counter, result: 'failed', detail: `not sent: ${outcome.detail}`.slice(0, 500 - note.length) + note }),
              ...(owes === undefined ? [] : [owes]),
            ],
      );
    await decided.durable;
    if (maybe) return fail(ACTION_ERRORS.unavailable, `TSC1 ${command.kind} to ${handsetId} may not have left (${outcome.detail}): the handset's ACK will show it arrived`);
    if (!outcome.ok) {
      const conflict = stillWanted?.();
      if (conflict !== undefined) return fail(ACTION_ERRORS.conflict, `TSC1 ${command.kind} to ${handsetId} not sent: ${conflict}`);
      return fail(ACTION_ERRORS.unavailable, `TSC1 ${command.kind} to ${handsetId} not sent: ${outcome.detail}`);
    }
    return { ok: true, seq: left && sent.length > 0 ? (decided.stored[2] as StoredEvent).seq : r.seq };
  }

  // ---- handsets -------------------------------------------------------------------------------------------

  async registerHandset(registration: HandsetRegistration, by: Actor): Promise<ActionResult<{ readonly handset: HandsetView }>> {
    const r = await this.register(registration, by.username);
    if (r.kind === 'conflict') return fail(ACTION_ERRORS.conflict, r.message);
    const h = this.state.registry.get(registration.id);
    if (h === undefined) return fail(ACTION_ERRORS.conflict, `${registration.id} was not registered`);
    return { ok: true, seq: r.seq, handset: handsetView(h) };
  }

  private async register(reg: HandsetRegistration, by: string): Promise<{ kind: 'registered' | 'unchanged'; seq: number } | { kind: 'conflict'; message: string }> {
    const d = decideRegistration(this.state, reg, by);
    if (d.kind !== 'register') {
      await this.lastDurable;
      return d;
    }
    const decided = this.commit(d.events);
    await decided.durable;
    return { kind: 'registered' as const, seq: (decided.stored[0] as StoredEvent).seq };
  }

  async listHandsets(): Promise<readonly HandsetView[]> {
    return this.state.registry.all().map(handsetView).sort((a, b) => a.id.localeCompare(b.id));
  }

  async handsetHealth(): Promise<readonly HandsetHealth[]> {
    const grace = this.state.config.heartbeatGraceMinutes;
    return this.state.registry
      .all()
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((h) => ({
        id: h.id,
        problems: [...h.problems].sort(),
        batteryPct: h.batteryPct,
        csq: h.csq,
        lastReportAt: h.lastReportAt,
        lastHeartbeatAt: h.lastHeartbeatAt,
        heartbeatDueAt: new Date(heartbeatDueAt(h, grace)).toISOString(),
      }));
  }

  // ---- timers: heartbeat supervision and retention ---------------------------------------------------------

  private scheduleHeartbeatCheck(): void {
    if (this.closed) return;
    this.heartbeatTimer = this.clock.setTimeout(() => {
      this.checkStore();
      const clock = this.checkRetentionClock();
      // A wall clock held as ahead of the trusted time (it jumped forward) would make the silence checks raise
      // false alarms for every handset and incident at once: they wait (minute-checks.ts). A clock behind
      // makes them late, never false: they run.
      const clockAhead = !clock.trusted && clock.offsetMs > 0;
      this.decideQuietly(() => {
        const restarting = this.liveAt !== undefined && this.monotonic() - this.liveAt < STALE_RINGING_MS;
        const graced = (callId: string) => {
          const c = restarting ? this.state.calls.get(callId) : undefined;
          return c !== undefined && couldBeSameCall(c, this.clock.now());
        };
        const events = minuteChecks(this.state, (callId) => this.ringingOnLines.has(callId) || graced(callId), clockAhead);
        this.forgetRequests(events);
        return events;
      }, 'storing the minute checks (heartbeats, command and tracking timeouts, stale rings)');
      this.sendOwedStops();
      this.scheduleHeartbeatCheck();
    }, MINUTE_CHECK_MS);
  }

  /** Runs the retention purge now (its transactions queue behind everything decided so far); the daily timer calls it. */
  purgeNow(): Promise<number> {
    const p = this.purge();
    this.inBackground(p, (err) => this.noteStoreFailure(err));
    return p;
  }

  /**
   * Retention's check of the wall clock (retention-clock.ts), every minute and before every purge: sets the
   * metric, logs each change (an error when retention stops trusting the clock: the operator must look), and
   * records the hold in the audit log (when it begins, every HOLD_RECORD_EVERY_MS while it lasts, when it ends)
   * so that a restart keeps it.
   */
  private checkRetentionClock(): ClockVerdict {
    const mono = this.monotonic();
    const v = this.retentionClock.check(this.clock.now(), mono);
    this.options.metrics?.retentionClockHeld.set(v.trusted ? 0 : 1);
    const detail = () => ({ wall: new Date(v.wall).toISOString(), expected: new Date(v.expected).toISOString(), offsetHours: Math.round(v.offsetMs / 36_000) / 100 });
    if (!v.trusted && !this.clockHeld) {
      this.options.logger?.error(
        detail(),
        'retention held: the wall clock disagrees with the time the gateway trusts (jumped, or far from the log); nothing is redacted by it until it agrees again, across restarts, or the operator restarts the gateway with --trust-clock=<UTC time> (docs/operations.md "A clock that jumps")',
      );
    } else if (v.trusted && (this.clockHeld || this.heldOnRecord)) {
      this.options.logger?.warn(detail(), 'retention resumed: the wall clock agrees with the time the gateway trusts again');
    }
    this.clockHeld = !v.trusted;
    if (!v.trusted && (this.holdRecordedAt === undefined || mono - this.holdRecordedAt >= HOLD_RECORD_EVERY_MS)) {
      this.recordClock(CLOCK_AUDIT.held, holdDetail(v));
      this.holdRecordedAt = mono;
      this.heldOnRecord = true;
    } else if (v.trusted && this.heldOnRecord) {
      this.recordClock(CLOCK_AUDIT.resumed, `wall=${new Date(v.wall).toISOString()}; the wall clock agrees with the time the gateway trusts`);
      this.heldOnRecord = false;
    }
    if (v.trusted) this.holdRecordedAt = undefined;
    return v;
  }

  private async purge(): Promise<number> {
    const verdict = this.checkRetentionClock();
    // Aged by the time retention trusts: never by a clock that jumped forward (retention-clock.ts).
    const before = verdict.retentionNow - this.state.config.retentionDays * 86_400_000;
    this.purging++;
    let result: Awaited<ReturnType<EventStore['purge']>>;
    try {
      result = await this.store.purge(before, retentionTypes(), 'system:retention', retentionSuperseded());
    } finally {
      this.purging--;
    }
    this.state.incidents.forgetFixesBefore(before);
    if (verdict.trusted) this.options.logger?.info({ before: new Date(before).toISOString(), redacted: result.redacted }, 'retention purge');
    else this.options.logger?.error({ before: new Date(before).toISOString(), redacted: result.redacted, wall: new Date(verdict.wall).toISOString() }, 'retention purge by the trusted time, not the wall clock (retention held)');
    // The purge dropped the snapshot (it may hold purged data); a new one, without it, right away.
    if (result.snapshotsDropped > 0) this.saveSnapshot();
    return result.redacted;
  }

  private scheduleRetention(delayMs: number): void {
    if (this.closed) return;
    this.retentionTimer = this.clock.setTimeout(() => {
      // The next one is due a period after this one, however long this purge takes (its cutoff is now).
      this.scheduleRetention(RETENTION_PERIOD_MS);
      void this.purgeNow().catch((err: unknown) => this.fault(err, 'purging old victim data'));
    }, delayMs);
  }
}
