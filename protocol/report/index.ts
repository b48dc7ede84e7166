// protocol/report: the TecSOS handset report (TSR1), control command (TSC1), their MAC and anti-replay
// window, and the AML SMS parser. Pure code: runs in Node and in the browser. Formats: docs/formats.md.

export { decodeReport, encodeReport, encodeReportSync, verifyReport, verifyReportSync, reportSignedText, ReportEncodeError } from './tsr1.js';
export type { ReportFields, DecodedReport, ReportDecodeResult } from './tsr1.js';
export {
  decodeCommand,
  encodeCommand,
  encodeCommandSync,
  verifyCommand,
  verifyCommandSync,
  commandSignedText,
  commandText,
  CommandEncodeError,
  MIN_INTERVAL_S,
  MAX_INTERVAL_S,
} from './tsc1.js';
export type { HandsetCommand, CommandFields, DecodedCommand, CommandDecodeResult } from './tsc1.js';
export { decodeAndVerifyReport, decodeAndVerifyCommand } from './verify.js';
export type { KeySource } from './verify.js';
export { REPORT_EVENTS, REPORT_EVENT_CODES, isReportEvent } from './events.js';
export type { ReportEvent } from './events.js';
export { WireReason } from './reasons.js';
export { DecodeStats } from './stats.js';
export type { WireRejection } from './reasons.js';
export { webCryptoHmacSha256, computeMac, computeMacSync, verifyMac, verifyMacSync, constantTimeEqual, KEY_BYTES, MAC_BYTES, MAC_CHARS } from './mac.js';
export type { HmacSha256, HmacSha256Sync } from './mac.js';
export { HANDSET_ID_PATTERN, MAX_COUNTER, isHandsetId, isCounter, looksLikeSentence } from './fields.js';
export { isGsm7Basic, smsPartsFor, MAX_WIRE_LENGTH, SEPTETS_SINGLE, SEPTETS_PER_PART } from './gsm7.js';
export { toBase64Url, fromBase64Url } from './base64url.js';
export { counterFloor, COUNTER_EPOCH_MS, CLOCK_VALID_FROM_MS } from './counter-floor.js';
export { ReplayWindow, ReplayOutcome, REPLAY_WINDOW_SIZE, parseReplayWindowState } from './replay-window.js';
export type { ReplayWindowState } from './replay-window.js';
export { parseAml, AmlReason, ML_TOLERANCE } from './aml.js';
export type { AmlLocation, AmlRejection, AmlResult, AmlMethod } from './aml.js';
export { encodeAml } from './aml-encode.js';
export { parseAmlData } from './aml-data.js';
export type { AmlFields } from './aml-encode.js';
