// A simulated GSM modem: the DCE side of 3GPP TS 27.007 / 27.005 over any byte transport, attached to a
// SimNetwork as one subscriber. The control room's modem bank, the handset's internal modem and the
// standalone modem for gammu/smsd are all this class.
//
// Input is processed one byte at a time, as a UART delivers it:
//   - command state: bytes collect into a line until CR; each byte is echoed when ATE1 (the default);
//     backspace (0x08, 0x7F) removes the last character; ESC (0x1B) throws away the line typed so far (so
//     "ESC CR", which gammu sends first, is an empty line: no answer); LF is ignored; text before "AT" is noise.
//   - prompt state (after AT+CMGS / AT+CMGW printed "\r\n> "): hex digits collect until Ctrl-Z (0x1A, send)
//     or ESC (cancel, "\r\nOK\r\n"). Unsolicited codes wait until the prompt is over.
// Output (ATV1): information text "\r\n<line>\r\n<line>\r\n" per command, then "\r\nOK\r\n" once per line;
// an error ends the line ("\r\nERROR\r\n", "\r\n+CME ERROR: 10\r\n", "\r\n+CMS ERROR: 331\r\n").
// Unsolicited: "\r\nRING\r\n" (+CLIP) every ringIntervalMs while a call rings, "\r\nNO CARRIER\r\n",
// "\r\n+CMTI: "SM",3\r\n", "\r\n+CMT: ,24\r\n<pdu>\r\n", "\r\n+CREG: 1\r\n".
// Faults for tests: hang() (stops answering, keeps its radio), reset() (reboot: settings and calls dropped,
// stored messages kept, boot banner printed), refuse() (a command answered +CME ERROR: 3, as real modems refuse
// some commands in some states, or lack them).

import type { Clock, TimerHandle } from '../../protocol/time/clock.js';
import { CME_ERROR_TABLE } from '../../protocol/at/cme-errors.js';
import { CMS_ERROR_TABLE } from '../../protocol/at/cms-errors.js';
import type { ByteDuplex } from '../transport/byte-duplex.js';
import type { SimNetwork, AttachOptions } from '../network/sim-network.js';
import type {
  CallEndReason,
  IncomingCall,
  NetworkLink,
  NetworkSms,
  NetworkTerminal,
  SmsAcceptance,
  SmsStatusReport,
} from '../network/terminal.js';
import { NO_SERVICE, type RadioState } from '../network/radio.js';
import { addressType, parseDialString } from '../network/msisdn.js';
import { parseCommandLine } from './command-line.js';
import { COMMANDS } from './command-table.js';
import type { BatteryStatus, ModemCall, ModemContext, SimState } from './context.js';
import { DEFAULT_IDENTITY, checkIdentity, type ModemIdentity } from './identity.js';
import { MessageStore } from './message-store.js';
import { FinalCode, ok, type CommandOutcome, type PromptInput } from './outcome.js';
import { defaultSettings, type ModemSettings, type StorageName } from './settings.js';
import { cregUrc } from './commands/registration.js';
import { deliverPdus, statusReportPdu } from './deliver-pdu.js';
import { CmeError } from '../../protocol/at/cme-errors.js';

/** How the modem is built; only `clock` is required. */
export interface SimModemOptions {
  readonly clock: Clock;
  /** The network to attach to, with `msisdn`; without it the modem has no service. */
  readonly network?: SimNetwork;
  readonly msisdn?: string;
  readonly attach?: AttachOptions;
  readonly identity?: Partial<ModemIdentity>;
  /** Default 'ready'. */
  readonly sim?: SimState;
  /** Default "1234". */
  readonly simPin?: string;
  /** Service centre (+CSCA), default "+447785016005". */
  readonly smsc?: string;
  /** Slots of the SIM and phone storages, default 30 and 50. */
  readonly capacity?: { readonly SM?: number; readonly ME?: number };
  /** +CBC source; default 100 % on external power. */
  readonly battery?: () => BatteryStatus;
  /** Interval between RINGs of an incoming call, default 3000 ms. */
  readonly ringIntervalMs?: number;
  /** Printed after a reboot, default "\r\nRDY\r\n". */
  readonly bootBanner?: string;
  /** Time from reset() to the banner, during which input is ignored; default 0. */
  readonly bootMs?: number;
}

