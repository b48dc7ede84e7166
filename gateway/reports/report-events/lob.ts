// LOB: the battery crossed the handset's low threshold: engineers must know (handset.health low-battery).
import { lowBattery } from '../../health/battery.js';
import type { ReportEventHandler } from './types.js';

export const lob: ReportEventHandler = ({ state, handset, report }) => ({ events: lowBattery(state, handset, report.batteryPct, 'LOB report') });
