// The handset health table's Battery and Last heartbeat. A `handset.health` event carries the battery and the
// last heartbeat as they were when the problem was raised, and the row kept them: a handset flagged `tamper`
// (which only a re-registration clears) read the same battery and heartbeat for as long as the row stood,
// while it went on reporting, and even its first reading lagged one report behind `GET /api/handsets/health`.
// Every verified report proves a handset alive (docs/gateway.md "Heartbeat") and comes to every role as
// `handset.status`, so the newer of the two is shown. Pure (tested in node).
import type { ConsoleHandset, HandsetHealth } from '../protocol/schemas/index.js';

export type HealthFigures = { readonly batteryPct: number | null; readonly lastHeartbeatAt: string | null };

export function healthFigures(e: Pick<HandsetHealth, 'batteryPct' | 'lastHeartbeatAt'>, status: ConsoleHandset | undefined): HealthFigures {
  const last = status?.lastReportAt ?? null;
  if (status === undefined || last === null) return { batteryPct: e.batteryPct, lastHeartbeatAt: e.lastHeartbeatAt };
  if (e.lastHeartbeatAt !== null && Date.parse(last) < Date.parse(e.lastHeartbeatAt)) return { batteryPct: e.batteryPct, lastHeartbeatAt: e.lastHeartbeatAt };
  return { batteryPct: status.batteryPct ?? e.batteryPct, lastHeartbeatAt: last };
}
