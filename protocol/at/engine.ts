// The AT command engine for one modem line (DTE side). One command in flight; everything else the modem says is
// sorted into: this command's answer, its final result, an unsolicited result code, or stray output.
//
// The rules (docs/at.md has the long form):
// 1. A line right after a URC that carries a body (+CMT, +CDS, +CBM) is that body, whatever it looks like (in
//    PDU mode, whatever it looks like but a URC, a final result or a vendor's unsolicited line: a PDU line is hex).
// 2. A line right after an answer line of a command with `bodyAfterPrefix` (+CMGR, +CMGL) is the answer's body,
//    unless it is a final result, another prefixed answer line, a URC or a vendor's unsolicited line (^RSSI:15):
//    a PDU line is hex, never one of those. A URC is delivered and the body still awaited.
// 3. A final result ends the command in flight. Call-progress words (NO CARRIER, BUSY, ...) are finals only for
//    dial/answer commands; otherwise, and when idle, they are URCs.
// 4. A line starting with one of the command's prefixes is its answer (unless `isAnswer` says no).
// 5. The echo of the command (or of the PDU body) is dropped.
// 6. A line in the URC table is delivered to subscribers.
// 7. Anything else is the answer of a command without prefixes, or else stray output (reported, then dropped).
// After a timeout or a cancel of the command in flight the modem may still answer; so the engine resynchronises
// before the next command: it sends a probe, waits for its answer, then waits until the line has been quiet for
// `settleMs`. Finals arriving outside a command are dropped, so a late answer is never taken for the next one.
// The probe is a query whose answer can be recognised (`AT+CMEE?` -> `+CMEE: 1`, then OK), when the owner gives
// one: a modem answers in order, so once the probe's own answer is in, every late answer before it is too. A bare
// `AT` (the default) is satisfied by any final, a late one included (docs/at.md "Timeouts and resynchronisation").
// When every probe meets silence the queue goes on *out of step*: those probes are owed, and each command's final
// is confirmed by a probe not owed before it is handed out; the command's own final is the last one before that
// probe's answer line (docs/at.md "Out of step").

import { systemClock, type Clock, type TimerHandle } from '../time/clock.js';
import type { AtCommand, CommandOptions } from './command.js';
import { finalResultRow, parseFinalResult, type FinalResult } from './final-results.js';
import { LineSplitter, type SplitterStats } from './line-splitter.js';
import type { Transport } from './transport.js';
import { urcRow } from './urc-table.js';

/** How a command ended. The promise of a command always resolves with one of these; it never rejects. */
export type AtResult =
  | {
      readonly status: 'final';
      readonly command: string;
      /** `final.success`: OK or CONNECT. */
      readonly ok: boolean;
      readonly final: FinalResult;
      /** Information lines of the answer, in order (echo, URCs and the final excluded). */
      readonly lines: readonly string[];
      /**
       * `prompt`: a two-step command's final that came before its `> ` (an error, or a stray OK of a line out of
       * step): its body was never written, the modem was not given it. Absent otherwise.
       */
      readonly phase?: 'prompt';
    }
  | {
      readonly status: 'timeout';
      readonly command: string;
      readonly ok: false;
      /** `prompt`: no `> ` came for a two-step command; `answer`: no final came. */
      readonly phase: 'prompt' | 'answer';
      readonly lines: readonly string[];
    }
  | {
      /** cancelled: by the caller; closed: the engine closed; transport-error: the write failed; rejected: bad command text. */
      readonly status: 'cancelled' | 'closed' | 'transport-error' | 'rejected';
      readonly command: string;
      readonly ok: false;
      readonly lines: readonly string[];
      readonly reason: string;
      /**
       * A two-step command that was in flight (cancelled, closed, or its write failed: a USB modem unplugged
       * mid-write may have taken the bytes): `answer` once its body was written (after the `> `), when the
       * modem may have acted on it (an AT+CMGS whose SMS may have left); `prompt` before. Absent otherwise.
       */
      readonly phase?: 'prompt' | 'answer';
    };

/** An unsolicited result code, as delivered to subscribers. */
export interface Urc {
  /** Name from the URC table, e.g. `RING`, `+CLIP`, `+CMT`, `NO CARRIER`. */
  readonly name: string;
  readonly line: string;
  /** The following line, for URCs that carry one (+CMT, +CDS, +CBM). */
  readonly body?: string;
}

/** Reported when the modem stopped answering: `consecutiveTimeouts` reached the threshold. */
export interface UnresponsiveEvent {
  readonly consecutiveTimeouts: number;
  readonly lastCommand: string;
}

/** A queued or running command. */
export interface PendingCommand {
  readonly id: number;
  readonly command: string;
  /** Resolves once, with the outcome; never rejects. */
  readonly result: Promise<AtResult>;
  /** Cancels it (queued: removed; in flight: abandoned, the line is resynchronised). No effect once resolved. */
  cancel(): void;
  /** True while it waits in the queue (not yet written to the modem). */
  readonly queued: boolean;
}

/**
 * A resynchronisation probe whose answer can be told from any other command's: a query answered with a line that
 * starts with `prefix` before its final (`AT+CMEE?` -> `+CMEE: 1`, `OK`). Not an unsolicited code's prefix.
 */
export interface AtProbe {
  readonly command: string;
  readonly prefix: string;
}

/** Engine settings; all times in ms. */
export interface AtEngineOptions {
  readonly clock?: Clock;
  /** Default answer timeout (default 5000). */
  readonly timeoutMs?: number;
  /** Default prompt timeout for two-step commands (default 5000). */
  readonly promptTimeoutMs?: number;
  /** Timeout of each resynchronisation probe (default 1000). */
  readonly probeTimeoutMs?: number;
  /**
   * Recognisable probes, used in turn (so two probes in a row differ, and a late answer to the first cannot pass
   * for the second's); one equal to the command being given up is skipped. Default none: a bare `AT`, which any
   * final satisfies. A modem that answers the probes, but never with their answer line (two resynchronisations so,
   * and no answer line ever seen), is probed with `AT` from then on.
   */
  readonly probes?: readonly AtProbe[];
  /** Resynchronisation probes tried before giving the queue another go (default 2). */
  readonly maxProbes?: number;
  /** Quiet time after a successful probe before the next command (default 100; at most 10x this in all). */
  readonly settleMs?: number;
  /** Consecutive timeouts (commands and probes) that make the line unresponsive (default 3). */
  readonly unresponsiveAfter?: number;
  /** Longest line kept (default 4096 bytes). */
  readonly maxLineBytes?: number;
  /**
   * Most bytes of answer lines kept for one command (default 1 MiB). A modem's longest answer is a full
   * `AT+CMGL` listing (a few hundred stored PDUs: under 200 KB); a device spewing lines without end (a broken
   * modem, a wrong device behind a serial server) grew the gateway by about 100 MB a second until the command's
   * timeout. Past this the command is given up as if it had timed out (`answerOverflows` counts it).
   */
  readonly maxAnswerBytes?: number;
}

