// Public API of protocol/at: AT command syntax, the final-result and URC tables, the command engine for one
// modem line, and the command builders and response parsers per family. docs/at.md describes the rules.

export { LineSplitter, splitLines, isNoiseByte } from './line-splitter.js';
export type { SplitterEvent, SplitterStats, LineSplitterOptions } from './line-splitter.js';

export { FINAL_RESULT_TABLE, finalResultRow, parseFinalResult, decodeModemError } from './final-results.js';
export type { FinalKind, FinalResult, FinalResultRow, ModemError } from './final-results.js';
export { CME_ERROR_TABLE, CmeError } from './cme-errors.js';
export type { ErrorEntry } from './cme-errors.js';
export { CMS_ERROR_TABLE, CmsError, cmsRangeName } from './cms-errors.js';

export { URC_TABLE, urcRow } from './urc-table.js';
export type { UrcRow } from './urc-table.js';

export type { Transport } from './transport.js';
export { atCommand, built, refused } from './command.js';
export type { AtCommand, CommandOptions, BuildResult } from './command.js';
export { AtEngine } from './engine.js';
export { MODEM_PROBES } from './probes.js';
export type { AtResult, Urc, UnresponsiveEvent, PendingCommand, AtEngineOptions, AtEngineStats, AtProbe } from './engine.js';

export { splitParams, paramsAfter, intParam, strParam, quote } from './params.js';
export type { Param } from './params.js';
export { parsedOk, notMine, corrupt } from './parsed.js';
export type { Parsed, ParseFailure } from './parsed.js';

export * from './commands/identity.js';
export * from './commands/network.js';
export * from './commands/calls.js';
export * from './commands/activity.js';
export * from './commands/sms.js';
export * from './commands/battery.js';
export * from './commands/errors.js';
