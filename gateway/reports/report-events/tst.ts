// TST: the alarm gesture on a handset in test mode (or AT+TSTEST): a test incident, labelled as such.
import type { ReportEventHandler } from './types.js';

export const tst: ReportEventHandler = () => ({ open: { cause: 'test', priority: 'test' } });
