// One control-room line: a port spec, the modem behind it, and the line's supervision. It opens the port,
// initialises the modem (init-sequence.ts), polls registration and signal, reads stored messages
// (message-intake.ts), tracks calls (call-tracker.ts), and when the modem stops answering, reboots or
// disappears, re-opens (or re-initialises) it with backoff (backoff.ts), reporting each health change.
//
//   down --open--> initialising --init OK--> up | unregistered --+CREG / poll--> up | unregistered
//     ^                 |                        |
//     +-- backoff <-----+--- port closed, init failed, modem not answering (3 timeouts) ---+
//   boot output (RDY, START, +CFUN: 1, +CPIN: READY, Call Ready, SMS Ready, SMS DONE) on an open port -> initialising again

import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import type { Random } from '../../protocol/time/random.js';
import { monotonicOf } from '../../protocol/time/monotonic.js';
import {
  AtEngine,
  CmsError,
  MODEM_PROBES,
  answer,
  chup,
  cmgs,
  cpmsRead,
  cregRead,
  csq,
  hangup,
  parseCmgs,
  parseCpms,
  parseCreg,
  parseCsq,
  parseRegistration,
  registrationRead,
  type AtCommand,
  type AtResult,
  type PendingCommand,
  type Registration,
  type RegistrationDomain,
  type Urc,
} from '../../protocol/at/index.js';
import { toTransport, type Port } from '../../hardware/ports/index.js';
import { listModemCalls, type CallList, type CallListMemory, type SendCommand } from './call-list.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { CALL_URCS, CallTracker, DEFAULT_CALL_TIMINGS, type CallTrackerTimings } from './call-tracker.js';
import { cpinRead, INIT_SEQUENCE } from './init-sequence.js';
import { describeResult } from './describe-result.js';
import { DEFAULT_INTAKE_TIMINGS, MessageIntake, type IntakeTimings } from './message-intake.js';
import { lineRegistration } from './registration.js';
import { storageNearlyFull, storageNote } from './sim-storage.js';
import type { LineActionResult, LineBankListener, LineHealthReport, LineId, LineMetrics, LineState, SmsOptions } from './types.js';

/** Unsolicited output that means the modem has just (re)started and lost its settings. */
export const BOOT_URCS: ReadonlySet<string> = new Set([
  'RDY',
  '^SYSSTART',
  'START',
  '+CFUN',
  '+CPIN',
  'Call Ready',
  'SMS Ready',
  'SMS DONE',
  'PB DONE',
  '+QIND: SMS DONE',
  '+QIND: PB DONE',
  'NORMAL POWER DOWN',
]);
/** Boot lines that always start a restart (the first line a modem prints), never a later stage of one. */
const BOOT_FIRST_LINES: ReadonlySet<string> = new Set(['RDY', '^SYSSTART', 'START']);
/**
 * Boot lines that say a service has become ready, seconds after the restart began (SIMCom 3G/4G: `SMS DONE`,
 * `PB DONE`; Quectel: `+QIND: SMS DONE`): always a later stage, never a restart of their own. Until then such a
 * modem answers its SMS settings `+CME ERROR: 14` (SIM busy), so they are sent again at each.
 */
const READY_LINES: ReadonlySet<string> = new Set(['SMS DONE', 'PB DONE', '+QIND: SMS DONE', '+QIND: PB DONE']);

/** A `+CPIN:` line this soon after our own AT+CPIN? is taken for its late answer, not for a reboot. */
const LATE_ANSWER_WINDOW_MS = 10_000;

/**
 * How long an AT+CLCC / AT+CPAS of the call tracker's, in flight when the handler answers or hangs up, is given
 * before it is abandoned for the ATA / ATH (callAction; docs/lines.md "Caller id"). Not at once: abandoning writes
 * the engine's resynchronisation probe while the modem may still be answering, and behind a link with latency the
 * late answer's OK then ends the probe and the probe's OK the ATA / ATH (taken as done before the modem did it). A
 * modem lists its calls within this, even behind a device server; one that does not answer costs the ATA 1.1 s,
 * not the 5 s timeout. Not a shorter timeout for the list itself: a modem slow to list its calls (seconds while a
 * call sets up) then never gave her number nor had her ended call noticed at the poll (review 14).
 */
export const LIST_BEFORE_ACTION_MS = 1000;

/**
 * One restart prints several boot lines over several seconds (SIM800: `RDY`, `+CFUN: 1`, `+CPIN: READY`, then
 * `Call Ready` and `SMS Ready` up to ~10 s later, once calls can already ring). A boot line other than `RDY` this
 * soon after the previous one is a later stage of the same restart, not another restart.
 */
const BOOT_SEQUENCE_MS = 30_000;

