// The engineer's side of the handset's USB provisioning console (docs/firmware-sim-handset.md): one AtEngine
// (protocol/at) over an opened Port, one method per console command, each answering a typed reply. Nothing here
// throws for anything the handset or the line does; a closed port, a timeout, a refusal and a garbled answer
// are all `{ ok: false, failure }`.
//
//   > AT+TSINFO?
//   < +TSINFO: "TS-0001","1.0.0","356938035643809",0
//   < OK
//   > AT+TSAUTH=<128 hex>
//   < +TSREASON: "signature refused (1 of 3)"
//   < +CME ERROR: 16
//
// The report key goes out once, in AT+TSKEY=, and is never part of a failure, a log line or a label: failures
// name the command as `AT+TSKEY=<key>`.

import { AtEngine, type AtResult, type Parsed } from '../../protocol/at/index.js';
import { NmeaDecoder, type NmeaSentence } from '../../protocol/nmea/index.js';
import { systemClock, type Clock, type TimerHandle } from '../../protocol/time/clock.js';
import { toTransport, type Port } from '../ports/index.js';
import {
  parseTsAuthNonce,
  parseTsCfg,
  parseTsInfo,
  parseTsKey,
  parseTsLock,
  parseTsReason,
  parseTsSelfTest,
  type HandsetInfo,
  type SelfTestItem,
} from './responses.js';

/** Why a console command did not succeed. */
export type ConsoleFailure =
  /** The handset answered `+CME ERROR: <code>` (HandsetConsoleError), with its `+TSREASON` text. */
  | { readonly kind: 'refused'; readonly command: string; readonly code: number; readonly reason: string; readonly lockSeconds?: number }
  /** A bare `ERROR` (line too long, not an AT line) or another final. */
  | { readonly kind: 'error'; readonly command: string; readonly reason: string }
  /** No final result in time. */
  | { readonly kind: 'no-answer'; readonly command: string; readonly reason: string }
  /** The port closed (cable pulled, TCP connection gone) before the answer. */
  | { readonly kind: 'port-closed'; readonly command: string; readonly reason: string }
  /** An answer that does not decode. */
  | { readonly kind: 'garbled'; readonly command: string; readonly reason: string };

export type ConsoleReply<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ConsoleFailure };

/**
 * Timeouts, ms. A command's timeout runs from the last byte received (or from the command when nothing came):
 * a slow USB-serial line (about 50 bytes/s) takes longer than 5 s over a long answer such as AT+TSCFG?'s, and
 * the handset is answering all along. A line that keeps sending without ever finishing the answer fails after
 * `answerLimitMs`.
 */
export type HandsetConsoleOptions = {
  readonly clock?: Clock;
  /** Ordinary commands: silence allowed (default 5000). */
  readonly timeoutMs?: number;
  /** AT+TSSELFTEST: the handset waits up to 60 s for a GPS fix (default 90000). */
  readonly selfTestTimeoutMs?: number;
  /** Longest any answer may take in all, however steadily bytes come (default 60000, at least each timeout). */
  readonly answerLimitMs?: number;
  /**
   * Most bytes the port may deliver while one command runs (default 1 MiB; AT+TSCFG?'s answer, the longest, is a
   * few hundred bytes). A device that sends more is not a handset answering: the command fails (`garbled`) then.
   */
  readonly maxAnswerBytes?: number;
};

/** Live GPS from AT+TSGPS=1: every decoded sentence (the record is reused; copy what you keep). */
export type GpsStream = {
  /** Stops the stream (AT+TSGPS=0). */
  stop(): Promise<ConsoleReply<void>>;
  readonly decoder: NmeaDecoder;
};

const STATUS_PREFIXES = ['+TSREASON:', '+TSLOCK:'];

/** One handset's USB console (see the file comment). */
export class HandsetConsole {
  private readonly engine: AtEngine;
  private closedReason: string | undefined;
  private readonly timeoutMs: number;
  private readonly selfTestTimeoutMs: number;
  private readonly answerLimitMs: number;
  private readonly maxAnswerBytes: number;
  private readonly clock: Clock;
  /** Called with the size of every chunk the port delivers while a command runs (the silence timer's reset). */
  private onBytes: ((n: number) => void) | undefined;