/** One entry of the AT transcript (what a test asserts exchange by exchange). */
export interface TranscriptEntry {
  /** Clock time (ms since epoch). */
  readonly at: number;
  /** command: a line the DTE sent (without CR); response: everything the modem answered to it; urc: an
   *  unsolicited code; pdu: what was typed after the prompt ("<hex>^Z" or "<hex><ESC>"); boot: the banner. */
  readonly kind: 'command' | 'response' | 'urc' | 'pdu' | 'boot';
  readonly text: string;
}

const CTRL_Z = 0x1a;
const ESC = 0x1b;
const CR = 0x0d;
const LF = 0x0a;
const MAX_LINE = 1024;

const NUMERIC: Readonly<Record<string, string>> = {
  OK: '0',
  RING: '2',
  'NO CARRIER': '3',
  ERROR: '4',
  'NO DIALTONE': '6',
  BUSY: '7',
  'NO ANSWER': '8',
};

/** See the file comment. Implements the network side (NetworkTerminal) and the handlers' view (ModemContext). */
export class SimModem implements NetworkTerminal, ModemContext {
  readonly clock: Clock;
  readonly identity: ModemIdentity;
  readonly simPin: string;
  settings: ModemSettings;
  sim: SimState;
  functionality = 1;
  readonly calls: ModemCall[] = [];
  readonly network: NetworkLink | undefined;

  private readonly options: SimModemOptions;
  private readonly stores: Record<StorageName, MessageStore>;
  private readonly outputListeners = new Set<(data: Uint8Array) => void>();
  private readonly transcriptListeners = new Set<(e: TranscriptEntry) => void>();
  private readonly encoder = new TextEncoder();
  private line = '';
  private overflow = false;
  private prompt: { readonly complete: (input: PromptInput) => CommandOutcome; text: string } | undefined;
  private heldUrcs: string[] = [];
  private hung = false;
  private executing = false;
  private booting = false;
  private rebootAfterLine = false;
  private ringTimer: TimerHandle | undefined;
  private messageReference = 0;
  private lastCreg: { readonly full: string; readonly stat: string } | undefined;
  /** Commands refused (see refuse()): upper-case name -> how many more times. */
  private readonly refusals = new Map<string, number>();

  constructor(options: SimModemOptions) {
    this.options = options;
    this.clock = options.clock;
    this.identity = checkIdentity({ ...DEFAULT_IDENTITY, ...options.identity });
    this.simPin = options.simPin ?? '1234';
    this.sim = options.sim ?? 'ready';
    this.settings = defaultSettings(options.smsc ?? '+447785016005');
    this.stores = {
      SM: new MessageStore(options.capacity?.SM ?? 30),
      ME: new MessageStore(options.capacity?.ME ?? 50),
    };
    if (options.network !== undefined) {
      if (options.msisdn === undefined) throw new Error('SimModem: a network needs an msisdn for this modem');
      this.network = options.network.attach(options.msisdn, this, options.attach);
      this.availabilityChanged();
    }
  }

  // ---- the serial side -------------------------------------------------------------------------------

  /** Plugs the modem into a byte transport (its serial side); returns the function that unplugs it. */
  connect(port: ByteDuplex): () => void {
    const offIn = port.onData((d) => this.input(d));
    const offOut = this.onOutput((d) => port.write(d));
    return () => {
      offIn();
      offOut();
    };
  }

  /** Bytes from the DTE (the gateway, the handset firmware, gammu). */
  input(data: Uint8Array | string): void {
    const bytes = typeof data === 'string' ? this.encoder.encode(data) : data;
    for (const b of bytes) {
      if (this.hung || this.booting) return;
      if (this.prompt !== undefined) this.promptByte(b);
      else this.commandByte(b);
    }
  }