/** Every timing of a line, in ms. */
export interface LineTimings extends CallTrackerTimings, IntakeTimings {
  /** Answer timeout of init and poll commands (default 3000; actions and SMS use the builders' own). */
  readonly commandTimeoutMs: number;
  /** Registration, signal and call poll (default 30000); also the liveness check of an idle modem. */
  readonly pollMs: number;
  /** Full storage rescan, catching a +CMTI that was lost (default 60000). */
  readonly storageScanMs: number;
  readonly backoff: BackoffPolicy;
}

export const DEFAULT_LINE_TIMINGS: LineTimings = {
  ...DEFAULT_CALL_TIMINGS,
  ...DEFAULT_INTAKE_TIMINGS,
  commandTimeoutMs: 3000,
  pollMs: 30_000,
  storageScanMs: 60_000,
  backoff: DEFAULT_BACKOFF,
};

/** The logging a line does (pino's Logger fits). */
export interface LineLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** How a line is built. */
export interface ModemLineOptions {
  readonly lineId: LineId;
  readonly spec: string;
  readonly listener: LineBankListener;
  readonly clock: Clock;
  readonly random: Random;
  /** Opens the port (hardware/ports openPort; tests wrap it to plug a simulated modem in). */
  readonly open: (spec: string) => Promise<Port>;
  readonly logger?: LineLogger;
  readonly timings?: Partial<LineTimings>;
}

/**
 * One connection: the port, its engine, and a generation number that async steps compare against. `silent`: the
 * registration domains (AT+CGREG?, AT+CEREG?) the modem did not answer at all (a timeout), not asked again on it;
 * `callList` likewise for AT+CPAS (call-list.ts).
 */
type Session = {
  readonly port: Port;
  readonly engine: AtEngine;
  readonly generation: number;
  initialised: boolean;
  /**
   * The engine's echo count once the init sequence (ATE0 included) was done; undefined when the modem still
   * echoed after ATE0 (it ignores it, so an echo tells nothing). See settingsLost.
   */
  echoesAfterInit: number | undefined;
  readonly silent: Set<RegistrationDomain>;
  readonly callList: CallListMemory;
};

/** See the file comment. */
export class ModemLine {
  readonly lineId: LineId;
  readonly spec: string;
  readonly metrics: LineMetrics;
  private readonly timings: LineTimings;
  private readonly calls: CallTracker;
  private readonly intake: MessageIntake;
  private session: Session | undefined;
  private generation = 0;
  private attempts = 0;
  private retryTimer: TimerHandle | undefined;
  private pollTimer: TimerHandle | undefined;
  /** Monotonic ms of the last storage scan (protocol/time/monotonic.ts). */
  private lastScanAt = 0;
  private readonly mono: () => number;
  /** When we last asked AT+CPIN?: a late `+CPIN: READY` answer must not pass for boot output. */
  private cpinAskedAt = Number.NEGATIVE_INFINITY;
  /** When the last boot line was seen (see BOOT_SEQUENCE_MS). */
  private lastBootLineAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  /** The domain the line is registered in (registration.ts), null when not registered or unknown. */
  private registeredIn: RegistrationDomain | null = null;
  /**
   * Counts registration updates begun (a poll, a +CREG URC). A check that asks AT+CGREG?/AT+CEREG? applies only if
   * none began while it waited: `+CREG: 2` then `+CREG: 1` at a cell change must end registered, not be undone
   * by the check the first one started.
   */
  private registrationEpoch = 0;
  /**
   * A +CREG URC saying not registered makes the line ask AT+CGREG? and AT+CEREG?. While that check waits for its
   * answers, later such URCs are not checked each on their own: only the latest is kept (`csCheckNext`) and
   * checked once the running one ends. One check per URC queued two commands per URC, so a burst of them (a modem
   * flapping at the edge of coverage, a garbled line) queued hundreds, and an ATA for a 999 call waited behind
   * them all.
   */
  private csCheckRunning = false;
  private csCheckNext: { readonly session: Session; readonly cs: Registration } | undefined;
  private report: LineHealthReport;
  /** The detail as last set, before the storage note is added (setHealth). */
  private baseDetail = 'not started';
  /** Counters of engines already closed (the live engine's are added on read). */
  private pastCommands = 0;
  private pastTimeouts = 0;
  /**
   * ATA / ATH / AT+CHUP asked for and not finished, with whether a call was on the line when asked. Sent after
   * that call ended (queued behind a slow command), they would answer or reject the NEXT caller: so they are
   * cancelled when that call ends, or, asked for with no call, when a call starts ringing.
   */
  private readonly pendingActions: Array<{ readonly job: PendingCommand; readonly forCall: boolean }> = [];
  /** The commands of the call lists (call-list.ts) queued or in flight, and when written (see listCalls). */
  private readonly listsRunning = new Set<{ job?: PendingCommand; writtenAt?: number }>();

