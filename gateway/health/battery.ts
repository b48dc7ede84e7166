// Low battery: a handset that reports a battery at or below LOW_BATTERY_PCT (or sends LOB) raises one
// handset.health `low-battery`; it is `recovered` once a report shows RECOVERED_BATTERY_PCT or more (the gap
// keeps a battery hovering at the threshold from raising and clearing the problem on every report).
import { event, type CoreState } from '../core/state.js';
import type { Handset } from '../registry/registry.js';
import type { NewEvent } from '../store/event-store.js';

/** The firmware's default LOB threshold (firmware-sim handset config `lowBatteryPercent`). */
export const LOW_BATTERY_PCT = 15;
export const RECOVERED_BATTERY_PCT = 25;

/** handset.health low-battery, unless already raised. */
export function lowBattery(state: CoreState, h: Handset, batteryPct: number, why: string): NewEvent[] {
  if (h.problems.has('low-battery')) return [];
  return [
    event(state, 'handset.health', {
      handsetId: h.id,
      problem: 'low-battery',
      lastHeartbeatAt: h.lastHeartbeatAt,
      batteryPct,
      detail: `${why}: battery ${batteryPct} %`,
    }),
  ];
}

/** What an accepted report's battery level changes: low-battery raised or recovered. */
export function batteryHealth(state: CoreState, h: Handset, batteryPct: number): NewEvent[] {
  if (batteryPct <= LOW_BATTERY_PCT) return lowBattery(state, h, batteryPct, 'report');
  if (batteryPct >= RECOVERED_BATTERY_PCT && h.problems.has('low-battery')) {
    return [
      event(state, 'handset.health', {
        handsetId: h.id,
        problem: 'recovered',
        recovered: 'low-battery',
        lastHeartbeatAt: h.lastHeartbeatAt,
        batteryPct,
        detail: `battery back to ${batteryPct} %`,
      }),
    ];
  }
  return [];
}
