// What the engine needs to know about a command besides its text: which lines are its answer, how long to wait,
// and whether it has a second step. Builders in commands/*.ts fill this in; callers rarely need to.

/** How the engine runs one command. */
export interface CommandOptions {
  /**
   * Information-response prefixes that belong to this command's answer (e.g. `+CSQ:`). With prefixes, other
   * lines are unsolicited or stray; without, every line that is not a URC, the echo or a final is the answer
   * (identity commands answer with a bare line).
   */
  readonly prefixes?: readonly string[];
  /** Narrows the prefix match: a line for which this returns false is taken as a URC of the same prefix. */
  readonly isAnswer?: (line: string) => boolean;
  /**
   * Each prefixed answer line is followed by one body line (a PDU). A final result or a URC in its place is not
   * the body (a URC is delivered and the body still awaited; a final ends the command).
   */
  readonly bodyAfterPrefix?: boolean;
  /** Time allowed for the final result, from the write (or from sending the body), in ms. */
  readonly timeoutMs?: number;
  /** Two-step command (AT+CMGS): after the `> ` prompt, send this, then Ctrl-Z. */
  readonly body?: string;
  /** Time allowed for the `> ` prompt, in ms. On expiry ESC is sent and the command times out. */
  readonly promptTimeoutMs?: number;
  /**
   * CONNECT / NO CARRIER / BUSY / NO ANSWER / NO DIALTONE end this command (dial and answer). Default: true for
   * commands starting ATD, ATA or ATO.
   */
  readonly callProgress?: boolean;
  /**
   * Goes ahead of every queued command that is not urgent (behind urgent ones queued before it): a call
   * handler's answer or hang-up must not wait behind a line's SMS reads (up to 32 queued after an outage, each
   * 0.05-0.2 s on a real modem). The command in flight is never interrupted.
   */
  readonly urgent?: boolean;
  /**
   * Asked as the command reaches the front of the queue, just before it is written: a reason (a string) means
   * it is no longer wanted, and it resolves `cancelled` with that reason, unwritten. A command can wait seconds
   * behind a line's SMS reads, and what it was for may have changed meanwhile (a STOP for her closed incident
   * must not go once her new alarm opened another: gateway/core). Not asked again once written.
   */
  readonly stillWanted?: () => string | undefined;
}

/** A command line (without the trailing CR) and how to run it. */
export interface AtCommand {
  readonly line: string;
  readonly options: CommandOptions;
}

/** Builds an {@link AtCommand}. */
export const atCommand = (line: string, options: CommandOptions = {}): AtCommand => ({ line, options });

/** A builder's result when its arguments can be wrong (a number, a PDU): the command, or why not. */
export type BuildResult = { readonly ok: true; readonly command: AtCommand } | { readonly ok: false; readonly reason: string };

/** Wraps a built command. */
export const built = (line: string, options: CommandOptions = {}): BuildResult => ({ ok: true, command: atCommand(line, options) });
/** A builder's refusal. */
export const refused = (reason: string): BuildResult => ({ ok: false, reason });
