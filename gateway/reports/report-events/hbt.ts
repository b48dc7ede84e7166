// HBT: the daily heartbeat. Its proof of life is recorded for every accepted report (report.accepted), and
// heartbeat supervision (gateway/health) clears a missed-heartbeat problem; nothing more to do here.
import type { ReportEventHandler } from './types.js';

export const hbt: ReportEventHandler = () => ({});
