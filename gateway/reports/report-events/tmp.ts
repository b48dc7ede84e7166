// TMP: three bad provisioning signatures on the USB port (someone tried to change the handset).
import { event } from '../../core/state.js';
import type { ReportEventHandler } from './types.js';

export const tmp: ReportEventHandler = ({ state, handset, report }) => ({
  events: [
    event(state, 'handset.health', {
      handsetId: handset.id,
      problem: 'tamper',
      lastHeartbeatAt: handset.lastHeartbeatAt,
      batteryPct: report.batteryPct,
      detail: 'TMP report: three bad provisioning signatures on the USB port',
    }),
  ],
});