  constructor(
    readonly port: Port,
    options: HandsetConsoleOptions = {},
  ) {
    // The resynchronisation probe is AT+TSINFO?, answered even unauthenticated and locked: its +TSINFO: line tells
    // its OK from a late one (a self-test given up, then answered) that a bare AT would take for its own.
    this.engine = new AtEngine(toTransport(port), {
      ...(options.clock && { clock: options.clock }),
      settleMs: 50,
      probes: [{ command: 'AT+TSINFO?', prefix: '+TSINFO:' }],
    });
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.selfTestTimeoutMs = options.selfTestTimeoutMs ?? 90_000;
    this.answerLimitMs = options.answerLimitMs ?? 60_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? 1024 * 1024;
    this.clock = options.clock ?? systemClock;
    port.onData((bytes) => this.onBytes?.(bytes.length));
    port.onClose((r) => {
      this.closedReason = r.message;
      this.engine.close();
    });
  }

  /** Whether the line is still there. */
  get isOpen(): boolean {
    return this.closedReason === undefined && this.port.isOpen;
  }

  /** AT+TSINFO? (works unauthenticated and even while locked). */
  async info(): Promise<ConsoleReply<HandsetInfo>> {
    return this.single('AT+TSINFO?', '+TSINFO:', parseTsInfo);
  }

  /** AT+TSAUTH?: a fresh nonce (32 hex digits); any earlier one is void. */
  async nonce(): Promise<ConsoleReply<string>> {
    return this.single('AT+TSAUTH?', '+TSAUTH:', parseTsAuthNonce);
  }

  /** AT+TSAUTH=<signature, 128 hex>. */
  async authenticate(signatureHex: string): Promise<ConsoleReply<void>> {
    return this.plain(`AT+TSAUTH=${signatureHex}`, 'AT+TSAUTH=<signature>');
  }

