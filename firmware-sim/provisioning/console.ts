// The handset's USB serial console: AT syntax over a byte stream, DCE side.
//
//   in:  AT+TSINFO?<CR>
//   out: <CR><LF>+TSINFO: "TS-0001","1.0.0","356938035643809",0<CR><LF><CR><LF>OK<CR><LF>
//
// Lines end at CR (LF ignored, backspace edits, as V.250); one command per line; `AT` and `ATE0`/`ATE1`
// are accepted (echo is off by default; with ATE1 the key typed after AT+TSKEY= echoes as `*`). Errors are
// `+CME ERROR: <code>` (errors.ts), preceded by a `+TSREASON: "<text>"` line. ESC (0x1B) stops a running
// AT+TSGPS stream. Commands run one at a time in arrival order (self-test is asynchronous); a new connection
// does not wait for the previous one's. Unauthenticated, only AT+TSINFO? and AT+TSAUTH work; while locked,
// only AT and AT+TSINFO?.

import { randomBytes as nodeRandomBytes } from 'node:crypto';
import type { Clock } from '../../protocol/time/clock.js';
import type { ByteDuplex } from '../transport/byte-duplex.js';
import { fail, quoted, type CommandResult, type ConsoleCommand, type Handler } from './command.js';
import { CONSOLE_COMMANDS } from './commands/table.js';
import { ConsoleError } from './errors.js';
import { ConsoleSession } from './session.js';
import type { ProvisioningTarget } from './target.js';

const CR = 0x0d;
const LF = 0x0a;
const BS = 0x08;
const ESC = 0x1b;
/** Longest accepted command line; a longer one is discarded and answered with ERROR. */
export const MAX_LINE = 512;

