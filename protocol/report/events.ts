// The TSR1 `e=` field: why the handset sent this report. Adding an event is one line here.

/** Every report event, with what it means. */
export const REPORT_EVENTS = {
  /** The victim held the button: an alarm. Followed by a 999 call and TRK reports. */
  ALM: 'alarm',
  /** A periodic position while tracking after an alarm (or after a LOCATE). */
  TRK: 'tracking',
  /** The daily heartbeat: the handset is alive. */
  HBT: 'heartbeat',
  /** Battery below the low threshold. */
  LOB: 'low battery',
  /** A test report (engineer's AT+TSTEST or the handset's test gesture): never a real alarm. */
  TST: 'test',
  /** The handset booted (power on, reset, watchdog). */
  BOT: 'boot',
  /** Tamper: repeated bad provisioning signatures on the USB port. */
  TMP: 'tamper',
  /** The handset received and applied a TSC1 command. */
  ACK: 'command acknowledged',
} as const;

/** A report event code as on the wire. */
export type ReportEvent = keyof typeof REPORT_EVENTS;

/** The event codes, in table order. */
export const REPORT_EVENT_CODES = Object.keys(REPORT_EVENTS) as readonly ReportEvent[];

/** True when `code` is a known event code. */
export function isReportEvent(code: string): code is ReportEvent {
  return Object.prototype.hasOwnProperty.call(REPORT_EVENTS, code);
}
