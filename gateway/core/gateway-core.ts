// The gateway's core: it listens to the modem lines (LineBankListener), turns what they report into events,
// stores them, and implements the HTTP edge's GatewayActions. Rules (docs/gateway.md):
//
// - Decide, store, apply. Every change is decided from the projections (state.ts), appended to the log in one
//   append() per cause (one incoming SMS, one call event, one request), and applied to the projections only
//   once durable. The same apply() rebuilds the projections from the log at start-up.
// - One decision at a time: deciding and storing run in a serial queue, so two SMS never both see the same
//   replay window or mint the same incident id. Modem I/O (ATA, ATH, sending a TSC1) runs outside the queue,
//   so a slow modem never holds up an alarm.
// - An SMS is released (deleted from the modem) only after its events are durable.
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { encodeCommandSync, type HandsetCommand } from '../../protocol/report/tsc1.js';
import type { HmacSha256Sync } from '../../protocol/report/mac.js';
import { GatewayEvent } from '../../protocol/schemas/events.js';
import { encodeSubmit, tryDecodeIncoming } from '../../protocol/sms/index.js';
import type { IncompleteMessage } from '../../protocol/sms/reassembler.js';
import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import { normaliseNumber } from '../calls/phone-number.js';
import { decidePriority, type CallPriority } from '../calls/priority.js';
import { missedHeartbeats, HEARTBEAT_CHECK_MS, heartbeatDueAt } from '../health/heartbeat.js';
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
import { STALE_RINGING_MS } from '../incidents/calls.js';
import { TRACKING_SILENCE_MS, type Incident } from '../incidents/incidents.js';
import type { IncomingSms, LineBank, LineBankListener, LineCallEvent, LineHealthReport } from '../lines/types.js';
import { handsetView, sameRegistration } from '../registry/registry.js';
import { amlIntake } from '../reports/aml-intake.js';
import { reasonLabel, rejected } from '../reports/rejection.js';
import { SmsIntake, type SmsPart } from '../reports/sms-intake.js';
import { tsr1Intake } from '../reports/tsr1-intake.js';
import type { EventStore, NewEvent, StoredEvent } from '../store/event-store.js';
import { InternalEvent } from './internal-events.js';
import { COMMAND_TIMEOUT_MS } from './pending-commands.js';
import { isPublicEventType } from './public-log.js';
import { retentionTypes, RETENTION_PERIOD_MS } from './retention.js';
import { CoreState, event, type CoreConfig } from './state.js';
import { callView, incidentView, trackOf } from './views.js';

/** node:crypto's HMAC-SHA256, synchronous (protocol/report's injected form). */
export const nodeHmac: HmacSha256Sync = (key, message) => new Uint8Array(createHmac('sha256', key).update(message).digest());

