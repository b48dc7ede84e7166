// How fresh a victim's last position is. A handset that is tracking reports every 30 s (10 s when moving
// fast, DESIGN.md), so a fix older than two report intervals means at least one report is missing, and one
// older than six means the position must not be trusted for directing officers. The age is measured from the
// fix's own time (when the GPS measured it), not from when the gateway received it. docs/console.md.

/** Up to this age (seconds) a fix is current: shown green. */
export const FRESH_MAX_S = 60;
/** Up to this age (seconds) a fix is ageing: amber. Older: stale, red. */
export const AMBER_MAX_S = 180;

export type Staleness = 'fresh' | 'ageing' | 'stale';

/**
 * The colour class of a fix `ageS` seconds old. A fix the receiver marked invalid (RMC status V: its last
 * known position, not a current one) is never better than ageing.
 */
export function staleness(ageS: number, gpsValid = true): Staleness {
  if (ageS > AMBER_MAX_S) return 'stale';
  if (ageS > FRESH_MAX_S || !gpsValid) return 'ageing';
  return 'fresh';
}