/** Splits `a,"b,c",d` into [a, b,c, d], dropping the quotes. */
export function splitArgs(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  for (const ch of text) {
    if (ch === '"') inQuote = !inQuote;
    else if (ch === ',' && !inQuote) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

/** How a console is built. */
export interface ProvisioningConsoleOptions {
  readonly clock: Clock;
  /** Nonce source; node:crypto by default (nonces must be unpredictable, not merely reproducible). */
  readonly randomBytes?: (n: number) => Uint8Array;
}

/** The USB provisioning console of one handset (see the file comment). */
export class ProvisioningConsole {
  private readonly session: ConsoleSession;
  private readonly outputs = new Set<(bytes: Uint8Array) => void>();
  private line: number[] = [];
  private overflow = false;
  private echo = false;
  private queue: Promise<void> = Promise.resolve();
  private detach: (() => void) | undefined;
  /** Counts host connections: a command belongs to the one it arrived on, and answers only there. */
  private connection = 0;

  constructor(
    private readonly target: ProvisioningTarget,
    private readonly options: ProvisioningConsoleOptions,
  ) {
    const rb = options.randomBytes ?? ((n: number) => new Uint8Array(nodeRandomBytes(n)));
    this.session = new ConsoleSession(target, options.clock, rb, (t) => this.write(t));
  }

  /** Connects a USB line (a TCP serial server's client, a pipe end). A previous one is disconnected. */
  attach(line: ByteDuplex): void {
    this.disconnect();
    const offData = line.onData((b) => this.receive(b));
    const offOut = this.onOutput((b) => line.write(b));
    this.detach = () => {
      offData();
      offOut();
    };
  }

  /** The cable was pulled: staging and authentication are lost, and the line is detached. */
  disconnect(): void {
    this.detach?.();
    this.detach = undefined;
    this.newConnection();
  }

  /**
   * A new host connected on the same line (a TCP serial server replaces its client): whatever the previous one
   * left, authentication and staging, is gone. The bad-signature count and a lock stay.
   */
  newConnection(): void {
    // A command of the previous host still running (a self-test waits up to 60 s for a fix) or still queued
    // is not answered to this one: its answer (+TSSELFTEST lines, OK) came first, in answer to the new host's
    // first command (`tecsos info` after a killed `tecsos provision`: "no +TSINFO: line in the answer").
    this.connection++;
    // Nor does the new host wait for it: its commands start a queue of their own (`tecsos info` after a killed
    // provision waited behind the old self-test, longer than the tool's timeout). The old command finishes
    // unanswered (a self-test stops waiting for its fix: endSession aborts it and the GPS is let go); commands
    // run one at a time per connection.
    this.queue = Promise.resolve();
    const wasAuthenticated = this.session.authenticated;
    this.session.endSession();
    this.line = [];
    this.overflow = false;
    this.echo = false;
    if (wasAuthenticated) this.target.consoleSession('closed');
  }

  /** Subscribes to the console's output bytes. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    this.outputs.add(listener);
    return () => this.outputs.delete(listener);
  }

  /** Whether a session is authenticated now. */
  get authenticated(): boolean {
    return this.session.authenticated;
  }

  /** Resolves when every command received so far has been answered. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** Bytes from the USB line. */
  receive(bytes: Uint8Array): void {
    for (const b of bytes) {
      if (this.echo && b !== ESC) this.write(this.maskedEcho(b));
      if (b === ESC) {
        this.line = [];
        this.overflow = false;
        if (this.session.stopGps !== undefined) {
          this.session.stopGpsStream();
          this.write('\r\nOK\r\n');
        }
      } else if (b === CR) {
        const text = String.fromCharCode(...this.line).trim();
        const overflow = this.overflow;
        this.line = [];
        this.overflow = false;
        if (overflow) this.write('\r\nERROR\r\n');
        else if (text !== '') this.enqueue(text);
      } else if (b === LF) {
        continue;
      } else if (b === BS) {
        this.line.pop();
      } else if (this.line.length >= MAX_LINE) {
        this.overflow = true;
      } else {
        this.line.push(b);
      }
    }
  }

  /** Echo of one typed byte; the key typed after AT+TSKEY= echoes as `*` (the key never goes back out). */
  private maskedEcho(b: number): string {
    const typed = String.fromCharCode(...this.line).toUpperCase();
    return typed.startsWith('AT+TSKEY=') && b !== CR && b !== LF && b !== BS ? '*' : String.fromCharCode(b);
  }

  private enqueue(text: string): void {
    const connection = this.connection;
    this.queue = this.queue.then(() => (connection === this.connection ? this.run(text, connection) : undefined));
  }

  private async run(text: string, connection: number): Promise<void> {
    const upper = text.toUpperCase();
    if (!upper.startsWith('AT')) return this.write('\r\nERROR\r\n');
    const body = text.slice(2);
    if (body === '') return this.write('\r\nOK\r\n');
    if (/^E[01]$/i.test(body)) {
      this.echo = body.endsWith('1');
      return this.write('\r\nOK\r\n');
    }
    const result = await this.dispatch(body);
    if (connection === this.connection) this.respond(result);
  }

  private async dispatch(body: string): Promise<CommandResult> {
    const m = /^(\+[A-Za-z]+)(\?|=(.*))?$/s.exec(body);
    const command: ConsoleCommand | undefined = m === null ? undefined : CONSOLE_COMMANDS.get((m[1] as string).toUpperCase());
    if (m === null || command === undefined) return fail(ConsoleError.NOT_SUPPORTED, `unknown command AT${body.slice(0, 16)}`);
    const s = this.session;
    const locked = s.lockRemainingS() > 0;
    if (locked && command.name !== '+TSINFO') return fail(ConsoleError.LOCKED, 'port locked after three bad signatures', `+TSLOCK: ${s.lockRemainingS()}`);
    if (command.needsAuth && !s.authenticated) return fail(ConsoleError.NOT_ALLOWED, 'authenticate first: AT+TSAUTH? then AT+TSAUTH=<signature>');
    // V.250 test form (AT+X=?): the command exists; its parameters are documented, not listed.
    if (m[2] === '=?') return { lines: [] };
    const form = m[2] === '?' ? 'query' : m[2] === undefined ? 'exec' : 'set';
    const handler: Handler | undefined = command[form];
    if (handler === undefined) return fail(ConsoleError.NOT_SUPPORTED, `AT${command.name} has no ${form} form`);
    return handler(s, form === 'set' ? splitArgs(m[3] ?? '') : []);
  }

  private respond(r: CommandResult): void {
    let out = '';
    for (const l of r.lines) out += `\r\n${l}\r\n`;
    if (r.error === undefined) out += '\r\nOK\r\n';
    else out += `\r\n+TSREASON: ${quoted(r.reason)}\r\n\r\n+CME ERROR: ${r.error}\r\n`;
    this.write(out);
  }

  private write(text: string): void {
    const bytes = new TextEncoder().encode(text);
    for (const l of this.outputs) l(bytes);
  }
}
