// ALM: the victim held the button. Opens an incident unless one is open (then the alarm joins it); a handset
// in test mode raises a test incident, never a live one.
import type { ReportEventHandler } from './types.js';

export const alm: ReportEventHandler = ({ handset }) => ({
  open: handset.testMode ? { cause: 'test', priority: 'test' } : { cause: 'alarm', priority: 'tecsos' },
});