  constructor(private readonly options: ModemLineOptions) {
    this.lineId = options.lineId;
    this.spec = options.spec;
    this.timings = { ...DEFAULT_LINE_TIMINGS, ...options.timings };
    this.mono = monotonicOf(options.clock);
    this.metrics = { lineId: this.lineId, commands: 0, timeouts: 0, reconnects: 0, smsReceived: 0, smsDeleted: 0, smsCorrupt: 0, smsNotMine: 0, calls: 0 };
    this.report = { lineId: this.lineId, spec: this.spec, state: 'down', registration: null, csq: null, storage: null, detail: 'not started' };
    this.calls = new CallTracker(
      this.lineId,
      options.clock,
      (e) => {
        if (e.kind === 'ringing') this.metrics.calls++;
        if (e.kind !== 'answered') this.cancelActions(e.kind === 'ended');
        this.tell('onCall', () => options.listener.onCall(e));
      },
      (urgent, numberOnly) => this.listCalls(urgent, numberOnly),
      this.timings,
    );
    this.intake = new MessageIntake(
      {
        lineId: this.lineId,
        clock: options.clock,
        engine: () => (this.session?.initialised === true ? this.session.engine : undefined),
        deliver: (sms) => this.tell('onSms', () => options.listener.onSms(sms)),
        metrics: this.metrics,
        warn: (m) => this.options.logger?.warn({ lineId: this.lineId }, m),
      },
      this.timings,
    );
  }

  /** The current health. */
  health(): LineHealthReport {
    return { ...this.report };
  }

  /** Counters, including the live engine's. */
  counters(): LineMetrics {
    const e = this.session?.engine.stats;
    return { ...this.metrics, commands: this.pastCommands + (e?.commands ?? 0) + (e?.probes ?? 0), timeouts: this.pastTimeouts + (e?.timeouts ?? 0) };
  }

  /** True when an SMS can go out here now: initialised, registered, no call ringing or connected. */
  get free(): boolean {
    return this.report.state === 'up' && !this.calls.inCall && this.session?.initialised === true;
  }

  /** Registered for circuit-switched service (+CREG), not on LTE or packet data alone (registration.ts). */
  get circuitSwitched(): boolean {
    return this.report.state === 'up' && this.registeredIn === 'cs';
  }

  /** Opens the port and initialises the modem; resolves after this first attempt (up, or down with a retry planned). */
  start(): Promise<void> {
    return this.connect();
  }

  /** Closes for good: no more retries, the port closed. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimers();
    this.calls.close();
    const s = this.session;
    this.session = undefined;
    this.generation++;
    if (s !== undefined) {
      this.retire(s);
      await s.port.close().catch(() => undefined);
    }
    this.setHealth({ state: 'down', detail: 'closed' });
  }

  // ---- actions -------------------------------------------------------------------------------------------

  /** A call answered on this line before a gateway restart: checked with the modem (call-tracker.ts). */
  adoptAnswered(): void {
    this.calls.adoptAnswered();
  }

  /**
   * ATA. Allowed while the line (re)initialises: a call that rings then must not wait for the init. The ATA
   * belongs to the call ringing now: refused when none rings, and cancelled if that call ends while the ATA is
   * still queued behind a slow command (sent late, it would answer the next caller instead).
   */
  async answer(): Promise<LineActionResult> {
    const engine = this.session?.engine;
    if (engine === undefined) return { ok: false, detail: `line ${this.lineId} is ${this.report.state}` };
    if (!this.calls.inCall) return { ok: false, detail: `no call ringing on line ${this.lineId}` };
    const r = await this.callAction(engine, answer());
    if (r.status === 'cancelled') return { ok: false, detail: `the call ended before ATA was sent (${describeResult(r)})` };
    if (r.status === 'final' && r.ok) {
      this.calls.answered();
      return { ok: true, detail: r.final.line };
    }
    if (r.status === 'final' && r.final.kind === 'NO_CARRIER') this.calls.answerFailed();
    return { ok: false, detail: describeResult(r) };
  }

