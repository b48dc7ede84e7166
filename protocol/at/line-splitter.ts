// Byte stream from a modem -> lines and `> ` prompts (ITU-T V.250 5.7.1, 3GPP TS 27.005 3.5.1).
//
//   AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n    -> "AT+CSQ" (the echo), "+CSQ: 20,99", "OK"
//   AT+CMGS=28\r\r\n> 0791...\x1a\r\n          -> "AT+CMGS=28", prompt, "0791..." (the PDU echo)
//
// Rules, and why:
// - CR and LF each end a line; empty lines are dropped. Echo ends in a bare CR, answers in CR LF, and some modems
//   send CR CR LF: treating either byte as an end and dropping empties gives one line each time.
// - Bytes that never occur in an answer (controls other than CR/LF, DEL, and bytes that cannot start or continue
//   UTF-8: 0xC0, 0xC1, 0xF5..0xFF) are noise from a glitching line; they are skipped and counted. Ctrl-Z and ESC
//   echoed in PDU mode fall in this class too.
// - `>` followed by a space at the start of a line is the prompt for the PDU/text body; it arrives with no line
//   end, so it is recognised on the bytes as they come (split over chunks, e.g. `\r\n>` then ` `). A line that is
//   only `>` (a modem that puts a line end after it) is the prompt too.
// - A line longer than `maxLineBytes` is dropped up to its end and counted (memory stays bounded whatever comes).

/** What the splitter emits. */
export type SplitterEvent = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'prompt' };

/** Counters, for logs and /metrics. */
export interface SplitterStats {
  lines: number;
  prompts: number;
  noiseBytes: number;
  overlongLines: number;
}

/** Options for {@link LineSplitter}. */
export interface LineSplitterOptions {
  /** Longest line kept, in bytes (default 4096; a PDU line is at most about 360). */
  readonly maxLineBytes?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const GT = 0x3e;
const SPACE = 0x20;

/** True for a byte that cannot be part of any modem answer. */
export function isNoiseByte(b: number): boolean {
  return (b < 0x20 && b !== CR && b !== LF) || b === 0x7f || b === 0xc0 || b === 0xc1 || b >= 0xf5;
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Push-based splitter: feed it chunks of any size (one byte at a time is fine) and it calls `onEvent` for each
 * complete line and each prompt, in order. It never throws on any input.
 */
export class LineSplitter {
  readonly stats: SplitterStats = { lines: 0, prompts: 0, noiseBytes: 0, overlongLines: 0 };
  private readonly buf: Uint8Array;
  private len = 0;
  private overlong = false;

  constructor(
    private readonly onEvent: (event: SplitterEvent) => void,
    options: LineSplitterOptions = {},
  ) {
    this.buf = new Uint8Array(Math.max(16, options.maxLineBytes ?? 4096));
  }

  /** Feeds received bytes. */
  push(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.pushByte(bytes[i] as number);
  }

  /** Forgets a partial line (e.g. after the line was reset). */
  reset(): void {
    this.len = 0;
    this.overlong = false;
  }

  private pushByte(b: number): void {
    if (b === CR || b === LF) {
      this.endLine();
      return;
    }
    if (isNoiseByte(b)) {
      this.stats.noiseBytes++;
      return;
    }
    if (this.overlong) return;
    if (this.len === this.buf.length) {
      this.overlong = true;
      this.stats.overlongLines++;
      this.len = 0;
      return;
    }
    this.buf[this.len++] = b;
    if (this.len === 2 && this.buf[0] === GT && b === SPACE) {
      this.len = 0;
      this.emitPrompt();
    }
  }

  private endLine(): void {
    if (this.overlong) {
      this.overlong = false;
      this.len = 0;
      return;
    }
    if (this.len === 0) return;
    const text = decode(this.buf.subarray(0, this.len));
    this.len = 0;
    if (text === '') return;
    if (text === '>') {
      this.emitPrompt();
      return;
    }
    this.stats.lines++;
    this.onEvent({ kind: 'line', text });
  }

  private emitPrompt(): void {
    this.stats.prompts++;
    this.onEvent({ kind: 'prompt' });
  }
}

function decode(bytes: Uint8Array): string {
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) >= 0x80) ascii = false;
  const s = ascii ? String.fromCharCode(...bytes) : utf8.decode(bytes).replace(/\uFFFD/g, '');
  return s.trim();
}

/** Splits a whole buffer at once (tests, logs); the same rules as {@link LineSplitter}. */
export function splitLines(bytes: Uint8Array, options?: LineSplitterOptions): SplitterEvent[] {
  const out: SplitterEvent[] = [];
  const s = new LineSplitter((e) => out.push(e), options);
  s.push(bytes);
  return out;
}
