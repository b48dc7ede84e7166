// Human output by default, one JSON document with --json. Human: progress lines on stdout as steps run,
// failures on stderr with what to do. JSON: the progress lines on stderr as steps run (the engineer at the
// bench still sees "press the button"), and on stdout nothing until the end, then
//   {"command":"provision","ok":false,"exitCode":4,"progress":[...],"failure":{"kind":..,"message":..,"next":..}, ...}
// so a script reads one document whatever happened.

import type { ToolFailure } from '../provisioning/failure.js';
import { exitCodeFor, ExitCode } from './exit-codes.js';
import type { CliIo } from './io.js';

export type ProgressLine = { readonly step: string; readonly status: 'start' | 'done' | 'failed' | 'note'; readonly detail?: string };

const MARK: Record<ProgressLine['status'], string> = { start: '..', done: 'ok', failed: '!!', note: '  ' };

export class Output {
  private readonly progressLines: ProgressLine[] = [];

  constructor(
    private readonly io: CliIo,
    readonly command: string,
    readonly json: boolean,
  ) {}

  /** A progress line (human: printed now; JSON: collected). */
  progress(p: ProgressLine): void {
    this.progressLines.push(p);
    const line = `[${MARK[p.status]}] ${p.step}${p.detail === undefined ? '' : `: ${printable(p.detail)}`}\n`;
    if (this.json) this.io.stderr(line);
    else this.io.stdout(line);
  }

  /** Plain text for people (ignored with --json). */
  text(line: string): void {
    if (!this.json) this.io.stdout(`${printable(line)}\n`);
  }

  /** Success: prints the JSON document (with `data`) or the human summary; returns 0. */
  done(data: Record<string, unknown>, summary?: string): number {
    if (this.json) this.io.stdout(`${jsonText({ command: this.command, ok: true, exitCode: ExitCode.OK, ...data, progress: this.progressLines })}\n`);
    else if (summary !== undefined) this.io.stdout(`${printable(summary)}\n`);
    return ExitCode.OK;
  }

  /** A bug in the tool: with --json the document still comes (kind `internal`); the stack goes to stderr. Exit 1. */
  internal(err: unknown): number {
    const message = err instanceof Error ? err.message : String(err);
    if (this.json) {
      const failure = { kind: 'internal', message, next: 'this is a fault in tecsos itself: report it with the stack printed on stderr' };
      this.io.stdout(`${jsonText({ command: this.command, ok: false, exitCode: ExitCode.INTERNAL, failure, progress: this.progressLines })}\n`);
    }
    this.io.stderr(`tecsos ${this.command}: internal error: ${(err as Error)?.stack ?? String(err)}\n`);
    return ExitCode.INTERNAL;
  }

  /** Failure: prints it and returns its exit code. */
  fail(failure: ToolFailure, data: Record<string, unknown> = {}): number {
    const exitCode = exitCodeFor(failure.kind);
    if (this.json) {
      this.io.stdout(`${jsonText({ command: this.command, ok: false, exitCode, ...data, failure, progress: this.progressLines })}\n`);
    } else {
      this.io.stderr(`error: ${printable(failure.message)}\n`);
      if (failure.handsetState !== undefined) this.io.stderr(`handset: ${describeState(failure.handsetState)}\n`);
      this.io.stderr(`what to do: ${printable(failure.next)}\n`);
    }
    return exitCode;
  }
}

/**
 * Text for a terminal: control characters shown as `\x1b`-style escapes. Much of what is printed comes from the
 * device on the port (id, firmware, IMEI, self-test details, refusal reasons), and a device that is not what it
 * claims could otherwise clear the screen, move the cursor or retitle the window, and print a fake `[ok]` line
 * over the real result. C0 (but line feed), DEL, C1, and the bidirectional overrides (which can reorder what
 * is shown) are escaped.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The --json document: JSON.stringify's text with DEL, C1 and the bidirectional controls written as \u escapes
 * too. JSON.stringify escapes only C0, so a firmware string with U+009B (CSI) or U+202E from the device reached
 * the terminal of an engineer who ran `tecsos info --json` by hand as it came; a script parsing the document
 * reads the same text either way.
 */
function jsonText(doc: unknown): string {
  return JSON.stringify(doc).replace(/[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function describeState(s: NonNullable<ToolFailure['handsetState']>): string {
  switch (s) {
    case 'unchanged':
      return 'unchanged (nothing was committed)';
    case 'unprovisioned':
      return 'not provisioned (wiped)';
    case 'provisioned':
      return 'PROVISIONED';
    case 'unknown':
      return 'UNKNOWN: provisioned or not, check before issuing it';
    default: {
      const never: never = s;
      return String(never);
    }
  }
}