  /** ATH, falling back to AT+CHUP when ATH is refused. */
  async hangUp(): Promise<LineActionResult> {
    const engine = this.session?.engine;
    if (engine === undefined) return { ok: false, detail: `line ${this.lineId} is ${this.report.state}` };
    // A call not seen since the link came back or the gateway restarted may have ended meanwhile, and a new
    // caller may be ringing whose RING has not come yet: an ATH would reject her, never reported. AT+CLCC
    // first (the poll's check): gone, it ends by network and nothing is sent; a RING meanwhile is the new call,
    // and so is one up when the answer comes (answered by another handler while AT+CLCC waited): no ATH for her.
    if (this.calls.unconfirmedCall && !(await this.calls.checkBeforeHangUp())) {
      return { ok: true, detail: 'the call had already ended (no ATH sent: it would reject or cut off a new caller)' };
    }
    let job: PendingCommand | undefined;
    const track = (j: PendingCommand): void => {
      job = j;
    };
    this.calls.hangUpStarted(() => job !== undefined && !job.queued);
    let r = await this.callAction(engine, hangup(), track);
    if (r.status === 'final' && !r.ok) r = await this.callAction(engine, chup(), track);
    const ok = r.status === 'final' && r.ok;
    this.calls.hangUpFinished(ok);
    if (r.status === 'cancelled' && !this.calls.inCall) return { ok: true, detail: `the call ended before ${r.command} was sent` };
    return ok ? { ok: true, detail: `${r.command}: ${describeResult(r)}` } : { ok: false, detail: describeResult(r) };
  }

  /**
   * AT+CMGS per part, in order; stops at the first failure. `stillWanted` is asked as the first part's turn
   * comes (protocol/at/command.ts): once a part is written the rest follow, as half a message is worse.
   */
  async sendSms(parts: readonly { pdu: string; tpduLength: number }[], options: SmsOptions = {}): Promise<LineActionResult> {
    const refs: number[] = [];
    for (const [i, part] of parts.entries()) {
      const label = parts.length > 1 ? `part ${i + 1}/${parts.length}: ` : '';
      const built = cmgs(part.tpduLength, part.pdu);
      if (!built.ok) return { ok: false, detail: `${label}${built.reason}` };
      const engine = this.liveEngine();
      if (engine === undefined) return { ok: false, detail: `${label}line ${this.lineId} is ${this.report.state}` };
      const r = await engine.send(built.command, i === 0 && options.stillWanted !== undefined ? { stillWanted: options.stillWanted } : {});
      const mr = r.status === 'final' && r.ok && r.lines[0] !== undefined ? parseCmgs(r.lines[0]) : undefined;
      if (mr === undefined || !mr.ok) {
        const detail = `${label}${r.ok ? `no +CMGS reference in ${r.lines.join(' ')}` : describeResult(r)}`;
        // Its PDU was written and no final came (the link dropped, the modem went silent), an OK came with no
        // message reference, or the modem's network timeout (+CMS ERROR: 332: it handed the SMS to the network and
        // heard nothing back in time): it may have left. Not a final that came before the `> ` (a stray OK of a
        // line out of step): the PDU was never written.
        const networkTimeout = r.status === 'final' && r.final.error?.family === 'CMS' && r.final.error.code === CmsError.NETWORK_TIMEOUT;
        const uncertain = r.status === 'final' ? r.phase !== 'prompt' && (r.ok || networkTimeout) : r.status !== 'rejected' && r.phase === 'answer';
        return uncertain ? { ok: false, detail, uncertain } : { ok: false, detail };
      }
      refs.push(mr.value.mr);
    }
    return { ok: true, detail: `+CMGS: ${refs.join(',')}` };
  }

  /** Runs a call action (ATA, ATH, AT+CHUP) bound to the call on the line now (see pendingActions). */
  private async callAction(engine: AtEngine, command: AtCommand, queued?: (job: PendingCommand) => void): Promise<AtResult> {
    // The AT+CLCC / AT+CPAS of a list in flight is abandoned once it has had LIST_BEFORE_ACTION_MS (the engine
    // resynchronises): nothing can be written while it runs (V.250 5.6.1: a character received during a command
    // may abort it), and on a modem that does not answer it the ATA / ATH waited its whole timeout (5 s).
    for (const { job, writtenAt } of this.listsRunning) {
      if (job === undefined || writtenAt === undefined || job.queued) continue;
      const left = writtenAt + LIST_BEFORE_ACTION_MS - this.options.clock.now();
      if (left <= 0) job.cancel();
      else this.options.clock.setTimeout(() => job.cancel(), left); // no effect once it has ended
    }
    // Urgent: ahead of the SMS reads and polls already queued (protocol/at/command.ts).
    const entry = { job: engine.enqueue(command, { urgent: true }), forCall: this.calls.inCall };
    queued?.(entry.job);
    this.pendingActions.push(entry);
    const r = await entry.job.result;
    const i = this.pendingActions.indexOf(entry);
    if (i >= 0) this.pendingActions.splice(i, 1);
    return r;
  }

