// Modem line health reports (gateway/lines LineHealthReport) -> `line.health` events. Only a change that
// matters is an event: the state or registration, the signal by 5 or more (RSSI wobbles by one or two
// between polls, and an event per wobble would fill the log for nothing), or the SMS storage becoming nearly
// full, full, or clear again (its note is in the detail: gateway/lines/sim-storage.ts).
import { storageLevel } from '../lines/sim-storage.js';
import type { LineHealthReport } from '../lines/types.js';
import type { NewEvent } from '../store/event-store.js';
import { event, type CoreState } from './state.js';

/** Whether a line's health changed enough to be an event. */
export function healthChanged(a: LineHealthReport, b: LineHealthReport): boolean {
  // Which domain registered it (CS, or LTE only: calls only by VoLTE) is in the detail the console shows.
  if (a.state !== b.state || a.registration !== b.registration || a.registeredIn !== b.registeredIn) return true;
  if (storageLevel(a.storage) !== storageLevel(b.storage)) return true;
  const known = (c: number | null) => c !== null && c !== 99;
  if (known(a.csq) !== known(b.csq)) return true;
  return known(a.csq) && Math.abs((a.csq as number) - (b.csq as number)) >= 5;
}

/** 27.007 +CREG <stat> as protocol/schemas names it. */
function registrationName(stat: number | null): 'home' | 'roaming' | 'searching' | 'denied' | 'not-registered' | 'unknown' {
  switch (stat) {
    case 0: return 'not-registered';
    case 1: return 'home';
    case 2: return 'searching';
    case 3: return 'denied';
    case 5: return 'roaming';
    default: return 'unknown';
  }
}

/** The `line.health` event of a report (protocol/schemas has no `unregistered` state: it is `up` + registration). */
export function lineHealthEvent(state: CoreState, report: LineHealthReport): NewEvent {
  return event(state, 'line.health', {
    lineId: report.lineId,
    port: report.spec,
    state: report.state === 'unregistered' ? 'up' : report.state,
    // Registered for packet data only (gateway/lines/registration.ts): no call reaches the line, which for a
    // 999 line is what `registration` is about; the console marks it (the detail says why).
    registration: report.registeredIn === 'ps' ? 'not-registered' : registrationName(report.registration),
    signalCsq: report.csq === null || (report.csq > 31 && report.csq !== 99) ? null : report.csq,
    detail: report.detail.slice(0, 500),
  });
}

/** A line a 999 call can reach: up and registered for calls (not for packet data only; see lineHealthEvent). */
export function takesCalls(report: LineHealthReport): boolean {
  return report.state === 'up' && report.registeredIn !== 'ps';
}

/**
 * Lines by state for `tecsos_lines`, as /healthz counts them: a line registered for packet data only is
 * `unregistered` (no call reaches it; the alert "up below the number of lines" must fire for it).
 */
export function lineStateCounts(reports: readonly LineHealthReport[]): Record<'up' | 'unregistered' | 'initialising' | 'down', number> {
  const counts = { up: 0, unregistered: 0, initialising: 0, down: 0 };
  for (const r of reports) counts[r.state === 'up' && !takesCalls(r) ? 'unregistered' : r.state]++;
  return counts;
}
