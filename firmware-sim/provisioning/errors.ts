// Error codes of the provisioning console, sent as `+CME ERROR: <code>` (numeric, as with AT+CMEE=1).
// 3, 4, 16 and 50 are the 27.007 codes with the same meaning; 512 and up are this handset's own (27.007
// leaves 512.. to manufacturers). A `+TSREASON: "<text>"` line before the error says what to do.

export const ConsoleError = {
  /** The command needs an authenticated session (AT+TSAUTH). 27.007 "operation not allowed". */
  NOT_ALLOWED: 3,
  /** Unknown command, or a form (query/set/exec) the command does not have. */
  NOT_SUPPORTED: 4,
  /** The signature did not verify against the nonce and handset id. 27.007 "incorrect password". */
  BAD_SIGNATURE: 16,
  /** A parameter is missing or malformed. 27.007 "invalid characters in text string"/"incorrect parameters". */
  BAD_PARAMETER: 50,
  /** The port is locked after three bad signatures; `+TSLOCK: <seconds left>` comes before it. */
  LOCKED: 512,
  /** AT+TSAUTH=<sig> without a fresh nonce from AT+TSAUTH? (each nonce is good for one attempt). */
  NO_NONCE: 513,
  /** AT+TSCOMMIT would leave the handset half-provisioned (no gateway number or no key). */
  INCOMPLETE: 514,
  /**
   * An alarm is being tracked (ALM raised, TRK reports going): AT+TSWIPE, or an AT+TSCOMMIT that would change the
   * report key or a setting the live alarm runs on (tscommit.ts), would silently break it. The control room stops
   * tracking from her incident first (or the tracking time runs out); then the engineer retries.
   */
  ALARM_IN_PROGRESS: 515,
} as const;

export type ConsoleError = (typeof ConsoleError)[keyof typeof ConsoleError];