  /**
   * A call ended (`ended`) or started ringing: the actions asked for before it that are still queued no longer
   * apply. One already written is left to finish (a NO CARRIER during our ATH is the hang-up working).
   */
  private cancelActions(ended: boolean): void {
    for (const a of [...this.pendingActions]) {
      if (a.forCall !== ended || !a.job.queued) continue;
      this.pendingActions.splice(this.pendingActions.indexOf(a), 1);
      a.job.cancel();
    }
  }

  // ---- connection ----------------------------------------------------------------------------------------

  private async connect(): Promise<void> {
    this.retryTimer = undefined;
    if (this.closed) return;
    const generation = ++this.generation;
    let port: Port;
    try {
      port = await this.options.open(this.spec);
    } catch (err) {
      if (generation === this.generation && !this.closed) this.lost(`cannot open: ${(err as Error).message}`, false);
      return;
    }
    if (this.closed || generation !== this.generation) {
      await port.close().catch(() => undefined);
      return;
    }
    // Recognisable probes: after a command given up (a call list cancelled for an Answer), the next command gets
    // its own answer, behind a serial device server with seconds of round trip too (after a resynchronisation met
    // by silence, its final is confirmed first: docs/at.md "Out of step").
    const engine = new AtEngine(toTransport(port), { clock: this.options.clock, probes: MODEM_PROBES });
    const session: Session = { port, engine, generation, initialised: false, echoesAfterInit: undefined, silent: new Set(), callList: { cpasSilent: false } };
    this.session = session;
    port.onClose((reason) => {
      if (this.session === session) this.lost(`port closed: ${reason.message}`, true);
    });
    engine.onUrc((u) => {
      if (this.session === session) this.onUrc(u);
    });
    engine.onUnresponsive((e) => {
      if (this.session === session) this.lost(`modem not answering (${e.consecutiveTimeouts} timeouts, last ${e.lastCommand})`, true);
    });
    this.intake.forget();
    await this.initialise(session, 'port open');
  }

  /** Runs the init sequence on `session`; on success the line is up (or unregistered) and storage is scanned. */
  private async initialise(session: Session, why: string): Promise<void> {
    const generation = ++this.generation;
    session.initialised = false;
    this.setHealth({ state: 'initialising', detail: `initialising (${why})` });
    const current = (): boolean => this.session === session && this.generation === generation && !this.closed;
    const notes: string[] = [];
    let echoesAfterAte0: number | undefined;
    for (const step of INIT_SEQUENCE) {
      let r = await this.run(session.engine, step.command);
      for (const fallback of step.fallbacks ?? []) {
        if (!current() || r.status !== 'final' || r.ok) break;
        r = await this.run(session.engine, fallback);
      }
      if (!current()) return;
      if (step.command.line === 'ATE0' && r.ok) echoesAfterAte0 = session.engine.stats.echoes;
      if (r.ok) continue;
      if (step.required || r.status !== 'final') {
        this.lost(`init failed at ${r.command} (${step.purpose}): ${describeResult(r)}`, true);
        return;
      }
      notes.push(`${r.command} refused: ${step.purpose}`);
    }
    this.cpinAskedAt = this.options.clock.now();
    const pin = await this.run(session.engine, cpinRead());
    if (!current()) return;
    // Old Wavecom modems answer `+CPIN: READY` with no OK after it (python-gsmmodem's WavecomMultiband900E1800
    // profile): the answer line counts when the final never came.
    const answered = (pin.status === 'final' && pin.ok) || pin.status === 'timeout' ? pin.lines.find((l) => l.startsWith('+CPIN:')) : undefined;
    const sim = answered !== undefined ? answered.replace(/^\+CPIN:\s*/, '') : pin.status === 'final' && pin.ok ? '' : describeResult(pin);
    if (sim !== 'READY') notes.push(`SIM: ${sim}`);
    session.initialised = true;
    session.echoesAfterInit = echoesAfterAte0 === session.engine.stats.echoes ? echoesAfterAte0 : undefined;
    this.attempts = 0;
    this.lastScanAt = this.mono(); // the scan below is this period's
    await this.poll(session, notes.length === 0 ? 'initialised' : `initialised; ${notes.join('; ')}`);
    if (!current()) return;
    await this.intake.scan();
    if (!current()) return;
    await this.readStorage(session);
  }

  /** The line is lost: ends its call, closes the port (if `hadPort`), reports down and plans a retry. */
  private lost(detail: string, hadPort: boolean): void {
    if (this.closed) return;
    this.generation++;
    const s = this.session;
    this.session = undefined;
    if (s !== undefined) this.retire(s);
    this.clearTimers();
    this.calls.lineLost('link');
    if (hadPort) this.metrics.reconnects++;
    const delay = backoffDelay(this.attempts++, this.options.random, this.timings.backoff);
    this.options.logger?.warn({ lineId: this.lineId, spec: this.spec, retryInMs: delay }, `line ${this.lineId} down: ${detail}`);
    this.setHealth({ state: 'down', detail: `${detail}; retry in ${delay} ms` });
    this.retryTimer = this.options.clock.setTimeout(() => void this.connect(), delay);
  }