  /** AT+TSCFG=<name>,"<value>": stages one setting. */
  async set(name: string, value: string): Promise<ConsoleReply<void>> {
    if (!/^[a-z]+$/.test(name) || /["\r\n\x00-\x1f]/.test(value)) {
      return fail({ kind: 'error', command: `AT+TSCFG=${name}`, reason: `setting ${JSON.stringify(name)} or its value cannot be sent on a command line` });
    }
    return this.plain(`AT+TSCFG=${name},"${value}"`);
  }

  /** AT+TSDEFAULTS: stages the factory settings (the fleet key kept), so that only what is written next differs. */
  async stageDefaults(): Promise<ConsoleReply<void>> {
    return this.plain('AT+TSDEFAULTS');
  }

  /** AT+TSCFG?: every setting as the handset has it staged (the committed config when nothing is staged). */
  async readConfig(): Promise<ConsoleReply<ReadonlyMap<string, string>>> {
    const r = await this.run('AT+TSCFG?', 'AT+TSCFG?', ['+TSCFG:'], this.timeoutMs);
    if (!r.ok) return r;
    const out = new Map<string, string>();
    for (const line of r.value) {
      const p = parseTsCfg(line);
      if (p.ok) out.set(p.value[0], p.value[1]);
      else if (p.failure === 'corrupt') return fail({ kind: 'garbled', command: 'AT+TSCFG?', reason: p.reason });
    }
    return { ok: true, value: out };
  }

  /**
   * AT+TSKEY=<64 hex>: stages the report key. Write-only: nothing reads it back; the handset answers the key's
   * check value (protocol/report/key-check.ts), undefined from a firmware that does not.
   */
  async writeKey(key: Uint8Array): Promise<ConsoleReply<string | undefined>> {
    const label = 'AT+TSKEY=<key>';
    if (key.length !== 32) return fail({ kind: 'error', command: label, reason: 'the report key must be 32 bytes' });
    // A line the engine cannot place (not an echo) while AT+TSKEY= runs is an answer the line changed: with
    // '+TSKEY:' itself garbled it was taken for a firmware without a check value, so a key changed on the way in
    // as well was committed unchecked (exit 0 with --verify-wait 0).
    let unreadable: string | undefined;
    const off = this.engine.onStray((l) => {
      if (!/^AT/i.test(l)) unreadable ??= l;
    });
    let r: ConsoleReply<readonly string[]>;
    try {
      r = await this.run(`AT+TSKEY=${Buffer.from(key).toString('hex')}`, label, ['+TSKEY:'], this.timeoutMs);
    } finally {
      off();
    }
    if (!r.ok) return r;
    for (const l of r.value) {
      const p = parseTsKey(l);
      if (p.ok) return { ok: true, value: p.value };
      if (p.failure === 'corrupt') return fail({ kind: 'garbled', command: label, reason: p.reason });
    }
    if (unreadable !== undefined) return fail({ kind: 'garbled', command: label, reason: 'an answer line that is not the key check value (+TSKEY: "<8 hex>"): the line may be changing bytes' });
    return { ok: true, value: undefined };
  }

  /** AT+TSCOMMIT: config and key to flash in one atomic write. */
  async commit(): Promise<ConsoleReply<void>> {
    return this.plain('AT+TSCOMMIT');
  }

  /** AT+TSWIPE: factory config, key erased. */
  async wipe(): Promise<ConsoleReply<void>> {
    return this.plain('AT+TSWIPE');
  }

  /** AT+TSTEST: a TST report to the gateway, no emergency call. */
  async testAlarm(): Promise<ConsoleReply<void>> {
    return this.plain('AT+TSTEST');
  }

  /** AT+TSSELFTEST: one item per part (flash, battery, button, modem, gps). */
  async selfTest(): Promise<ConsoleReply<readonly SelfTestItem[]>> {
    const r = await this.run('AT+TSSELFTEST', 'AT+TSSELFTEST', ['+TSSELFTEST:'], this.selfTestTimeoutMs);
    if (!r.ok) return r;
    const items: SelfTestItem[] = [];
    for (const line of r.value) {
      const p = parseTsSelfTest(line);
      if (p.ok) items.push(p.value);
      else if (p.failure === 'corrupt') return fail({ kind: 'garbled', command: 'AT+TSSELFTEST', reason: p.reason });
    }
    return { ok: true, value: items };
  }

  /**
   * AT+TSGPS=1: the receiver's raw NMEA, decoded with protocol/nmea; `onSentence` sees each sentence (positions
   * included: callers show fix quality, never a position). Stop it with the returned stream's `stop()`.
   */
  async streamGps(onSentence: (s: NmeaSentence) => void): Promise<ConsoleReply<GpsStream>> {
    const decoder = new NmeaDecoder();
    decoder.onSentence = onSentence;
    const encoder = new TextEncoder();
    // NMEA lines arrive outside any command (or during AT+TSGPS=0, whose answer is prefixed): stray to the engine.
    const off = this.engine.onStray((line) => {
      if (line.startsWith('$')) decoder.push(encoder.encode(`${line}\r\n`));
    });
    const started = await this.plain('AT+TSGPS=1');
    if (!started.ok) {
      off();
      return started;
    }
    return {
      ok: true,
      value: {
        decoder,
        stop: async () => {
          const r = await this.plain('AT+TSGPS=0');
          off();
          return r;
        },
      },
    };
  }

  /** Closes the engine and the port. */
  async close(): Promise<void> {
    this.engine.close();
    await this.port.close();
  }

  // --- plumbing --------------------------------------------------------------------------------------------

  private async plain(line: string, label = line): Promise<ConsoleReply<void>> {
    const r = await this.run(line, label, [], this.timeoutMs);
    return r.ok ? { ok: true, value: undefined } : r;
  }

  private async single<T>(line: string, prefix: string, parse: (l: string) => Parsed<T>): Promise<ConsoleReply<T>> {
    const r = await this.run(line, line, [prefix], this.timeoutMs);
    if (!r.ok) return r;
    for (const l of r.value) {
      const p = parse(l);
      if (p.ok) return { ok: true, value: p.value };
      if (p.failure === 'corrupt') return fail({ kind: 'garbled', command: line, reason: p.reason });
    }
    return fail({ kind: 'garbled', command: line, reason: `no ${prefix} line in the answer` });
  }

  /**
   * Runs one command; the answer's lines (status lines removed) or the failure. `timeoutMs` is the silence
   * allowed: it starts again at every chunk received; the engine's own timeout is the overall limit.
   */
  private async run(line: string, label: string, prefixes: readonly string[], timeoutMs: number): Promise<ConsoleReply<readonly string[]>> {
    if (!this.isOpen) return fail({ kind: 'port-closed', command: label, reason: this.closedReason ?? `${this.port.spec} is closed` });
    const limitMs = Math.max(this.answerLimitMs, timeoutMs);
    const overflowsBefore = this.engine.stats.answerOverflows;
    const pending = this.engine.enqueue(line, { prefixes: [...prefixes, ...STATUS_PREFIXES], timeoutMs: limitMs });
    let silent = false;
    // Bytes received while it runs: a device flooding the line (lines that match the answer's prefixes, kept until
    // the final) grew the tool past 1.5 GB in the 60 s answer limit over tcp://, enough to kill it out of memory.
    let received = 0;
    let flooded = false;
    let timer: TimerHandle | undefined;
    const arm = (): void => {
      if (timer !== undefined) this.clock.clearTimeout(timer);
      timer = this.clock.setTimeout(() => {
        // Still queued: the engine is resynchronising the line after an earlier timeout (its probes are bounded
        // by their own timeouts); the silence counts once the command is out.
        if (pending.queued) return arm();
        silent = true;
        pending.cancel();
      }, timeoutMs);
    };
    arm();
    this.onBytes = (n) => {
      received += n;
      if (received > this.maxAnswerBytes && !flooded) {
        flooded = true;
        pending.cancel();
      }
      if (!flooded) arm();
    };
    let r: AtResult;
    try {
      r = await pending.result;
    } finally {
      this.onBytes = undefined;
      if (timer !== undefined) this.clock.clearTimeout(timer);
    }
    // The AT engine gives a command up by itself past its own limit of answer lines (1 MiB, as here): whichever
    // counts the flood first, it is a device flooding the console, not a slow answer.
    if ((r.status === 'cancelled' && flooded) || (r.status === 'timeout' && this.engine.stats.answerOverflows > overflowsBefore)) {
      return fail({ kind: 'garbled', command: label, reason: `more than ${this.maxAnswerBytes} bytes from ${this.port.spec} without the answer's end: not a handset answering` });
    }
    if (r.status === 'cancelled' && silent) {
      const some = r.lines.length > 0 ? ' (the answer stopped half-way)' : '';
      return fail({ kind: 'no-answer', command: label, reason: `no answer from the handset on ${this.port.spec} within ${timeoutMs} ms${some}` });
    }
    switch (r.status) {
      case 'final': {
        if (r.ok) return { ok: true, value: r.lines.filter((l) => !STATUS_PREFIXES.some((p) => l.startsWith(p))) };
        const reason = statusLine(r.lines, parseTsReason) ?? r.final.line;
        const lockSeconds = statusLine(r.lines, parseTsLock);
        const code = r.final.error?.code;
        if (r.final.kind === 'CME_ERROR' && code !== undefined) {
          return fail({ kind: 'refused', command: label, code, reason, ...(lockSeconds !== undefined && { lockSeconds }) });
        }
        return fail({ kind: 'error', command: label, reason });
      }
      case 'timeout':
        return fail({ kind: 'no-answer', command: label, reason: `the answer from the handset on ${this.port.spec} was not complete within ${limitMs} ms, though bytes kept coming` });
      case 'closed':
        return fail({ kind: 'port-closed', command: label, reason: this.closedReason ?? `${this.port.spec} closed` });
      case 'cancelled':
      case 'transport-error':
      case 'rejected':
        return fail({ kind: this.isOpen ? 'error' : 'port-closed', command: label, reason: this.closedReason ?? r.reason });
      default: {
        const never: never = r;
        throw new Error(`unhandled AT result ${JSON.stringify(never)}`);
      }
    }
  }
}

function fail<T>(failure: ConsoleFailure): ConsoleReply<T> {
  return { ok: false, failure };
}

function statusLine<T>(lines: readonly string[], parse: (l: string) => Parsed<T>): T | undefined {
  for (const l of lines) {
    const p = parse(l);
    if (p.ok) return p.value;
  }
  return undefined;
}