/** Counters for logs and /metrics. */
export interface AtEngineStats {
  commands: number;
  finals: number;
  timeouts: number;
  cancelled: number;
  urcs: number;
  echoes: number;
  strayLines: number;
  strayFinals: number;
  strayPrompts: number;
  writeErrors: number;
  listenerErrors: number;
  probes: number;
  /** Commands given up because their answer lines passed `maxAnswerBytes` (also counted in `timeouts`). */
  answerOverflows: number;
  readonly splitter: SplitterStats;
}

type Job = {
  readonly id: number;
  readonly line: string;
  readonly upper: string;
  readonly options: CommandOptions;
  readonly callProgress: boolean;
  readonly resolve: (r: AtResult) => void;
  readonly lines: string[];
  /** Characters of `lines` so far, against `maxAnswerBytes`. */
  kept: number;
  phase: 'prompt' | 'answer';
  expectBody: boolean;
  timer: TimerHandle | undefined;
};

type State = 'idle' | 'command' | 'confirm' | 'probe' | 'settle' | 'closed';

/**
 * The probe being waited for: its query (undefined: bare `AT`), whether its answer line came yet, and the late
 * finals (not its own) seen since it was written and since its timer was last armed. `ahead`: probes of the same
 * query written before it in this resynchronisation whose answer lines have not come; the modem answers in order,
 * so the next `ahead` answer lines of the query are theirs, not this probe's.
 */
type ProbeRun = { readonly kind: AtProbe | undefined; answerSeen: boolean; finals: number; finalsSinceArmed: number; ahead: number };

/** A probe written and not answered when its resynchronisation ended in silence: its answer may still come. */
type OwedProbe = { readonly kind: AtProbe; readonly until: number };

/** The answer lines and the final of one command, as the modem gave them in order (a confirmation's reading). */
type Segment = { readonly lines: string[]; final: FinalResult | undefined; /** the final of a probe owed */ owed: boolean };

/**
 * A command's final that came while the line was out of step (`unsynced`), held until a probe confirms whose it
 * was: every final before the probe's answer line is a late one or the command's own, and the command's own is
 * the last of them (the modem answers in order, and the command was written before the probe).
 */
type ConfirmRun = {
  readonly job: Job;
  readonly kind: AtProbe;
  readonly segments: Segment[];
  open: Segment;
  finalsSinceArmed: number;
  readonly until: number;
  /** Segments from this index came after an owed probe's answer (so after the late answers): undefined, none yet. */
  afterOwed: number | undefined;
};