  /** Closes a session's engine (and so its port) and keeps its counters. */
  private retire(s: Session): void {
    this.pastCommands += s.engine.stats.commands + s.engine.stats.probes;
    this.pastTimeouts += s.engine.stats.timeouts;
    s.engine.close();
  }

  // ---- unsolicited codes ---------------------------------------------------------------------------------

  private onUrc(u: Urc): void {
    if (CALL_URCS.has(u.name)) {
      this.calls.onUrc(u);
      return;
    }
    if (this.intake.onUrc(u)) return;
    if (BOOT_URCS.has(u.name)) {
      const now = this.options.clock.now();
      const lateCpinAnswer = u.name === '+CPIN' && now - this.cpinAskedAt < LATE_ANSWER_WINDOW_MS;
      if (lateCpinAnswer) return;
      const sameBoot = READY_LINES.has(u.name) || (!BOOT_FIRST_LINES.has(u.name) && now - this.lastBootLineAt < BOOT_SEQUENCE_MS);
      this.lastBootLineAt = now;
      if (sameBoot) this.bootStage(u.line);
      else this.rebooted(u.line);
      return;
    }
    if (u.name === '+CREG') {
      const r = parseCreg(u.line);
      if (!r.ok) return;
      // Circuit-switched registration lost: the line may still be registered on LTE (or for packet data), so the
      // other domains are asked before it is called unregistered (registration.ts).
      const s = this.session;
      if (!r.value.registered && s?.initialised === true) this.checkCsUrc(s, r.value);
      else {
        this.csCheckNext = undefined; // a later update wins over a check still waiting its turn
        this.registrationEpoch++;
        this.setRegistration(r.value.stat, `registration ${r.value.status}`, r.value.registered ? 'cs' : null);
      }
      return;
    }
    if (u.name === '+CSQ') {
      const q = parseCsq(u.line);
      if (q.ok) this.setHealth({ csq: q.value.rssi });
    }
  }

  /** Boot output on an open port: the modem restarted and forgot its settings (and its call). */
  private rebooted(line: string): void {
    const s = this.session;
    if (s === undefined) return;
    this.options.logger?.warn({ lineId: this.lineId, line }, `line ${this.lineId}: modem restarted`);
    this.metrics.reconnects++;
    this.clearTimers();
    // What was queued or in flight was lost with the modem's state (a half-sent CMGS would otherwise hold the
    // line for its 60 s timeout, and an ATA behind it).
    s.engine.cancelAll();
    this.calls.lineLost('restart');
    this.intake.forget();
    void this.initialise(s, `modem restarted: ${line}`);
  }

  /**
   * A later line of the same restart (`Call Ready`, `SMS Ready`, ...): the modem did not lose its state again, so
   * the call that may already ring and the commands in flight (an ATA) stay; only the settings are sent again,
   * since a modem refuses some of them (AT+CNMI, AT+CPMS) until its SIM and SMS service are ready.
   */
  private bootStage(line: string): void {
    const s = this.session;
    if (s === undefined) return;
    this.clearTimers();
    void this.initialise(s, `modem ready: ${line}`);
  }

  /**
   * A modem that echoes our commands again after ATE0 has lost its settings without a boot line: a command that
   * line noise turned into ATZ or AT&F (`AT+CPMS?` arrived as `ATZCPMS?` in the line-noise soak), or a restart
   * whose boot output was lost. Its other settings went with the echo: no +CMTI (AT+CNMI), so new SMS waited for
   * the minute's scan and the SIM filled (the network then held the reports back until they expired), no +CLIP,
   * plain ERROR. The settings are sent again, as for a later boot line (bootStage): the call on the line stays.
   */
  private settingsLost(session: Session): boolean {
    const echoes = session.echoesAfterInit;
    if (!session.initialised || echoes === undefined || session.engine.stats.echoes === echoes) return false;
    this.options.logger?.warn({ lineId: this.lineId }, `line ${this.lineId}: the modem echoes commands again: its settings were reset; sending them again`);
    this.clearTimers();
    void this.initialise(session, 'modem settings reset (it echoes commands again)');
    return true;
  }

  // ---- polling -------------------------------------------------------------------------------------------

