// Retention: victim data older than `retentionDays` leaves the store once a day (store.purge redacts the
// events in place, drops snapshots and writes the audit entry). What counts as victim data here: every fix
// (where she was) and every raw SMS (the reports carried the same positions). Registrations are not purged
// by age: a handset still in service keeps its victim record until it is re-registered.
// Old by the time retention trusts, not by a wall clock that jumped (retention-clock.ts).
import { INTERNAL_EVENT_TYPES } from './internal-events.js';

/** How often the purge runs. */
export const RETENTION_PERIOD_MS = 24 * 3600_000;

/** Event types purged by age. */
export function retentionTypes(): string[] {
  return ['fix', ...INTERNAL_EVENT_TYPES.filter((t) => t === 'sms.received')];
}
