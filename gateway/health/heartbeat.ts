// Heartbeat supervision. A handset sends HBT every 24 h; any verified report proves it alive. A handset whose
// last proof of life (or, before its first report, its registration) is older than 24 h plus the configured
// grace (`heartbeatGraceMinutes`, default 60) raises one handset.health `missed-heartbeat` for engineers;
// the next verified report clears it (`recovered`). Checked once a minute (gateway/core/minute-checks.ts).
import { event, type CoreState } from '../core/state.js';
import type { Handset } from '../registry/registry.js';
import type { NewEvent } from '../store/event-store.js';

/** The firmware's heartbeat period (firmware-sim handset config `heartbeatHours`). */
export const HEARTBEAT_PERIOD_MS = 24 * 3600_000;
/** When the handset's next heartbeat is overdue. */
export function heartbeatDueAt(h: Handset, graceMinutes: number): number {
  const last = Date.parse(h.lastHeartbeatAt ?? h.registeredAt);
  return last + HEARTBEAT_PERIOD_MS + graceMinutes * 60_000;
}

/** missed-heartbeat events for every handset now overdue and not yet flagged. */
export function missedHeartbeats(state: CoreState): NewEvent[] {
  const now = state.clock.now();
  const out: NewEvent[] = [];
  for (const h of state.registry.all()) {
    if (h.problems.has('missed-heartbeat') || now <= heartbeatDueAt(h, state.config.heartbeatGraceMinutes)) continue;
    const minutes = Math.round((now - Date.parse(h.lastHeartbeatAt ?? h.registeredAt)) / 60_000);
    out.push(
      event(state, 'handset.health', {
        handsetId: h.id,
        problem: 'missed-heartbeat',
        lastHeartbeatAt: h.lastHeartbeatAt,
        batteryPct: h.batteryPct,
        detail: `no report for ${minutes} min (heartbeat every 24 h + ${state.config.heartbeatGraceMinutes} min grace)`,
      }),
    );
  }
  return out;
}

/** The `recovered` event when a verified report arrives from a handset flagged missed-heartbeat. */
export function heartbeatRecovered(state: CoreState, h: Handset, batteryPct: number): NewEvent[] {
  if (!h.problems.has('missed-heartbeat')) return [];
  return [
    event(state, 'handset.health', {
      handsetId: h.id,
      problem: 'recovered',
      recovered: 'missed-heartbeat',
      lastHeartbeatAt: state.nowIso(),
      batteryPct,
      detail: 'reporting again',
    }),
  ];
}
