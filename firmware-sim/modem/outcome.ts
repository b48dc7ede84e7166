// What a command handler returns; the modem turns it into bytes (information text, final result code)
// according to ATV and AT+CMEE.

/** Final result codes of V.250 other than OK and ERROR, with their ATV0 numeric forms. */
export const FinalCode = {
  NO_CARRIER: 'NO CARRIER',
  BUSY: 'BUSY',
  NO_ANSWER: 'NO ANSWER',
  NO_DIALTONE: 'NO DIALTONE',
} as const;

export type FinalCode = (typeof FinalCode)[keyof typeof FinalCode];

/** One PDU (or text) typed after the `> ` prompt, and how it ended. */
export interface PromptInput {
  readonly text: string;
}

/** The result of one command. */
export type CommandOutcome =
  /** Information lines (possibly none), then the next command of the line; OK after the last one. */
  | { readonly kind: 'ok'; readonly lines: readonly string[] }
  /** Plain ERROR (unknown command, bad syntax): the rest of the line is not run. */
  | { readonly kind: 'error' }
  /** +CME ERROR: <code> (or ERROR / the text, by AT+CMEE). */
  | { readonly kind: 'cme'; readonly code: number }
  /** +CMS ERROR: <code>. */
  | { readonly kind: 'cms'; readonly code: number }
  /** Another final result code (ATD that fails at once: NO CARRIER). */
  | { readonly kind: 'final'; readonly code: FinalCode }
  /** Print `\r\n> ` and hand what the DTE types up to Ctrl-Z to `complete` (ESC cancels with OK). */
  | { readonly kind: 'prompt'; readonly complete: (input: PromptInput) => CommandOutcome };

/** Information lines, then continue. */
export function ok(...lines: string[]): CommandOutcome {
  return { kind: 'ok', lines };
}

/** Plain ERROR. */
export const error: CommandOutcome = { kind: 'error' };

export function cme(code: number): CommandOutcome {
  return { kind: 'cme', code };
}

export function cms(code: number): CommandOutcome {
  return { kind: 'cms', code };
}