  /** Registration, signal, the call in progress and (when due) the storage; then the next poll is planned. */
  private async poll(session: Session, detail?: string): Promise<void> {
    const generation = this.generation;
    const current = (): boolean => this.session === session && this.generation === generation && !this.closed;
    const reg = await this.run(session.engine, cregRead());
    const sig = await this.run(session.engine, csq());
    if (!current() || this.settingsLost(session)) return;
    const r = reg.status === 'final' && reg.ok && reg.lines[0] !== undefined ? parseCreg(reg.lines[0]) : undefined;
    const q = sig.status === 'final' && sig.ok && sig.lines[0] !== undefined ? parseCsq(sig.lines[0]) : undefined;
    if (q?.ok === true) this.setHealth({ csq: q.value.rssi });
    // A modem that did not answer AT+CREG? at all is not asked more (the engine is resynchronising it).
    if (r?.ok === true || reg.status === 'final') await this.updateRegistration(session, r?.ok === true ? r.value : undefined, reg, detail);
    else this.setRegistration(this.report.registration, `${detail ?? 'poll'}; registration unknown (${describeResult(reg)})`, this.registeredIn);
    if (!current()) return;
    await this.calls.poll();
    if (!current()) return;
    // Elapsed time, not wall readings: a wall clock stepped back by hours stopped the scan for as long.
    if (this.mono() - this.lastScanAt >= this.timings.storageScanMs) {
      this.lastScanAt = this.mono();
      await this.intake.scan();
      if (!current()) return;
      await this.readStorage(session);
      if (!current()) return;
    }
    this.pollTimer = this.options.clock.setTimeout(() => void this.poll(session), this.timings.pollMs);
  }

  /**
   * AT+CPMS?: how full the storage where received messages go is (sim-storage.ts). Read after each scan, which
   * has just handed out (and so will soon delete) what could be read. A modem that does not answer it keeps
   * the last figures; a nearly full storage is logged once when it becomes so.
   */
  private async readStorage(session: Session): Promise<void> {
    const r = await this.run(session.engine, cpmsRead());
    if (this.session !== session || r.status !== 'final' || !r.ok) return;
    const line = r.lines.find((l) => l.startsWith('+CPMS:'));
    const p = line === undefined ? undefined : parseCpms(line);
    if (p?.ok !== true || p.value.length === 0) return;
    const m = p.value[2] ?? (p.value[p.value.length - 1] as { used: number; total: number });
    const storage = { used: m.used, total: m.total };
    if (storageNearlyFull(storage) && !storageNearlyFull(this.report.storage)) {
      this.options.logger?.warn({ lineId: this.lineId, used: storage.used, total: storage.total }, `line ${this.lineId}: ${storageNote(storage)}`);
    }
    this.setHealth({ storage });
  }

  /**
   * The line's registration from +CREG (`cs`, read or URC) and, when that does not say registered, AT+CGREG? and
   * AT+CEREG? (registration.ts). A modem that answers ERROR to them (an old GSM modem has no +CEREG) changes
   * nothing; one that does not answer at all is not asked again on this connection. `cs` undefined: AT+CREG?'s
   * answer (`csResult`) could not be read. `detail` replaces the circuit-switched words (`initialised`).
   */
  private async updateRegistration(session: Session, cs: Registration | undefined, csResult?: AtResult, detail?: string): Promise<void> {
    const epoch = ++this.registrationEpoch;
    // A URC still waiting its turn (csCheckNext) came before this update began: it is superseded, as a check it
    // had begun would be.
    this.csCheckNext = undefined;
    const superseded = (): boolean => this.session !== session || this.closed || epoch !== this.registrationEpoch;
    const ps = cs?.registered === true ? undefined : await this.askDomain(session, 'ps');
    if (superseded()) return; // a later update began: it asks for itself
    const eps = cs?.registered === true ? undefined : await this.askDomain(session, 'eps');
    if (superseded()) return;
    const line = lineRegistration(cs, ps, eps);
    if (line !== undefined) {
      const words = line.domain === 'cs' ? (detail ?? line.words) : detail === undefined ? line.words : `${detail}; ${line.words}`;
      this.setRegistration(line.stat, words, line.domain);
    } else if (cs !== undefined) this.setRegistration(cs.stat, detail ?? `registration ${cs.status}`, null);
    else {
      const why = csResult === undefined ? 'no +CREG answer' : describeResult(csResult);
      this.setRegistration(this.report.registration, `${detail ?? 'poll'}; registration unknown (${why})`, this.registeredIn);
    }
  }

  /** A +CREG URC saying not registered: checked now, or after the check running now (see csCheckNext). */
  private checkCsUrc(session: Session, cs: Registration): void {
    this.csCheckNext = { session, cs };
    if (this.csCheckRunning) return;
    this.csCheckRunning = true;
    void (async () => {
      try {
        for (let next = this.csCheckNext; next !== undefined; next = this.csCheckNext) {
          this.csCheckNext = undefined;
          await this.updateRegistration(next.session, next.cs);
        }
      } finally {
        this.csCheckRunning = false;
      }
    })();
  }

