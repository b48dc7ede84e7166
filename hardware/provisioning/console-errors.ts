// The handset console's `+CME ERROR: <code>` numbers, as the engineer's side reads them
// (docs/firmware-sim-handset.md, "Error codes"). 3, 4, 16 and 50 are 3GPP TS 27.007 codes with the same
// meaning; 512 and up are the handset's own (27.007 leaves 512.. to manufacturers). A `+TSREASON: "<text>"`
// line before the error says what to do; the tool shows it.

/** Numeric `+CME ERROR` codes of the handset's USB provisioning console. */
export const HandsetConsoleError = {
  /** The command needs an authenticated session (AT+TSAUTH). */
  NOT_ALLOWED: 3,
  /** Unknown command, or a form (query/set/exec) the command does not have. */
  NOT_SUPPORTED: 4,
  /** The signature did not verify: not this fleet's provisioning key. */
  BAD_SIGNATURE: 16,
  /** A parameter is missing or malformed (a setting out of range). */
  BAD_PARAMETER: 50,
  /** Locked for 15 minutes after three bad signatures; `+TSLOCK: <seconds left>` comes with it. */
  LOCKED: 512,
  /** AT+TSAUTH=<sig> without a live nonce. */
  NO_NONCE: 513,
  /** AT+TSCOMMIT would leave the handset half-provisioned (no gateway number or no key). */
  INCOMPLETE: 514,
  /**
   * An alarm is being tracked: the handset refuses AT+TSWIPE, and an AT+TSCOMMIT of a new report key or gateway
   * number (and the other settings the live alarm runs on), until the control room stops tracking.
   */
  ALARM_IN_PROGRESS: 515,
} as const;

export type HandsetConsoleError = (typeof HandsetConsoleError)[keyof typeof HandsetConsoleError];