  /** Subscribes to the bytes the modem sends; returns the unsubscribe function. */
  onOutput(listener: (data: Uint8Array) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  /** Subscribes to the AT transcript; returns the unsubscribe function. */
  onTranscript(listener: (e: TranscriptEntry) => void): () => void {
    this.transcriptListeners.add(listener);
    return () => this.transcriptListeners.delete(listener);
  }

  // ---- faults ----------------------------------------------------------------------------------------

  /** The modem stops answering (no echo, no result codes, no URCs) until reset(), or after `recoverAfterMs`. */
  hang(recoverAfterMs?: number): void {
    this.hung = true;
    this.prompt = undefined;
    this.line = '';
    if (recoverAfterMs !== undefined) this.clock.setTimeout(() => this.reset(), recoverAfterMs);
  }

  /**
   * Refuses the next `times` commands named `name` (as parsed, upper case: `+CLCC`, `+CLIP`, `A`) with
   * `+CME ERROR: 3` (operation not allowed; `ERROR` under AT+CMEE=0), as a modem refuses a command in some
   * states (AT+CLCC during call set-up) or lacks it (`Infinity`, the default). `times` 0 ends the refusal.
   */
  refuse(name: string, times = Number.POSITIVE_INFINITY): void {
    if (times > 0) this.refusals.set(name.toUpperCase(), times);
    else this.refusals.delete(name.toUpperCase());
  }

  /** True while hung. */
  get isHung(): boolean {
    return this.hung;
  }

  /**
   * Reboots: calls end (the other side gets NO CARRIER), settings return to defaults (echo on, CMEE 0,
   * CNMI 0...), a half-typed line or PDU is lost, the SIM asks for its PIN again if it had one; stored
   * messages survive. The banner follows after `bootMs`, and only then is the modem back on the network.
   */
  reset(): void {
    this.hung = false;
    this.line = '';
    this.prompt = undefined;
    this.heldUrcs = [];
    this.forgetCalls();
    this.settings = defaultSettings(this.options.smsc ?? '+447785016005');
    this.functionality = 1;
    this.sim = this.options.sim ?? 'ready';
    this.lastCreg = undefined;
    this.network?.setAvailable(false); // the network sees the phone vanish: its calls end there
    // Back on the network only once booted: a 999 call the network queued meanwhile rang it before its banner,
    // and a gateway that then saw the restart ended that ring (a withheld call) and showed her call as new.
    const banner = (): void => {
      this.booting = false;
      const text = this.options.bootBanner ?? '\r\nRDY\r\n';
      this.record('boot', text);
      this.write(text);
      this.availabilityChanged();
    };
    const bootMs = this.options.bootMs ?? 0;
    if (bootMs > 0) {
      this.booting = true;
      this.clock.setTimeout(banner, bootMs);
    } else {
      banner();
    }
  }

  /** Removes the SIM, or puts one back ('ready' or 'pin'). */
  setSim(state: SimState): void {
    this.sim = state;
    this.availabilityChanged();
  }

  /** Messages in a storage, for tests. */
  storage(name: StorageName): MessageStore {
    return this.stores[name];
  }

  // ---- ModemContext (for command handlers) -----------------------------------------------------------

  radio(): RadioState {
    if (this.network === undefined || this.functionality !== 1 || this.sim !== 'ready') return NO_SERVICE;
    return this.network.radio();
  }

  battery(): BatteryStatus {
    return this.options.battery?.() ?? { percent: 100, charging: true };
  }

  nextMessageReference(): number {
    this.messageReference = (this.messageReference + 1) & 0xff;
    return this.messageReference;
  }

  setFunctionality(fun: number): void {
    this.functionality = fun;
    this.availabilityChanged();
  }

  reboot(): void {
    this.rebootAfterLine = true;
  }

  restoreDefaults(): void {
    this.settings = defaultSettings(this.options.smsc ?? '+447785016005');
  }

  availabilityChanged(): void {
    const available = this.functionality === 1 && this.sim === 'ready';
    if (!available) this.forgetCalls(); // the network ends them (the other side: NO CARRIER)
    this.network?.setAvailable(available);
    this.radioChanged(this.radio());
  }

  answer(): boolean {
    const call = this.calls.find((c) => c.stat === 4);
    if (call === undefined || this.network === undefined || !this.network.answer(call.callId)) return false;
    call.stat = 0;
    this.stopRinging();
    return true;
  }

  hangupAll(): void {
    for (const c of [...this.calls]) this.network?.hangup(c.callId);
    this.calls.length = 0;
    this.stopRinging();
  }

  dial(dialString: string): CommandOutcome {
    const s = dialString.trim();
    if (!s.endsWith(';')) return { kind: 'final', code: FinalCode.NO_CARRIER }; // data calls are not simulated
    const number = s.slice(0, -1).replace(/[\s\-.()]/g, '');
    if (!/^[0-9*#+]{1,40}$/.test(number)) return { kind: 'cme', code: CmeError.INVALID_CHARACTERS_IN_DIAL_STRING };
    if (this.calls.length > 0) return { kind: 'cme', code: CmeError.OPERATION_NOT_ALLOWED };
    if (this.network === undefined) return { kind: 'final', code: FinalCode.NO_CARRIER };
    const r = this.network.dial(number);
    if (!r.ok) return { kind: 'final', code: endCode(r.reason) };
    const shown = parseDialString(number).number; // without a #31# withhold prefix
    this.calls.push({ callId: r.callId, index: this.freeIndex(), direction: 0, stat: 2, number: shown, rings: 0 });
    return ok();
  }

  // ---- NetworkTerminal (the network calls these) -------------------------------------------------------

  radioChanged(_radio: RadioState): void {
    // What this modem reports depends on more than the network's view (CFUN, SIM), so it is recomputed.
    const r = this.radio();
    const now = { full: cregUrc(2, r), stat: cregUrc(1, r) };
    const before = this.lastCreg;
    this.lastCreg = now;
    if (before === undefined) return;
    for (const [name, n] of [['+CREG', this.settings.creg], ['+CGREG', this.settings.cgreg]] as const) {
      if (n === 2 && now.full !== before.full) this.urc(cregUrc(2, r, name));
      else if (n === 1 && now.stat !== before.stat) this.urc(cregUrc(1, r, name));
    }
  }

  incomingCall(call: IncomingCall): void {
    this.calls.push({
      callId: call.callId,
      index: this.freeIndex(),
      direction: 1,
      stat: 4,
      number: call.from ?? '',
      rings: 0,
    });
    this.ring();
  }

  callAlerting(callId: number): void {
    const c = this.calls.find((x) => x.callId === callId);
    if (c !== undefined && c.stat === 2) c.stat = 3;
  }

  callConnected(callId: number): void {
    const c = this.calls.find((x) => x.callId === callId);
    if (c === undefined) return;
    c.stat = 0;
    if (this.settings.colp) this.urc(`+COLP: "${c.number}",${addressType(c.number)}`);
  }

  callEnded(callId: number, reason: CallEndReason): void {
    const i = this.calls.findIndex((x) => x.callId === callId);
    if (i < 0) return;
    this.calls.splice(i, 1);
    if (!this.calls.some((c) => c.stat === 4)) this.stopRinging();
    this.urc(endCode(reason));
  }

  deliverSms(sms: NetworkSms): SmsAcceptance {
    if (this.hung || this.booting) return 'unavailable';
    const mem = this.settings.cpms[2];
    const store = this.stores[mem];
    // A full storage refuses before any encoding: an SMSC with a backlog retries every waiting message.
    if (this.settings.cnmi.mt !== 2 && store.used >= store.capacity) return 'memory-full';
    const pdus = deliverPdus(sms, this.settings.smsc.number);
    if (this.settings.cnmi.mt === 2) {
      for (const { pdu, tpduLength } of pdus) this.urc(`+CMT: ,${tpduLength}`, pdu);
      return 'accepted';
    }
    if (store.capacity - store.used < pdus.length) return 'memory-full';
    for (const { pdu, tpduLength } of pdus) {
      const index = store.add(pdu, tpduLength, 0);
      if (this.settings.cnmi.mt === 1 || this.settings.cnmi.mt === 3) this.urc(`+CMTI: "${mem}",${index ?? 0}`);
    }
    return 'accepted';
  }

  deliverStatusReport(report: SmsStatusReport): void {
    if (this.hung || this.booting) return;
    const { pdu, tpduLength } = statusReportPdu(report, this.settings.smsc.number);
    if (this.settings.cnmi.ds === 1) {
      this.urc(`+CDS: ${tpduLength}`, pdu);
    } else if (this.settings.cnmi.ds === 2) {
      const mem = this.settings.cpms[2];
      const index = this.stores[mem].add(pdu, tpduLength, 0);
      if (index !== undefined) this.urc(`+CDSI: "${mem}",${index}`);
    }
  }

  // ---- internals -------------------------------------------------------------------------------------

  private commandByte(b: number): void {
    if (b === ESC) {
      this.line = '';
      this.overflow = false;
      return;
    }
    if (this.settings.echo) this.write(String.fromCharCode(b));
    if (b === CR) {
      const line = this.line;
      const overflow = this.overflow;
      this.line = '';
      this.overflow = false;
      if (overflow) this.respond(this.finish('', { kind: 'error' })); // too long to be a command: ERROR
      else this.runLine(line);
    } else if (b === 0x08 || b === 0x7f) {
      this.line = this.line.slice(0, -1);
    } else if (b !== LF) {
      if (this.line.length < MAX_LINE) this.line += String.fromCharCode(b);
      else this.overflow = true;
    }
  }

  private promptByte(b: number): void {
    const prompt = this.prompt;
    if (prompt === undefined) return;
    if (b === CTRL_Z || b === ESC) {
      this.prompt = undefined;
      this.record('pdu', prompt.text + (b === CTRL_Z ? '^Z' : '<ESC>'));
      this.executing = true;
      try {
        this.respond(this.finish('', b === CTRL_Z ? prompt.complete({ text: prompt.text }) : ok()));
      } finally {
        this.executing = false;
      }
      this.releaseUrcs();
      return;
    }
    if (this.settings.echo) this.write(String.fromCharCode(b));
    if (b === 0x08 || b === 0x7f) prompt.text = prompt.text.slice(0, -1);
    else if (b !== CR && b !== LF && prompt.text.length < 2 * MAX_LINE) prompt.text += String.fromCharCode(b);
  }

  private runLine(raw: string): void {
    const at = raw.toUpperCase().indexOf('AT');
    if (at < 0) return; // empty line (ESC CR) or noise: real modems stay silent
    // URCs a command causes (+CREG after AT+CFUN=0) follow its final result code, as on real modems.
    this.executing = true;
    try {
      this.execute(raw.slice(at));
    } finally {
      this.executing = false;
    }
    if (this.prompt === undefined) this.releaseUrcs();
  }

  private execute(line: string): void {
    this.record('command', line);
    const parsed = parseCommandLine(line.slice(2));
    if ('error' in parsed) {
      this.respond(this.finish('', { kind: 'error' }));
      return;
    }
    let out = '';
    for (const cmd of parsed) {
      const handler = COMMANDS.get(cmd.name);
      const outcome: CommandOutcome = this.refused(cmd.name) ? { kind: 'cme', code: CmeError.OPERATION_NOT_ALLOWED } : handler === undefined ? { kind: 'error' } : handler(cmd, this);
      if (outcome.kind === 'ok') {
        out += this.info(outcome.lines);
        continue;
      }
      if (outcome.kind === 'prompt') {
        this.prompt = { complete: outcome.complete, text: '' };
        this.respond(`${out}\r\n> `);
        return;
      }
      this.respond(this.finish(out, outcome));
      return;
    }
    this.respond(this.finish(out, ok()));
  }

  /** Whether this command is refused now (see refuse()), counting the refusal. */
  private refused(name: string): boolean {
    const left = this.refusals.get(name);
    if (left === undefined) return false;
    if (left <= 1) this.refusals.delete(name);
    else this.refusals.set(name, left - 1);
    return true;
  }

  /** Information text plus the final result code of an outcome. */
  private finish(info: string, outcome: CommandOutcome): string {
    switch (outcome.kind) {
      case 'ok':
        return info + this.info(outcome.lines) + this.final('OK');
      case 'error':
        return info + this.final('ERROR');
      case 'cme':
        return info + this.final(this.settings.cmee === 0 ? 'ERROR' : `+CME ERROR: ${this.errorText(outcome.code, 'cme')}`);
      case 'cms':
        return info + this.final(`+CMS ERROR: ${this.errorText(outcome.code, 'cms')}`);
      case 'final':
        return info + this.final(outcome.code);
      case 'prompt':
        return info + this.final('ERROR'); // a prompt after a prompt: not possible with this command set
      default: {
        const never: never = outcome;
        return never;
      }
    }
  }

  private errorText(code: number, kind: 'cme' | 'cms'): string {
    if (this.settings.cmee !== 2) return String(code);
    const table = kind === 'cme' ? CME_ERROR_TABLE : CMS_ERROR_TABLE;
    return table.find((e) => e.code === code)?.text ?? String(code);
  }

  private info(lines: readonly string[]): string {
    if (lines.length === 0) return '';
    return this.settings.verbose ? `\r\n${lines.join('\r\n')}\r\n` : `${lines.join('\r\n')}\r\n`;
  }

  private final(code: string): string {
    if (this.settings.quiet) return '';
    if (this.settings.verbose) return `\r\n${code}\r\n`;
    return `${NUMERIC[code] ?? code}\r`;
  }

  private respond(text: string): void {
    this.record('response', text);
    this.write(text);
    if (this.rebootAfterLine) {
      this.rebootAfterLine = false;
      this.reset();
    }
  }

  /** An unsolicited result code (one or more lines); held back while a command runs or the `> ` prompt is open. */
  private urc(...lines: string[]): void {
    if (this.hung || this.booting) return;
    const text = this.settings.verbose ? `\r\n${lines.join('\r\n')}\r\n` : `${lines.map((l) => NUMERIC[l] ?? l).join('\r\n')}\r\n`;
    if (this.prompt !== undefined || this.executing) {
      this.heldUrcs.push(text);
      return;
    }
    this.record('urc', text);
    this.write(text);
  }

  private releaseUrcs(): void {
    const held = this.heldUrcs;
    this.heldUrcs = [];
    for (const text of held) {
      this.record('urc', text);
      this.write(text);
    }
  }

  private ring(): void {
    this.ringTimer = undefined;
    const call = this.calls.find((c) => c.stat === 4);
    if (call === undefined) return;
    call.rings++;
    const lines = [this.settings.crc ? '+CRING: VOICE' : 'RING'];
    if (this.settings.clip) {
      lines.push(call.number === '' ? '+CLIP: "",128,,,,1' : `+CLIP: "${call.number}",${addressType(call.number)},,,,0`);
    }
    this.urc(...lines);
    if (this.settings.autoAnswerRings > 0 && call.rings >= this.settings.autoAnswerRings && this.answer()) return;
    this.ringTimer = this.clock.setTimeout(() => this.ring(), this.options.ringIntervalMs ?? 3000);
  }

  private stopRinging(): void {
    if (this.ringTimer !== undefined) this.clock.clearTimeout(this.ringTimer);
    this.ringTimer = undefined;
  }

  private forgetCalls(): void {
    this.calls.length = 0;
    this.stopRinging();
  }

  private freeIndex(): number {
    let i = 1;
    while (this.calls.some((c) => c.index === i)) i++;
    return i;
  }

  private write(text: string): void {
    if (this.hung || text.length === 0) return;
    const bytes = this.encoder.encode(text);
    for (const l of [...this.outputListeners]) l(bytes);
  }

  private record(kind: TranscriptEntry['kind'], text: string): void {
    if (this.transcriptListeners.size === 0) return;
    const e: TranscriptEntry = { at: this.clock.now(), kind, text };
    for (const l of [...this.transcriptListeners]) l(e);
  }
}

/** The final result code a call end shows at this side. */
function endCode(reason: CallEndReason): FinalCode {
  switch (reason) {
    case 'busy':
    case 'rejected':
      return FinalCode.BUSY;
    case 'no-answer':
      return FinalCode.NO_ANSWER;
    case 'hangup':
    case 'no-network':
    case 'unreachable':
    case 'radio-lost':
      return FinalCode.NO_CARRIER;
    default: {
      const never: never = reason;
      return never;
    }
  }
}