  /** AT+CGREG? or AT+CEREG?: the domain's registration, or undefined (refused, unreadable, not answered). */
  private async askDomain(session: Session, domain: RegistrationDomain): Promise<Registration | undefined> {
    if (session.silent.has(domain) || this.session !== session) return undefined;
    const r = await this.run(session.engine, registrationRead(domain));
    if (r.status === 'timeout') session.silent.add(domain);
    const line = r.status === 'final' && r.ok ? r.lines[0] : undefined;
    const p = line === undefined ? undefined : parseRegistration(domain, line);
    return p?.ok === true ? p.value : undefined;
  }

  private setRegistration(stat: number | null, detail: string, domain: RegistrationDomain | null): void {
    const registered = stat !== null && [1, 5, 6, 7, 9, 10].includes(stat);
    this.registeredIn = registered ? domain : null;
    const initialised = this.session?.initialised === true;
    const state: LineState = !initialised ? this.report.state : registered ? 'up' : 'unregistered';
    this.setHealth({ state, registration: stat, registeredIn: this.registeredIn, detail });
  }

  /**
   * The modem's calls for the call tracker (call-list.ts: AT+CLCC, AT+CPAS when it has no AT+CLCC). `numberOnly`
   * (the tracker asking for a caller's number alone): not written once an ATA / ATH waits (pendingActions): the
   * handler answering a 999 call must not wait for a number query. Each command of a list is kept in listsRunning
   * while it runs, with when it was written: one in flight when an ATA / ATH is asked is abandoned once it has had
   * LIST_BEFORE_ACTION_MS (callAction).
   */
  private listCalls(urgent = false, numberOnly = false): Promise<CallList> {
    const session = this.session;
    if (session === undefined) return Promise.resolve(null);
    const send: SendCommand = async (command, u) => {
      const entry: { job?: PendingCommand; writtenAt?: number } = {};
      // Asked by the engine as its turn comes, just before it is written (protocol/at/command.ts).
      const stillWanted = (): string | undefined => {
        if (numberOnly && this.pendingActions.length > 0) return 'a call action waits (ATA / ATH first)';
        entry.writtenAt = this.options.clock.now();
        return undefined;
      };
      entry.job = session.engine.enqueue(command, { urgent: u, stillWanted });
      this.listsRunning.add(entry);
      try {
        return await entry.job.result;
      } finally {
        this.listsRunning.delete(entry);
      }
    };
    return listModemCalls(send, urgent, session.callList, numberOnly);
  }

  // ---- plumbing ------------------------------------------------------------------------------------------

  private run(engine: AtEngine, command: AtCommand): Promise<AtResult> {
    return engine.send(command, { timeoutMs: command.options.timeoutMs ?? this.timings.commandTimeoutMs });
  }

  private liveEngine(): AtEngine | undefined {
    return this.session?.initialised === true ? this.session.engine : undefined;
  }

  private setHealth(patch: Partial<Omit<LineHealthReport, 'lineId' | 'spec'>>): void {
    if (patch.detail !== undefined) this.baseDetail = patch.detail;
    const next = { ...this.report, ...patch };
    // A nearly full SMS storage is said in every detail until it is cleared (sim-storage.ts).
    const note = storageNote(next.storage);
    next.detail = note === '' ? this.baseDetail : `${this.baseDetail}; ${note}`;
    const r = this.report;
    const sameStorage = next.storage?.used === r.storage?.used && next.storage?.total === r.storage?.total;
    const same = next.state === r.state && next.registration === r.registration && next.registeredIn === r.registeredIn && next.csq === r.csq;
    if (same && sameStorage && next.detail === r.detail) return;
    this.report = next;
    if (next.state !== r.state) this.options.logger?.info({ lineId: this.lineId, state: next.state }, `line ${this.lineId} ${next.state}: ${next.detail}`);
    this.tell('onHealth', () => this.options.listener.onHealth({ ...next }));
  }

  /** Calls the core; its exceptions are logged, never allowed to stop the line (or the process). */
  private tell(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.logger?.warn({ lineId: this.lineId, err }, `line ${this.lineId}: listener ${what} threw`);
    }
  }

  private clearTimers(): void {
    if (this.retryTimer !== undefined) this.options.clock.clearTimeout(this.retryTimer);
    if (this.pollTimer !== undefined) this.options.clock.clearTimeout(this.pollTimer);
    this.retryTimer = undefined;
    this.pollTimer = undefined;
  }
}