const CTRL_Z = 0x1a;
const ESC = 0x1b;
const encoder = new TextEncoder();
/** Lines a vendor sends on its own that the URC table does not know: `^RSSI:15`, `^BOOT:...`, `+QIND: ...`, `^SYSSTART`. */
const VENDOR_UNSOLICITED = /^[+^*#$%][A-Z]/i;
const isUnsolicitedOrFinal = (line: string): boolean =>
  urcRow(line) !== undefined || finalResultRow(line) !== undefined || VENDOR_UNSOLICITED.test(line);
/** A PDU line: hex digits only (an odd count is still taken, for the parser to call corrupt). */
const HEX_LINE = /^[0-9A-Fa-f]+$/;
/**
 * The PDU-mode header of a URC with a body: `+CMT: [<alpha>],<length>` (or `+CMT: <length>`, the <alpha> field
 * left out: Cinterion PHS8-P), `+CDS: <length>`, `+CBM: <length>`.
 */
const PDU_MODE_HEADER = /^(?:\+CMT:\s*(?:(?:"[^"]*")?\s*,\s*)?\d+|\+CDS:\s*\d+|\+CBM:\s*\d+)\s*$/;

/**
 * Drives one modem over a {@link Transport}. Never throws on anything the modem sends; every command resolves
 * (final, timeout, cancel, close), and the time it can wait is bounded by its timeouts.
 */
export class AtEngine {
  readonly stats: AtEngineStats;
  private readonly clock: Clock;
  private readonly splitter: LineSplitter;
  private readonly detach: () => void;
  private readonly queue: Job[] = [];
  private readonly urcListeners = new Set<(urc: Urc) => void>();
  private readonly strayListeners = new Set<(line: string) => void>();
  private readonly unresponsiveListeners = new Set<(e: UnresponsiveEvent) => void>();
  private state: State = 'idle';
  private current: Job | undefined;
  private urcAwaitingBody: { name: string; line: string; pdu: boolean } | undefined;
  private timer: TimerHandle | undefined;
  private probesLeft = 0;
  private readonly probeKinds: readonly AtProbe[];
  /** The next probe kind to use (cycles across resynchronisations, so consecutive probes differ). */
  private probeTurn = 0;
  private probe: ProbeRun | undefined;
  /** The command given up at the start of this resynchronisation (a probe equal to it is skipped). */
  private abandoned = '';
  /** A final came during this resynchronisation that was not a recognisable probe's answer. */
  private resyncFinalSeen = false;
  /** A probe that keeps seeing late answers is waited for until then (it is not replaced). */
  private resyncUntil = 0;
  /** Set once a probe's answer line was seen: the modem knows the probes. */
  private probesAnswered = false;
  /** Resynchronisations that ended on finals without any probe's answer line, none recognised yet (onProbeTimeout). */
  private unrecognisedResyncs = 0;
  /** Set when the modem answered probes without their answer line: bare `AT` from then on. */
  private plainProbe = false;
  /**
   * The line is out of step: a resynchronisation ended with every probe met by silence, so the answers to the
   * command given up and to the probes may still come, and the next final may be one of them. Until a probe's
   * answer line is seen again, each command's final is confirmed by a probe before it is handed out.
   */
  private unsynced = false;
  /** The probes of that resynchronisation: a late answer line of theirs is known, and they are not reused. */
  private owed: OwedProbe[] = [];
  /** Probes written in the resynchronisation under way. */
  private readonly resyncProbes: AtProbe[] = [];
  /** In a command while unsynced: an owed probe's answer line came, so the next final is that probe's. */
  private owedFinalNext = false;
  /** In a command while unsynced: an owed probe's answer came (every final after it is past the late answers). */
  private owedSeenInJob = false;
  private confirm: ConfirmRun | undefined;
  private consecutiveTimeouts = 0;
  private reportedUnresponsive = false;
  private lastCommand = '';
  private nextId = 1;
  private readonly inbox: Uint8Array[] = [];
  private draining = false;
  private settleUntil = 0;
  private readonly cfg: Required<Omit<AtEngineOptions, 'clock' | 'maxLineBytes' | 'probes'>>;

  constructor(
    private readonly transport: Transport,
    options: AtEngineOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.probeKinds = (options.probes ?? []).map((p) => ({ command: p.command, prefix: p.prefix }));
    this.cfg = {
      timeoutMs: options.timeoutMs ?? 5000,
      promptTimeoutMs: options.promptTimeoutMs ?? 5000,
      probeTimeoutMs: options.probeTimeoutMs ?? 1000,
      maxProbes: Math.max(1, options.maxProbes ?? 2),
      settleMs: options.settleMs ?? 100,
      unresponsiveAfter: Math.max(1, options.unresponsiveAfter ?? 3),
      maxAnswerBytes: Math.max(1, options.maxAnswerBytes ?? 1 << 20),
    };
    this.splitter = new LineSplitter(
      (e) => (e.kind === 'line' ? this.onLine(e.text) : this.onPrompt()),
      options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes },
    );
    this.stats = {
      commands: 0,
      finals: 0,
      timeouts: 0,
      cancelled: 0,
      urcs: 0,
      echoes: 0,
      strayLines: 0,
      strayFinals: 0,
      strayPrompts: 0,
      writeErrors: 0,
      listenerErrors: 0,
      probes: 0,
      answerOverflows: 0,
      splitter: this.splitter.stats,
    };
    this.detach = transport.onData((bytes) => this.receive(bytes));
  }

  /** Queues a command (a line like `AT+CSQ`, or an {@link AtCommand} from a builder). */
  enqueue(command: string | AtCommand, options: CommandOptions = {}): PendingCommand {
    const line = typeof command === 'string' ? command : command.line;
    const opts = typeof command === 'string' ? options : { ...command.options, ...options };
    const id = this.nextId++;
    let resolve!: (r: AtResult) => void;
    const result = new Promise<AtResult>((r) => (resolve = r));
    const queue = this.queue;
    const pending: PendingCommand = {
      id,
      command: line,
      result,
      cancel: () => this.cancel(id),
      get queued() {
        return queue.some((j) => j.id === id);
      },
    };
    const bad = invalidCommand(line, opts);
    if (bad !== undefined || this.state === 'closed') {
      const status = bad !== undefined ? 'rejected' : 'closed';
      resolve({ status, command: line, ok: false, lines: [], reason: bad ?? 'engine closed' });
      return pending;
    }
    const upper = line.toUpperCase();
    const callProgress = opts.callProgress ?? /^AT[DAO]/.test(upper);
    let settled = false;
    const once = (r: AtResult): void => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const job: Job = { id, line, upper, options: opts, callProgress, resolve: once, lines: [], kept: 0, phase: 'answer', expectBody: false, timer: undefined };
    const behind = opts.urgent === true ? this.queue.findIndex((j) => j.options.urgent !== true) : -1;
    if (behind >= 0) this.queue.splice(behind, 0, job);
    else this.queue.push(job);
    this.stats.commands++;
    this.pump();
    return pending;
  }

  /** Runs a command and resolves with its outcome (never rejects). */
  send(command: string | AtCommand, options: CommandOptions = {}): Promise<AtResult> {
    return this.enqueue(command, options).result;
  }

  /** Subscribes to unsolicited result codes; returns the unsubscribe function. */
  onUrc(listener: (urc: Urc) => void): () => void {
    this.urcListeners.add(listener);
    return () => this.urcListeners.delete(listener);
  }

  /** Subscribes to stray lines (neither an answer nor a known URC; late answers); returns the unsubscribe function. */
  onStray(listener: (line: string) => void): () => void {
    this.strayListeners.add(listener);
    return () => this.strayListeners.delete(listener);
  }

  /** Subscribes to "the modem stopped answering" (once per run of timeouts); returns the unsubscribe function. */
  onUnresponsive(listener: (e: UnresponsiveEvent) => void): () => void {
    this.unresponsiveListeners.add(listener);
    return () => this.unresponsiveListeners.delete(listener);
  }

  /** Number of commands waiting (not counting the one in flight). */
  get queued(): number {
    return this.queue.length;
  }

  /** True while a command is in flight or the line is being resynchronised. */
  get busy(): boolean {
    return this.state !== 'idle' && this.state !== 'closed';
  }

  /** Cancels every queued command and the one in flight. */
  cancelAll(): void {
    for (const job of [...this.queue]) this.cancel(job.id);
    if (this.current !== undefined) this.cancel(this.current.id);
  }

  /** Resolves everything pending with `closed`, stops all timers, and closes the transport. */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.clearTimer();
    const inFlight = this.current;
    const jobs = inFlight === undefined ? [...this.queue] : [inFlight, ...this.queue];
    this.queue.length = 0;
    this.current = undefined;
    for (const job of jobs) {
      if (job.timer !== undefined) this.clock.clearTimeout(job.timer);
      job.resolve({ status: 'closed', command: job.line, ok: false, lines: job.lines, reason: 'engine closed', ...(job === inFlight ? this.twoStepPhase(job) : {}) });
    }
    this.detach();
    try {
      void Promise.resolve(this.transport.close()).catch(() => undefined);
    } catch {
      this.stats.writeErrors++;
    }
  }

  // --- queue -------------------------------------------------------------------------------------------------

  private pump(): void {
    if (this.state !== 'idle') return;
    let job: Job | undefined;
    while ((job = this.queue.shift()) !== undefined) {
      const unwanted = job.options.stillWanted?.();
      if (unwanted === undefined) break;
      this.stats.cancelled++;
      job.resolve({ status: 'cancelled', command: job.line, ok: false, lines: [], reason: unwanted });
    }
    if (job === undefined) return;
    this.state = 'command';
    this.current = job;
    this.lastCommand = job.line;
    this.owedFinalNext = false;
    this.owedSeenInJob = false;
    const twoStep = job.options.body !== undefined;
    job.phase = twoStep ? 'prompt' : 'answer';
    const ms = twoStep
      ? (job.options.promptTimeoutMs ?? this.cfg.promptTimeoutMs)
      : (job.options.timeoutMs ?? this.cfg.timeoutMs);
    job.timer = this.clock.setTimeout(() => this.onCommandTimeout(job), ms);
    this.write(encoder.encode(job.line + '\r'), job);
  }

  private cancel(id: number): void {
    const i = this.queue.findIndex((j) => j.id === id);
    if (i >= 0) {
      const [job] = this.queue.splice(i, 1) as [Job];
      this.stats.cancelled++;
      job.resolve({ status: 'cancelled', command: job.line, ok: false, lines: job.lines, reason: 'cancelled while queued' });
      return;
    }
    const job = this.current;
    if (job === undefined || job.id !== id) return;
    if (job.phase === 'prompt') this.write(Uint8Array.of(ESC));
    this.stats.cancelled++;
    this.finish(job, { status: 'cancelled', command: job.line, ok: false, lines: job.lines, reason: 'cancelled in flight', ...this.twoStepPhase(job) });
    this.startResync();
  }

  /** `{phase}` of a two-step command in flight (AtResult's `phase`: was its body written?), else nothing. */
  private twoStepPhase(job: Job): { phase?: 'prompt' | 'answer' } {
    return job.options.body !== undefined ? { phase: job.phase } : {};
  }

  private finish(job: Job, result: AtResult): void {
    if (job.timer !== undefined) this.clock.clearTimeout(job.timer);
    job.timer = undefined;
    if (this.current === job) this.current = undefined;
    job.resolve(result);
  }

  private onCommandTimeout(job: Job): void {
    if (this.current !== job) return;
    job.timer = undefined;
    if (job.phase === 'prompt') this.write(Uint8Array.of(ESC));
    this.stats.timeouts++;
    this.finish(job, { status: 'timeout', command: job.line, ok: false, phase: job.phase, lines: job.lines });
    this.countTimeout();
    this.startResync();
  }

  /**
   * Keeps an answer line of `job` (in `lines`: its own, or a confirmation's segment); false once its answer has
   * passed maxAnswerBytes, when the command is given up as a timeout would give it up: no modem answers so much,
   * and a device that spews lines without end must not grow the gateway until the command's timeout.
   */
  private keep(job: Job, lines: string[], line: string): boolean {
    job.kept += line.length + 2;
    if (job.kept <= this.cfg.maxAnswerBytes) {
      lines.push(line);
      return true;
    }
    this.stats.answerOverflows++;
    this.onCommandTimeout(job);
    return false;
  }

  // --- resynchronisation ---------------------------------------------------------------------------------------

  private startResync(): void {
    if (this.state === 'closed') return;
    this.probesLeft = this.cfg.maxProbes;
    this.abandoned = this.lastCommand.toUpperCase();
    this.resyncFinalSeen = false;
    this.resyncProbes.length = 0;
    this.confirm = undefined;
    this.owedFinalNext = false;
    this.resyncUntil = this.clock.now() + 10 * this.cfg.probeTimeoutMs;
    this.sendProbe();
  }

  /**
   * The next recognisable probe, if any: not the command given up (its late answer would look like the probe's),
   * and, where another kind is left, not a probe still owed (its late answer would too). `strict`: undefined
   * rather than an owed kind (a confirmation must be certain).
   */
  private nextProbeKind(avoid = this.abandoned, strict = false): AtProbe | undefined {
    if (this.plainProbe) return undefined;
    const now = this.clock.now();
    this.owed = this.owed.filter((o) => o.until > now);
    const kinds = this.probeKinds;
    for (const skipOwed of strict ? [true] : [true, false]) {
      for (let i = 0; i < kinds.length; i++) {
        const kind = kinds[(this.probeTurn + i) % kinds.length] as AtProbe;
        if (kind.command.toUpperCase() === avoid) continue;
        if (skipOwed && this.owed.some((o) => o.kind === kind)) continue;
        this.probeTurn = (this.probeTurn + i + 1) % kinds.length;
        return kind;
      }
    }
    return undefined;
  }

  /**
   * The owed probe `line` is an answer of, or -1. Not one that `job` asks itself (the handset console's owner sends
   * AT+TSINFO?, its probe): there the line is the command's own as much as the probe's, and taken for the probe's
   * it would make the command skip its own final (the probes lost, not late).
   */
  private owedAnswerOf(job: Job, line: string): number {
    return this.owed.findIndex(
      (o) => line.startsWith(o.kind.prefix) && o.kind.command.toUpperCase() !== job.upper && job.options.prefixes?.includes(o.kind.prefix) !== true,
    );
  }

  /** Out of step: this resynchronisation's probes are owed (their answers may still come) for 10 probe timeouts. */
  private outOfStep(): void {
    const until = this.clock.now() + 10 * this.cfg.probeTimeoutMs;
    for (const kind of this.resyncProbes) if (!this.owed.some((o) => o.kind === kind)) this.owed.push({ kind, until });
    this.unsynced = true;
  }

  /** In step again: a probe's own answer line came, so every answer written before it is in. */
  private synced(): void {
    this.unsynced = false;
    this.owed = [];
    this.owedFinalNext = false;
  }

  private sendProbe(): void {
    this.state = 'probe';
    this.probesLeft--;
    this.stats.probes++;
    const kind = this.nextProbeKind();
    // With one probe query (the handset console's AT+TSINFO?) a second probe repeats the first: when the first
    // met no answer in its time because the line was still slowly sending the late answer given up, that answer's
    // final, the first probe's answer line and final, then the second's all come, in that order. Taken for the
    // second's, the first probe's answer left the second's OK to the next command: AT+TSCFG? answered with it,
    // an empty configuration, its own +TSCFG: lines stray. Every probe before it in this resynchronisation is
    // unanswered (an answered one ends the resynchronisation), so those of the same query are answered first.
    const ahead = kind === undefined ? 0 : this.resyncProbes.filter((k) => k === kind).length;
    if (kind !== undefined) this.resyncProbes.push(kind);
    this.probe = { kind, answerSeen: false, finals: 0, finalsSinceArmed: 0, ahead };
    this.setTimer(this.cfg.probeTimeoutMs, () => this.onProbeTimeout());
    // ESC first, as gammu does at every start: a modem left in SMS text entry (a `> ` prompt we never saw, a
    // command that noise turned into AT+CMGW, a gateway killed between AT+CMGS's prompt and its Ctrl-Z) takes
    // every byte as message text, this probe included, and no probe would ever get an answer. ESC ends text
    // entry without sending; in command mode a modem ignores it (V.250: only a line starting "AT" is a
    // command). Only here, never before a command: a probe runs when no command is in flight.
    this.write(encoder.encode(`\x1b${kind?.command ?? 'AT'}\r`));
  }

  private onProbeTimeout(): void {
    const probe = this.probe as ProbeRun;
    if (probe.finalsSinceArmed > 0 && this.clock.now() < this.resyncUntil) {
      // Late answers came in its time, and a modem answers in order: it is working through what it was sent
      // before the probe (a link slower than the probe timeout). Another probe now would only queue behind this
      // one, and this one's answer would be taken for it; so this probe is given another probe timeout.
      probe.finalsSinceArmed = 0;
      this.setTimer(this.cfg.probeTimeoutMs, () => this.onProbeTimeout());
      return;
    }
    // A probe that got a final (someone else's: a late answer) was not met with silence: not a timeout.
    if (probe.finals === 0) this.countTimeout();
    if (this.probesLeft > 0) {
      this.sendProbe();
    } else if (this.resyncFinalSeen) {
      // The modem answers, but never with a probe's answer line. Late answers may still be on their way (a link
      // slower than the probe timeout), or the modem does not know the probe's query (it answers ERROR). If no
      // probe was ever recognised on this line, and twice in a row (noise can damage both answer lines once),
      // take the second: bare `AT` from now on, as without probes.
      if (!this.probesAnswered && this.probeKinds.length > 0 && ++this.unrecognisedResyncs >= 2) this.plainProbe = true;
      // A modem that has answered probes before knows them: theirs are late (a link slower than the probes), still
      // to come, and would be taken for the next commands' answers. Out of step, as after silence.
      if (this.probesAnswered && this.probeKinds.length > 0 && !this.plainProbe) {
        this.outOfStep();
      }
      this.answered();
      this.settle();
    } else {
      // The line is silent; let the queue go on (each command still times out on its own, so all resolve). The
      // answers to what was given up and to the probes may still come (a modem busy for longer than the probes,
      // a link slower than them), so until a probe's answer line is seen the line is out of step: each final is
      // confirmed before it is handed out (startConfirm).
      if (this.probeKinds.length > 0 && !this.plainProbe) {
        this.outOfStep();
      }
      this.state = 'idle';
      this.pump();
    }
  }

  // --- confirmation while out of step ----------------------------------------------------------------------------

  /**
   * Holds `job`'s first final and writes a probe not owed. The modem answers in order: whatever finals come before
   * that probe's answer line were late ones or the command's own, and the command's own is the last of them. So a
   * late OK taken for a refused ATH is put right, and a command's own OK, when the earlier answers were lost rather
   * than late, is still its own. Returns false when no probe kind is free (the final is handed out as it is).
   */
  private startConfirm(job: Job, final: FinalResult): boolean {
    const kind = this.nextProbeKind(job.upper, true);
    if (kind === undefined) return false;
    if (job.timer !== undefined) this.clock.clearTimeout(job.timer);
    job.timer = undefined;
    const first: Segment = { lines: [...job.lines], final, owed: false };
    this.confirm = { job, kind, segments: [first], open: { lines: [], final: undefined, owed: false }, finalsSinceArmed: 0, until: this.clock.now() + 10 * this.cfg.probeTimeoutMs, afterOwed: this.owedSeenInJob ? 0 : undefined };
    this.state = 'confirm';
    this.stats.probes++;
    this.setTimer(this.cfg.probeTimeoutMs, () => this.onConfirmTimeout());
    this.write(encoder.encode(`\x1b${kind.command}\r`));
    return true;
  }

  /** The command's answer by the confirmation so far: the last final that was not an owed probe's (or `own`). */
  private confirmed(run: ConfirmRun, own = run.segments.findLast((s) => !s.owed) ?? (run.segments[0] as Segment)): AtResult {
    const final = own.final as FinalResult;
    return { status: 'final', command: run.job.line, ok: final.success, final, lines: own.lines };
  }

  private onConfirmLine(line: string): void {
    const run = this.confirm as ConfirmRun;
    const job = run.job;
    // A PDU line with the next entry's header glued to it is two lines, as in onCommandLine (else the glued line
    // is stray, and the next PDU line is taken for the first entry's: a message listed at the wrong index).
    const last = run.open.lines.at(-1);
    const bodyDue = job.options.bodyAfterPrefix === true && last !== undefined && job.options.prefixes?.some((p) => last.startsWith(p)) === true;
    const glued = bodyDue ? gluedAnswerAt(line, job.options.prefixes) : -1;
    if (glued > 0) {
      this.onConfirmLine(line.slice(0, glued));
      this.onConfirmLine(line.slice(glued));
      return;
    }
    const row = finalResultRow(line);
    if (row !== undefined && (!row.callProgress || job.callProgress)) {
      run.open.final = parseFinalResult(line) as FinalResult;
      run.segments.push(run.open);
      if (run.open.owed) run.afterOwed = run.segments.length;
      run.open = { lines: [], final: undefined, owed: false };
      run.finalsSinceArmed++;
      this.stats.finals++;
      return;
    }
    if (line.startsWith(run.kind.prefix)) {
      // Its own answer line: everything written before it has been answered. The probe's OK follows (a probe run
      // whose answer was seen: onProbeLine settles on it).
      this.synced();
      this.probesAnswered = true;
      this.answered();
      this.confirm = undefined;
      this.finish(job, this.confirmed(run));
      this.probesLeft = 0;
      this.resyncFinalSeen = true;
      this.probe = { kind: run.kind, answerSeen: true, finals: 0, finalsSinceArmed: 0, ahead: 0 };
      this.state = 'probe';
      this.setTimer(this.cfg.probeTimeoutMs, () => this.onProbeTimeout());
      return;
    }
    const owed = this.owedAnswerOf(job, line);
    if (owed >= 0) {
      this.owed.splice(owed, 1);
      this.probesAnswered = true;
      run.open.owed = true;
      this.stray(line);
      return;
    }
    const echo = (line.charCodeAt(0) === ESC ? line.slice(1) : line).toUpperCase();
    if (echo === run.kind.command.toUpperCase() || this.isEcho(job, line)) {
      if (echo === run.kind.command.toUpperCase()) this.stats.echoes++;
      return;
    }
    if (run.open.owed && !isUnsolicitedOrFinal(line)) {
      // In the place of the owed probe's final (right after its answer line), a line that is not a final: that
      // final, damaged by noise. It ends the owed probe's answer, so the next final is not taken for it (and, as
      // a final would, shows the modem still working through what was written before the probe).
      run.segments.push(run.open);
      run.afterOwed = run.segments.length;
      run.open = { lines: [], final: undefined, owed: false };
      run.finalsSinceArmed++;
      this.stats.strayFinals++;
      this.stray(line);
      return;
    }
    // The command's own answer lines as onCommandLine takes them (its prefixes first: a +CSQ: line is also an
    // unsolicited code); the rest is a URC or stray.
    const prefixes = job.options.prefixes;
    const own = prefixes === undefined ? ownPrefix(job.line) : null;
    if (
      (prefixes !== undefined && prefixes.some((p) => line.startsWith(p)) && job.options.isAnswer?.(line) !== false) ||
      (job.options.bodyAfterPrefix === true && last !== undefined && prefixes?.some((p) => last.startsWith(p)) === true && HEX_LINE.test(line)) ||
      (own !== null && line.startsWith(own))
    ) {
      this.keep(job, run.open.lines, line);
      return;
    }
    if (this.tryUrc(line)) return;
    if (prefixes === undefined) this.keep(job, run.open.lines, line);
    else this.stray(line);
  }

  private onConfirmTimeout(): void {
    const run = this.confirm as ConfirmRun;
    if (run.finalsSinceArmed > 0 && this.clock.now() < run.until) {
      // Late answers are still coming in order: the probe's is behind them.
      run.finalsSinceArmed = 0;
      this.setTimer(this.cfg.probeTimeoutMs, () => this.onConfirmTimeout());
      return;
    }
    // No answer line from the probe: it is owed now, the line stays out of step, and the command's final is read
    // from the order of the finals (below). Finals came after it but not its answer line: the modem may not know
    // the probe queries (it answers them ERROR), so, as for a resynchronisation that ends so (onProbeTimeout), twice
    // with no probe's answer line ever seen makes it bare `AT`, and nothing is confirmed any more (a line out of
    // step for good would otherwise cost every command a probe's time).
    if (run.segments.length > 1 && !this.probesAnswered && ++this.unrecognisedResyncs >= 2) this.plainProbe = true;
    this.owed.push({ kind: run.kind, until: this.clock.now() + 10 * this.cfg.probeTimeoutMs });
    this.confirm = undefined;
    this.answered();
    // Once an owed probe's answer came, the late answers are in, and the modem answers in order: the first final
    // after it is the command's own. A later one is the probe's, answered without its answer line (a modem that
    // does not know AT+CMGF? answers ERROR; noise damaged +CMGF: 0), not to be handed out for the command.
    // With no owed answer seen (the probes were lost, or the modem answers them without their lines), the probe's
    // final, when it came, is the last: the command's own is the one before it. Only one final: the command's.
    const candidates = run.segments.filter((s) => !s.owed && s.final !== undefined);
    const own =
      run.afterOwed === undefined
        ? candidates.at(candidates.length >= 2 ? -2 : 0)
        : run.segments.slice(run.afterOwed).find((s) => !s.owed && s.final !== undefined);
    this.finish(run.job, this.confirmed(run, own));
    this.state = 'idle';
    this.pump();
  }

  /** Starts the quiet period after a successful probe; it lasts at most 10 x settleMs (a chatty modem cannot starve the queue). */
  private settle(): void {
    this.state = 'settle';
    this.settleUntil = this.clock.now() + 10 * this.cfg.settleMs;
    this.armSettle();
  }

  /** (Re)arms the quiet-period timer: `settleMs` from now, but not past the hard limit. */
  private armSettle(): void {
    const ms = Math.max(0, Math.min(this.cfg.settleMs, this.settleUntil - this.clock.now()));
    this.setTimer(ms, () => {
      this.state = 'idle';
      this.pump();
    });
  }

  private countTimeout(): void {
    this.consecutiveTimeouts++;
    if (this.consecutiveTimeouts >= this.cfg.unresponsiveAfter && !this.reportedUnresponsive) {
      this.reportedUnresponsive = true;
      const e = { consecutiveTimeouts: this.consecutiveTimeouts, lastCommand: this.lastCommand };
      for (const l of [...this.unresponsiveListeners]) this.call(() => l(e));
    }
  }

  private answered(): void {
    this.consecutiveTimeouts = 0;
    this.reportedUnresponsive = false;
  }

  // --- input ---------------------------------------------------------------------------------------------------

  private onLine(line: string): void {
    const awaiting = this.urcAwaitingBody;
    // A PDU-mode body is hex: a URC, a final result or a vendor's unsolicited line (^RSSI:15) in its place is not it
    // (a RING let through between `+CMT: ,24` and its PDU would otherwise take the place of a message the modem
    // does not keep). It is handled as usual and the body is still awaited. Any other line is the body, even a PDU
    // line that noise made not hex (the parser calls it corrupt; waiting on would give the next PDU line, another
    // command's, to this URC). A text-mode body is taken whatever it says.
    if (awaiting !== undefined && !(awaiting.pdu && !HEX_LINE.test(line) && isUnsolicitedOrFinal(line))) {
      this.urcAwaitingBody = undefined;
      this.deliverUrc({ name: awaiting.name, line: awaiting.line, body: line });
      return;
    }
    switch (this.state) {
      case 'command':
        this.onCommandLine(this.current as Job, line);
        return;
      case 'confirm':
        this.onConfirmLine(line);
        return;
      case 'probe':
        this.onProbeLine(line);
        return;
      case 'settle':
        this.armSettle(); // any output restarts the quiet period
        this.onIdleLine(line);
        return;
      case 'idle':
        this.onIdleLine(line);
        return;
      case 'closed':
        return;
      default: {
        const never: never = this.state;
        return never;
      }
    }
  }

  private onCommandLine(job: Job, line: string): void {
    // A PDU line with the next entry's header glued to its end (`0791...D36D+CMGL: 2,0,,27`: gammu's
    // ATGEN_ReplyGetMessageList, "some phones corrupt output and do not put new line before +CMGL occasionally")
    // is two lines: taken whole, the first entry was corrupt and the second one's PDU line stray.
    const glued = job.expectBody ? gluedAnswerAt(line, job.options.prefixes) : -1;
    if (glued > 0) {
      this.onCommandLine(job, line.slice(0, glued));
      this.onCommandLine(job, line.slice(glued));
      return;
    }
    const row = finalResultRow(line);
    const isFinal = row !== undefined && (!row.callProgress || job.callProgress);
    const prefixes = job.options.prefixes;
    if (job.expectBody) {
      // The body of +CMGR/+CMGL is a PDU line (hex). A final result, an unsolicited code or another answer line
      // in its place is not the body: a modem that lets a RING or +CMTI through between the +CMGR: line and its
      // PDU would otherwise lose both (the URC taken as the PDU, the message then counted corrupt and left until
      // the next scan); `+CMGR: 0,,0` + OK for an empty slot would hold the command until its timeout; and a
      // +CMGL entry whose PDU line is empty (empty lines are dropped) would swallow the next entry at every scan.
      // A vendor's unsolicited line the URC table does not know (Huawei's periodic ^RSSI:15, ^BOOT:..., ^MODE:5,4)
      // is not the body either: it is stray, and the body is still awaited.
      const prefixed = prefixes !== undefined && prefixes.some((p) => line.startsWith(p));
      if (!isFinal && !prefixed && !HEX_LINE.test(line) && isUnsolicitedOrFinal(line)) {
        if (!this.tryUrc(line)) this.stray(line);
        return; // the body may still come after it
      }
      job.expectBody = false;
      if (!isFinal && !prefixed) {
        this.keep(job, job.lines, line);
        return;
      }
    }
    if (isFinal) {
      const final = parseFinalResult(line) as FinalResult;
      this.stats.finals++;
      this.answered();
      // Out of step: an owed probe's final (its answer line came just before) is not this command's; any other
      // is held until a probe confirms it (not in a two-step command's prompt phase: no probe before its body).
      if (this.owedFinalNext) {
        this.owedFinalNext = false;
        this.stats.strayFinals++;
        this.stray(line);
        return;
      }
      if (this.unsynced && job.phase === 'answer' && this.startConfirm(job, final)) return;
      const beforeBody = job.options.body !== undefined && job.phase === 'prompt';
      this.finish(job, { status: 'final', command: job.line, ok: final.success, final, lines: job.lines, ...(beforeBody && { phase: 'prompt' as const }) });
      this.state = 'idle';
      this.pump();
      return;
    }
    const upper = line.toUpperCase();
    if (this.owedFinalNext && !isUnsolicitedOrFinal(line) && upper !== job.upper && upper !== job.options.body?.toUpperCase()) {
      // An owed probe's final comes right after its answer line (the modem answers in order: nothing of this
      // command's between them). A line in its place that is not a final is that final, damaged by noise (`OJ`);
      // the command's own is still to come, and must not be skipped for it.
      this.owedFinalNext = false;
      this.stats.strayFinals++;
      this.stray(line);
      return;
    }
    const owed = this.unsynced ? this.owedAnswerOf(job, line) : -1;
    if (owed >= 0) {
      // A late answer to a probe of the resynchronisation that ended in silence: its final comes next.
      this.owed.splice(owed, 1);
      this.probesAnswered = true;
      this.owedFinalNext = true;
      this.owedSeenInJob = true;
      this.stray(line);
      return;
    }
    if (prefixes !== undefined && prefixes.some((p) => line.startsWith(p)) && job.options.isAnswer?.(line) !== false) {
      if (this.keep(job, job.lines, line) && job.options.bodyAfterPrefix === true) job.expectBody = true;
      return;
    }
    if (this.isEcho(job, line)) return;
    // A bare `AT+CSQ` without declared prefixes still owns its own `+CSQ:` lines, even where the same
    // prefix is also an unsolicited code; other unsolicited codes go to subscribers as usual.
    const own = prefixes === undefined ? ownPrefix(job.line) : null;
    if (own !== null && line.startsWith(own)) {
      this.keep(job, job.lines, line);
      return;
    }
    if (this.tryUrc(line)) return;
    if (prefixes === undefined) this.keep(job, job.lines, line);
    else this.stray(line);
  }

  private onProbeLine(line: string): void {
    const probe = this.probe as ProbeRun;
    const kind = probe.kind;
    if (finalResultRow(line) !== undefined && urcRow(line) === undefined) {
      if (kind === undefined || probe.answerSeen) {
        this.answered();
        this.settle();
        return;
      }
      // A final before the probe's answer line: a late answer to the command given up (or to an earlier probe).
      // The modem answers in order, so the probe's own answer is still to come.
      probe.finals++;
      probe.finalsSinceArmed++;
      this.resyncFinalSeen = true;
      this.stats.strayFinals++;
      this.stray(line);
      return;
    }
    if (kind !== undefined && line.startsWith(kind.prefix) && probe.ahead > 0) {
      // An earlier probe's answer line (same query, written first): its final, next, is a late one as well.
      probe.ahead--;
      this.probesAnswered = true;
      this.stray(line);
      return;
    }
    if (kind !== undefined && line.startsWith(kind.prefix)) {
      probe.answerSeen = true;
      this.probesAnswered = true;
      this.synced();
      return;
    }
    const echo = (line.charCodeAt(0) === ESC ? line.slice(1) : line).toUpperCase();
    if (echo === 'AT' || (kind !== undefined && echo === kind.command.toUpperCase())) {
      this.stats.echoes++;
      return;
    }
    if (!this.tryUrc(line)) this.stray(line);
  }

  private onIdleLine(line: string): void {
    if (this.tryUrc(line)) return;
    const owed = this.owed.findIndex((o) => line.startsWith(o.kind.prefix));
    if (owed >= 0) {
      this.owed.splice(owed, 1); // came at last: no longer to be avoided
      this.probesAnswered = true; // and the modem knows the probes (a slow link, not a modem that answers them ERROR)
    }
    if (finalResultRow(line) !== undefined) this.stats.strayFinals++;
    this.stray(line);
  }

  private onPrompt(): void {
    const job = this.current;
    if (this.state !== 'command' || job === undefined || job.phase !== 'prompt' || job.options.body === undefined) {
      // A prompt nobody asked for (e.g. late, after a two-step command timed out): the modem now takes whatever
      // comes as message text, our next command included. ESC gets it back to command mode. Not while another
      // command runs: any byte aborts an abortable command (V.250 5.6.1), and that could be an ATD to 999.
      this.stats.strayPrompts++;
      if (this.state === 'idle' || this.state === 'probe' || this.state === 'settle' || this.state === 'confirm') this.write(Uint8Array.of(ESC));
      return;
    }
    job.phase = 'answer';
    if (job.timer !== undefined) this.clock.clearTimeout(job.timer);
    job.timer = this.clock.setTimeout(() => this.onCommandTimeout(job), job.options.timeoutMs ?? this.cfg.timeoutMs);
    const body = encoder.encode(job.options.body);
    const bytes = new Uint8Array(body.length + 1);
    bytes.set(body);
    bytes[body.length] = CTRL_Z;
    this.write(bytes, job);
  }

  private isEcho(job: Job, line: string): boolean {
    const upper = line.toUpperCase();
    const echo = upper === job.upper || (job.options.body !== undefined && upper === job.options.body.toUpperCase());
    if (echo) this.stats.echoes++;
    return echo;
  }

  private tryUrc(line: string): boolean {
    const row = urcRow(line);
    if (row === undefined) return false;
    if (row.body) this.urcAwaitingBody = { name: row.name, line, pdu: PDU_MODE_HEADER.test(line) };
    else this.deliverUrc({ name: row.name, line });
    return true;
  }

  private deliverUrc(urc: Urc): void {
    this.stats.urcs++;
    for (const l of [...this.urcListeners]) this.call(() => l(urc));
  }

  private stray(line: string): void {
    this.stats.strayLines++;
    for (const l of [...this.strayListeners]) this.call(() => l(line));
  }

  // --- plumbing ------------------------------------------------------------------------------------------------

  /**
   * Input is processed strictly in arrival order, even when a transport delivers bytes synchronously from inside
   * `write` (an in-process simulator does): chunks arriving while one is being processed wait their turn.
   */
  private receive(bytes: Uint8Array): void {
    if (this.state === 'closed') return;
    this.inbox.push(bytes.slice());
    if (this.draining) return;
    this.draining = true;
    try {
      for (let chunk = this.inbox.shift(); chunk !== undefined; chunk = this.inbox.shift()) {
        if ((this.state as State) === 'closed') break;
        // Quiet means no bytes, not no lines: on a slow line an answer is under way long before its first line ends
        // (a bare AT probe's own OK behind the late final that satisfied it: 6 bytes, 120 ms at 50 bytes/s).
        if ((this.state as State) === 'settle') this.armSettle();
        this.splitter.push(chunk);
      }
    } finally {
      this.inbox.length = 0;
      this.draining = false;
    }
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch {
      this.stats.listenerErrors++;
    }
  }

  private setTimer(ms: number, fn: () => void): void {
    this.clearTimer();
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      fn();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Writes; a failure ends `job` (if it is still in flight) with `transport-error` and resynchronises. */
  private write(bytes: Uint8Array, job?: Job): void {
    const failed = (err: unknown): void => {
      this.stats.writeErrors++;
      if (job === undefined || this.current !== job || this.state === 'closed') return;
      const reason = err instanceof Error ? err.message : String(err);
      this.finish(job, { status: 'transport-error', command: job.line, ok: false, lines: job.lines, reason, ...this.twoStepPhase(job) });
      this.countTimeout();
      this.startResync();
    };
    try {
      const r = this.transport.write(bytes);
      if (r !== undefined) r.then(undefined, failed);
    } catch (err) {
      failed(err);
    }
  }
}

/** Why a command cannot be sent, or undefined. */
function invalidCommand(line: string, options: CommandOptions): string | undefined {
  if (!/^AT/i.test(line)) return 'a command line starts with AT';
  if (/[\x00-\x1f\x7f]/.test(line)) return 'a command line cannot contain control characters';
  if (options.body !== undefined && /[\x00-\x1f\x7f]/.test(options.body)) return 'the body cannot contain control characters';
  return undefined;
}

/** Where an answer line of `prefixes` starts after a run of hex digits in `line` (a PDU glued to it), or -1. */
function gluedAnswerAt(line: string, prefixes: readonly string[] | undefined): number {
  for (const p of prefixes ?? []) {
    const at = line.indexOf(p);
    if (at > 0 && HEX_LINE.test(line.slice(0, at))) return at;
  }
  return -1;
}

/** `AT+CSQ` -> `+CSQ:`, `AT+CREG?` -> `+CREG:`; null for basic commands (ATD, ATE0, ...). */
function ownPrefix(commandLine: string): string | null {
  const m = /^AT(\+[A-Z0-9]+)/i.exec(commandLine);
  return m === null ? null : `${(m[1] as string).toUpperCase()}:`;
}