/** Ended calls stay in GET /api/calls this long. */
export const ENDED_CALL_KEEP_MS = 30 * 60_000;

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
};

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
  private readonly intake: SmsIntake;
  private lines: LineBank | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private storeOk = true;
  private heartbeatTimer: TimerHandle | undefined;
  private retentionTimer: TimerHandle | undefined;
  private closed = false;
  private readonly lineHealth = new Map<string, LineHealthReport>();
  /** Who asked to answer / hang up a call, until the line reports it. */
  private readonly answering = new Map<string, string>();
  private readonly hangingUp = new Map<string, string>();

  constructor(private readonly options: GatewayCoreOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.hmac = options.hmac ?? nodeHmac;
    this.state = new CoreState(options.config, options.clock);
    this.lines = options.lines;
    this.intake = new SmsIntake(options.clock, options.reassemblyTimeoutMs);
    this.intake.onIncomplete = (m) => void this.serial(() => this.commit(this.incompleteEvents(m))).catch((err: unknown) => this.fault(err, 'storing an incomplete SMS'));
  }

  /** The line bank to act on (answer, hang up, send TSC1). */
  attachLines(lines: LineBank): void {
    this.lines = lines;
  }

  // ---- start-up and shutdown ----------------------------------------------------------------------------

  /** Rebuilds every projection from the log, reports reassemblies that expired while down, starts the timers. */
  async start(): Promise<void> {
    await this.serial(async () => {
      let after = 0;
      for (;;) {
        const page = await this.store.readSince(after, 5000);
        for (const e of page) {
          this.state.apply(e);
          this.intake.replay(e);
        }
        if (page.length < 5000) break;
        after = (page[page.length - 1] as StoredEvent).seq;
      }
      const missed = this.intake.goLive();
      if (missed.length > 0) await this.commit(missed.flatMap((m) => this.incompleteEvents(m)));
    });
    this.options.logger?.info({ lastSeq: this.state.lastSeq, handsets: this.state.registry.all().length }, 'projections rebuilt from the log');
    this.scheduleHeartbeatCheck();
    this.scheduleRetention(0);
  }

  /** Stops the timers and waits for queued work. The store and lines are closed by their owner. */
  async stop(): Promise<void> {
    this.closed = true;
    if (this.heartbeatTimer !== undefined) this.clock.clearTimeout(this.heartbeatTimer);
    if (this.retentionTimer !== undefined) this.clock.clearTimeout(this.retentionTimer);
    this.intake.close();
    await this.tail.catch(() => undefined);
  }

  /** Resolves once everything queued so far (SMS, call events, timers' work) is stored and applied. */
  async idle(): Promise<void> {
    for (let tail = this.tail; ; tail = this.tail) {
      await tail.catch(() => undefined);
      if (tail === this.tail) return;
    }
  }

  /**
   * Imports a handset manifest in one append: new handsets are registered, identical ones skipped (importing
   * twice changes nothing), changed ones without `replace` refused, as is a number given to two handsets.
   */
  importRegistrations(regs: readonly HandsetRegistration[]): Promise<ImportResult> {
    return this.serial(async () => {
      const events: NewEvent[] = [];
      const conflicts: string[] = [];
      const ids = new Set<string>();
      const numbers = new Map<string, string>();
      let unchanged = 0;
      for (const reg of regs) {
        const d = this.decideRegistration(reg, SYSTEM);
        if (d.kind === 'unchanged') unchanged++;
        else if (d.kind === 'conflict') conflicts.push(`${reg.id}: ${d.message}`);
        else if (ids.has(reg.id)) conflicts.push(`${reg.id}: listed twice`);
        else if (numbers.has(d.number)) conflicts.push(`${reg.id}: number ${d.number} is also given to ${numbers.get(d.number)}`);
        else {
          ids.add(reg.id);
          numbers.set(d.number, reg.id);
          events.push(d.event);
        }
      }
      await this.commit(events);
      return { registered: events.length, unchanged, conflicts };
    });
  }

  // ---- the serial queue and the log --------------------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(fn, fn);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** Appends the events atomically, applies them, counts them. Must run inside serial(). */
  private async commit(events: readonly NewEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    for (const e of events) this.check(e);
    let stored: StoredEvent[];
    try {
      stored = await this.store.append(events);
      this.storeOk = true;
    } catch (err) {
      this.storeOk = false;
      throw err;
    }
    for (const s of stored) {
      this.state.apply(s);
      this.count(s.event);
    }
    return stored;
  }

  /** An event that fails its schema (protocol/schemas, or internal-events.ts) is a bug: logged loudly, still stored. */
  private check(e: NewEvent): void {
    const r = isPublicEventType(e.type) ? GatewayEvent.safeParse({ ...e, v: 1, seq: 1 }) : InternalEvent.safeParse(e);
    if (!r.success) this.options.logger?.error({ type: e.type, issues: r.error.issues.slice(0, 3) }, 'event fails its schema');
  }

  private count(e: NewEvent): void {
    const m = this.options.metrics;
    if (m === undefined) return;
    if (e.type === 'report.accepted') m.reportsAccepted.inc({ event: String(e['event']) });
    else if (e.type === 'report.rejected') m.reportsRejected.inc({ reason: reasonLabel(String(e['reason'])) });
    else if (e.type === 'call.ringing') m.calls.inc({ priority: reasonLabel(String(e['priority'])) });
  }

  private fault(err: unknown, doing: string): void {
    this.options.logger?.error({ err }, `store failed while ${doing}`);
  }

  // ---- incoming SMS --------------------------------------------------------------------------------------

  onSms(sms: IncomingSms): void {
    void this.serial(() => this.commit(this.smsEvents(sms)))
      .then(() => sms.release())
      .catch((err: unknown) => this.fault(err, `storing an SMS from line ${sms.lineId} (left on the modem)`));
  }

  /**
   * The events of one incoming SMS part: its raw PDU first, then what it completes. A fault in the decision
   * (a bug) still stores the raw PDU, so the message is kept as evidence and released rather than read from
   * the modem again and again.
   */
  private smsEvents(sms: IncomingSms): NewEvent[] {
    const receivedAt = Number.isFinite(sms.receivedAt) ? sms.receivedAt : this.clock.now();
    const raw = event(this.state, 'sms.received', { lineId: sms.lineId, pdu: sms.pdu, index: sms.index, receivedAt: new Date(receivedAt).toISOString() });
    try {
      return [raw, ...this.partEvents(sms.pdu, receivedAt)];
    } catch (err) {
      this.options.logger?.error({ err, lineId: sms.lineId }, 'fault while processing an SMS; stored raw only');
      return [raw];
    }
  }

  private partEvents(pdu: string, receivedAt: number): NewEvent[] {
    const events: NewEvent[] = [];
    const d = tryDecodeIncoming(pdu);
    if (!d.ok) {
      events.push(rejected(this.state, { reason: 'bad-field', fromNumber: null, receivedAt, detail: `PDU: ${d.reason}: ${d.detail}` }));
      return events;
    }
    if (d.value.type !== 'deliver') return events; // a status report for a TSC1 we sent: stored, nothing more
    const from = normaliseNumber(d.value.from, undefined, this.state.config.countryCode);
    const out = this.intake.add({ ...d.value, receivedAt });
    switch (out.status) {
      case 'pending':
        return events;
      case 'duplicate':
        events.push(rejected(this.state, { reason: 'duplicate', fromNumber: from, receivedAt, detail: `a part received twice${out.conflicting ? ' with a different text' : ''}` }));
        return events;
      case 'complete':
        events.push(...this.messageEvents(out.message.text, from, receivedAt));
        return events;
      default: {
        const never: never = out;
        return never;
      }
    }
  }

  /** A whole message: TSR1, AML, or neither. */
  private messageEvents(text: string, from: string | null, receivedAt: number): NewEvent[] {
    if (text.startsWith('TSR')) return tsr1Intake(this.state, text, from, receivedAt, this.hmac).events;
    const aml = amlIntake(this.state, text, from, receivedAt);
    if (aml.kind === 'aml') return aml.events;
    const caller = from === null ? undefined : this.state.calls.forAml(from, receivedAt, ENDED_CALL_KEEP_MS);
    if (caller !== undefined) return []; // a text from someone in a call: kept (sms.received), not a report
    return [rejected(this.state, { reason: 'unknown-sender', fromNumber: from, receivedAt, detail: `neither TSR1 nor AML (${text.length} characters)` })];
  }

  private incompleteEvents(m: IncompleteMessage<SmsPart>): NewEvent[] {
    const from = normaliseNumber(m.from, undefined, this.state.config.countryCode);
    const claimed = /^TSR1;h=([A-Z0-9][A-Z0-9-]{0,15});/.exec(m.text)?.[1] ?? null;
    return [
      rejected(this.state, {
        reason: 'incomplete',
        claimedHandsetId: claimed,
        fromNumber: from,
        receivedAt: m.reportedAt,
        detail: `${m.reason}: parts ${m.received.join(',')} of ${m.total} (ref ${m.ref}), missing ${m.missing.join(',')}`,
      }),
      event(this.state, 'reassembly.expired', { from: m.from, ref: m.ref, refBits: m.refBits, total: m.total, firstSeenAt: m.firstSeenAt }),
    ];
  }

  // ---- calls ----------------------------------------------------------------------------------------------

  onCall(e: LineCallEvent): void {
    void this.serial(() => this.commit(this.callEvents(e))).catch((err: unknown) => this.fault(err, `storing a call event of line ${e.lineId}`));
  }

  private callEvents(e: LineCallEvent): NewEvent[] {
    const s = this.state;
    const current = s.calls.onLine(e.lineId);
    switch (e.kind) {
      case 'ringing': {
        const number = normaliseNumber(e.number, e.toa, s.config.countryCode);
        // RING repeats every few seconds, and +CLIP with it: the same call.
        if (current !== undefined && current.state === 'ringing' && current.callerNumber === number) return [];
        const events: NewEvent[] = [];
        if (current !== undefined) events.push(...this.ended(current.id, e.lineId, 'network', null, e.at));
        events.push(...this.ringing(e.lineId, number));
        return events;
      }
      case 'answered':
        if (current === undefined || current.state !== 'ringing') return [];
        return [event(s, 'call.answered', { callId: current.id, lineId: e.lineId, by: this.answering.get(current.id) ?? SYSTEM })];
      case 'ended': {
        if (current === undefined) return [];
        const by = this.hangingUp.get(current.id) ?? null;
        return this.ended(current.id, e.lineId, by !== null ? 'handler' : e.endedBy, by, e.at);
      }
      default: {
        const never: never = e;
        return never;
      }
    }
  }

  private ringing(lineId: string, number: string | null): NewEvent[] {
    const s = this.state;
    const decision = decidePriority(
      number,
      (n) => {
        const h = s.registry.byE164(n);
        return h === undefined ? undefined : { handsetId: h.id, force: h.force, testMode: h.testMode };
      },
      s.config.tecsosRanges,
    );
    const events: NewEvent[] = [];
    const callId = s.calls.nextId();
    let incident: string | null = null;
    if (decision.handsetId !== null) {
      incident = s.incidents.openFor(decision.handsetId)?.id ?? null;
      if (incident === null) {
        incident = s.incidents.nextId();
        const cause = decision.priority === 'test' ? 'test' : 'call';
        events.push(event(s, 'incident.opened', { incidentId: incident, handsetId: decision.handsetId, cause, priority: decision.priority, callId, force: decision.force }));
      }
    }
    events.push(
      event(s, 'call.ringing', {
        callId,
        lineId,
        callerNumber: number,
        priority: decision.priority satisfies CallPriority,
        handsetId: decision.handsetId,
        incidentId: incident,
        force: decision.force,
        reason: decision.reason,
      }),
    );
    return events;
  }

  private ended(callId: string, lineId: string, endedBy: 'caller' | 'handler' | 'network', by: string | null, at: number): NewEvent[] {
    const c = this.state.calls.get(callId);
    const talk = c?.answeredAt == null ? null : Math.max(0, Math.round((at - Date.parse(c.answeredAt)) / 1000));
    this.answering.delete(callId);
    this.hangingUp.delete(callId);
    return [event(this.state, 'call.ended', { callId, lineId, endedBy, by, talkSeconds: talk })];
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
    this.answering.set(callId, by.username);
    const r = await lines.answer(c.lineId);
    if (!r.ok) {
      this.answering.delete(callId);
      return fail(ACTION_ERRORS.unavailable, `ATA on ${c.lineId} failed: ${r.detail}`);
    }
    return this.serial(async () => {
      const now = this.state.calls.get(callId);
      if (now?.state === 'ringing') await this.commit([event(this.state, 'call.answered', { callId, lineId: c.lineId, by: by.username })]);
      const seq = this.state.calls.get(callId)?.answeredSeq ?? null;
      return seq === null ? fail(ACTION_ERRORS.conflict, `call ${callId} ended before it was answered`) : { ok: true as const, seq };
    });
  }

  async hangup(callId: string, by: Actor): Promise<ActionResult> {
    const c = this.state.calls.get(callId);
    if (c === undefined) return fail(ACTION_ERRORS.notFound, `no call ${callId}`);
    if (c.state === 'ended') return fail(ACTION_ERRORS.conflict, `call ${callId} has ended`);
    const lines = this.lines;
    if (lines === undefined) return fail(ACTION_ERRORS.unavailable, 'no modem lines');
    this.hangingUp.set(callId, by.username);
    const r = await lines.hangUp(c.lineId);
    if (!r.ok) {
      this.hangingUp.delete(callId);
      return fail(ACTION_ERRORS.unavailable, `hang-up on ${c.lineId} failed: ${r.detail}`);
    }
    return this.serial(async () => {
      if (this.state.calls.get(callId)?.state !== 'ended') await this.commit(this.ended(callId, c.lineId, 'handler', by.username, this.clock.now()));
      return { ok: true as const, seq: this.state.calls.get(callId)?.endedSeq as number };
    });
  }

  // ---- line health ----------------------------------------------------------------------------------------

  onHealth(report: LineHealthReport): void {
    const before = this.lineHealth.get(report.lineId);
    this.lineHealth.set(report.lineId, report);
    if (before !== undefined && !healthChanged(before, report)) return;
    const e = event(this.state, 'line.health', {
      lineId: report.lineId,
      port: report.spec,
      state: report.state === 'unregistered' ? 'up' : report.state,
      registration: registrationName(report.registration),
      signalCsq: report.csq === null || (report.csq > 31 && report.csq !== 99) ? null : report.csq,
      detail: report.detail.slice(0, 500),
    });
    void this.serial(() => this.commit([e])).catch((err: unknown) => this.fault(err, 'storing line health'));
  }

  health(): GatewayHealth {
    const reports = this.lines?.health() ?? [...this.lineHealth.values()];
    return { linesUp: reports.filter((r) => r.state === 'up').length, linesTotal: reports.length, storeOk: this.storeOk };
  }

  // ---- incidents ------------------------------------------------------------------------------------------

  async listIncidents(filter: IncidentFilter): Promise<readonly IncidentView[]> {
    const keep = (i: Incident) => filter.state === 'all' || (filter.state === 'closed') === (i.state === 'closed');
    return this.state.incidents
      .all()
      .filter(keep)
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt))
      .map((i) => incidentView(this.state, i, false));
  }

  async getIncident(id: string): Promise<IncidentView | undefined> {
    const i = this.state.incidents.get(id);
    return i === undefined ? undefined : incidentView(this.state, i, true);
  }

  async track(incidentId: string): Promise<Track | undefined> {
    const i = this.state.incidents.get(incidentId);
    return i === undefined ? undefined : trackOf(i);
  }

  acknowledge(incidentId: string, request: AcknowledgeRequest, by: Actor): Promise<ActionResult> {
    return this.serial(async () => {
      const i = this.state.incidents.get(incidentId);
      if (i === undefined) return fail(ACTION_ERRORS.notFound, `no incident ${incidentId}`);
      if (i.state === 'closed') return fail(ACTION_ERRORS.conflict, `incident ${incidentId} is closed`);
      const [s] = await this.commit([event(this.state, 'incident.acknowledged', { incidentId, by: by.username, ...(request.note !== undefined && { note: request.note }) })]);
      return { ok: true as const, seq: (s as StoredEvent).seq };
    });
  }

  close(incidentId: string, request: CloseIncidentRequest, by: Actor): Promise<ActionResult> {
    return this.serial(async () => {
      const i = this.state.incidents.get(incidentId);
      if (i === undefined) return fail(ACTION_ERRORS.notFound, `no incident ${incidentId}`);
      if (i.state === 'closed') return fail(ACTION_ERRORS.conflict, `incident ${incidentId} is already closed`);
      const [s] = await this.commit([
        event(this.state, 'incident.closed', {
          incidentId,
          by: by.username,
          outcome: request.outcome,
          ...(request.transferredTo !== undefined && { transferredTo: request.transferredTo }),
          ...(request.note !== undefined && { note: request.note }),
        }),
      ]);
      return { ok: true as const, seq: (s as StoredEvent).seq };
    });
  }

  stopTracking(incidentId: string, by: Actor): Promise<ActionResult> {
    return this.incidentCommand(incidentId, by, { kind: 'STOP' }, (i) =>
      event(this.state, 'incident.tracking-stopped', { incidentId: i.id, handsetId: i.handsetId, reason: 'handler', by: by.username }),
    );
  }

  locate(incidentId: string, by: Actor): Promise<ActionResult> {
    return this.incidentCommand(incidentId, by, { kind: 'LOCATE' }, (i) =>
      event(this.state, 'incident.locate-requested', { incidentId: i.id, handsetId: i.handsetId, by: by.username }),
    );
  }

  private async incidentCommand(incidentId: string, by: Actor, command: HandsetCommand, request: (i: Incident) => NewEvent): Promise<ActionResult> {
    const reserved = await this.serial(async () => {
      const i = this.state.incidents.get(incidentId);
      if (i === undefined) return fail(ACTION_ERRORS.notFound, `no incident ${incidentId}`);
      if (i.state === 'closed') return fail(ACTION_ERRORS.conflict, `incident ${incidentId} is closed`);
      return this.reserve(i.handsetId, [request(i)]);
    });
    if (!reserved.ok) return reserved;
    return this.transmit(reserved, command, by.username, incidentId);
  }

  // ---- TSC1 commands --------------------------------------------------------------------------------------

  async sendCommand(handsetId: string, command: HandsetCommand, by: Actor): Promise<ActionResult> {
    const reserved = await this.serial(() => this.reserve(handsetId, []));
    if (!reserved.ok) return reserved;
    return this.transmit(reserved, command, by.username, this.state.incidents.openFor(handsetId)?.id ?? null);
  }

  /**
   * Takes the handset's next TSC1 counter durably (with the request event, if any), inside serial(): a crash
   * after the SMS left can never make the gateway send another command with the same counter.
   */
  private async reserve(handsetId: string, request: NewEvent[]): Promise<ActionResult<{ handsetId: string; counter: number }>> {
    const h = this.state.registry.get(handsetId);
    if (h === undefined) return fail(ACTION_ERRORS.notFound, `no handset ${handsetId}`);
    const counter = h.commandCounter + 1;
    const stored = await this.commit([...request, event(this.state, 'command.reserved', { handsetId, counter })]);
    return { ok: true, seq: (stored[0] as StoredEvent).seq, handsetId, counter };
  }

  /** Signs, sends by SMS from a free line, records command.sent + command.result (or the failure). */
  private async transmit(
    r: { seq: number; handsetId: string; counter: number },
    command: HandsetCommand,
    by: string | null,
    incidentId: string | null,
  ): Promise<ActionResult> {
    const h = this.state.registry.get(r.handsetId);
    const lines = this.lines;
    let outcome: { ok: boolean; detail: string; lineId: string | null };
    if (h === undefined || lines === undefined) outcome = { ok: false, detail: 'no modem lines', lineId: null };
    else {
      const text = encodeCommandSync({ handsetId: h.id, counter: r.counter, command }, h.key, this.hmac);
      const parts = encodeSubmit(h.number, text).map((p) => ({ pdu: p.pdu, tpduLength: p.tpduLength }));
      try {
        outcome = await lines.sendSms(parts);
      } catch (err) {
        outcome = { ok: false, detail: (err as Error).message, lineId: null };
      }
    }
    const { handsetId, counter } = r;
    await this.serial(() =>
      this.commit(
        outcome.ok && outcome.lineId !== null
          ? [
              event(this.state, 'command.sent', { handsetId, incidentId, counter, command, by, lineId: outcome.lineId }),
              event(this.state, 'command.result', { handsetId, counter, result: 'sent', detail: outcome.detail.slice(0, 500) }),
            ]
          : [event(this.state, 'command.result', { handsetId, counter, result: 'failed', detail: `not sent: ${outcome.detail}`.slice(0, 500) })],
      ),
    );
    if (!outcome.ok) return fail(ACTION_ERRORS.unavailable, `TSC1 ${command.kind} to ${handsetId} not sent: ${outcome.detail}`);
    return { ok: true, seq: r.seq };
  }

  // ---- handsets -------------------------------------------------------------------------------------------

  async registerHandset(registration: HandsetRegistration, by: Actor): Promise<ActionResult<{ readonly handset: HandsetView }>> {
    const r = await this.register(registration, by.username);
    if (r.kind === 'conflict') return fail(ACTION_ERRORS.conflict, r.message);
    const h = this.state.registry.get(registration.id);
    if (h === undefined) return fail(ACTION_ERRORS.conflict, `${registration.id} was not registered`);
    return { ok: true, seq: r.seq, handset: handsetView(h) };
  }

  private register(reg: HandsetRegistration, by: string): Promise<{ kind: 'registered' | 'unchanged'; seq: number } | { kind: 'conflict'; message: string }> {
    return this.serial(async () => {
      const d = this.decideRegistration(reg, by);
      if (d.kind !== 'register') return d;
      const [stored] = await this.commit([d.event]);
      return { kind: 'registered' as const, seq: (stored as StoredEvent).seq };
    });
  }

  /** What registering `reg` would do, against the registry as it is. Runs inside serial(). */
  private decideRegistration(
    reg: HandsetRegistration,
    by: string,
  ): { kind: 'register'; event: NewEvent; number: string } | { kind: 'unchanged'; seq: number } | { kind: 'conflict'; message: string } {
    const s = this.state;
    const number = normaliseNumber(reg.number, undefined, s.config.countryCode);
    if (number === null) return { kind: 'conflict', message: `number ${reg.number} is not a phone number` };
    const fields = {
      handsetId: reg.id,
      number,
      imei: reg.imei,
      keyHex: Buffer.from(reg.key).toString('hex'),
      force: reg.force,
      victim: reg.victim,
      testMode: reg.testMode,
    };
    const existing = s.registry.get(reg.id);
    if (existing !== undefined && sameRegistration(existing, fields)) return { kind: 'unchanged', seq: s.lastSeq };
    if (existing !== undefined && !reg.replace) return { kind: 'conflict', message: `handset ${reg.id} is registered already (replace: true re-registers it)` };
    const other = s.registry.byE164(number);
    if (other !== undefined && other.id !== reg.id) return { kind: 'conflict', message: `number ${number} belongs to handset ${other.id}` };
    return { kind: 'register', event: event(s, 'handset.registered', { ...fields, by }), number };
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
      void this.serial(() => this.commit([...missedHeartbeats(this.state), ...this.commandTimeouts(), ...this.staleRinging(), ...this.trackingTimeouts()]))
        .catch((err: unknown) => this.fault(err, 'storing the minute checks (heartbeats, command and tracking timeouts, stale rings)'))
        .finally(() => this.scheduleHeartbeatCheck());
    }, HEARTBEAT_CHECK_MS);
  }

  private trackingTimeouts(): NewEvent[] {
    return this.state.incidents
      .silentTracking(this.clock.now() - TRACKING_SILENCE_MS)
      .map((i) => event(this.state, 'incident.tracking-stopped', { incidentId: i.id, handsetId: i.handsetId, reason: 'timeout', by: null }));
  }

  private staleRinging(): NewEvent[] {
    const now = this.clock.now();
    return this.state.calls.ringingSince(now - STALE_RINGING_MS).flatMap((c) => this.ended(c.id, c.lineId, 'network', null, now));
  }

  private commandTimeouts(): NewEvent[] {
    return this.state.commands.olderThan(this.clock.now() - COMMAND_TIMEOUT_MS).map((c) =>
      event(this.state, 'command.result', {
        handsetId: c.handsetId,
        counter: c.counter,
        result: 'timeout',
        detail: `no ACK within ${COMMAND_TIMEOUT_MS / 60_000} min`,
      }),
    );
  }

  /** Runs the retention purge now (in the queue, between two decisions); the daily timer calls it. */
  purgeNow(): Promise<number> {
    return this.serial(() => this.purge());
  }

  private async purge(): Promise<number> {
    const before = this.clock.now() - this.state.config.retentionDays * 86_400_000;
    const result = await this.store.purge(before, retentionTypes(), 'system:retention');
    this.state.incidents.forgetFixesBefore(before);
    this.options.logger?.info({ before: new Date(before).toISOString(), redacted: result.redacted }, 'retention purge');
    return result.redacted;
  }

  private scheduleRetention(delayMs: number): void {
    if (this.closed) return;
    this.retentionTimer = this.clock.setTimeout(() => {
      void this.purgeNow()
        .catch((err: unknown) => this.fault(err, 'purging old victim data'))
        .finally(() => this.scheduleRetention(RETENTION_PERIOD_MS));
    }, delayMs);
  }
}

/**
 * Whether a line's health changed enough to be an event: its state or registration, or its signal by 5 or
 * more (RSSI wobbles by one or two between polls; an event per wobble would fill the log for nothing).
 */
function healthChanged(a: LineHealthReport, b: LineHealthReport): boolean {
  if (a.state !== b.state || a.registration !== b.registration) return true;
  const known = (c: number | null) => c !== null && c !== 99;
  if (known(a.csq) !== known(b.csq)) return true;
  return known(a.csq) && Math.abs((a.csq as number) - (b.csq as number)) >= 5;
}

/** 27.007 +CREG <stat> as protocol/schemas names it. */
function registrationName(stat: number | null): 'home' | 'roaming' | 'searching' | 'denied' | 'not-registered' | 'unknown' {
  switch (stat) {
    case 0: return 'not-registered';
    case 1: return 'home';
    case 2: return 'searching';
    case 3: return 'denied';
    case 5: return 'roaming';
    default: return 'unknown';
  }
}
