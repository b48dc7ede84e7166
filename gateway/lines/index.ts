// gateway/lines: the control room's modem lines (ports, AT engines, call tracking, SMS intake). docs/lines.md.
export type * from './types.js';
export { ModemLineBank, createModemLineBank, LineConfigError, mathRandom, type ModemLineBankOptions } from './line-bank.js';
export { ModemLine, BOOT_URCS, DEFAULT_LINE_TIMINGS, type LineTimings, type LineLogger, type ModemLineOptions } from './modem-line.js';
export { CallTracker, CALL_URCS, DEFAULT_CALL_TIMINGS, type CallPhase, type CallTrackerTimings, type ListCalls } from './call-tracker.js';
export { MessageIntake, DEFAULT_INTAKE_TIMINGS, type IntakeHost, type IntakeTimings } from './message-intake.js';
export { describeResult } from './describe-result.js';
export { storageLevel, storageNearlyFull, storageNote, type SimStorage } from './sim-storage.js';
export { INIT_SEQUENCE, cpinRead, type InitStep } from './init-sequence.js';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
