// Retention: victim data older than `retentionDays` leaves the store once a day (store.purge redacts the
// events in place, drops snapshots and writes the audit entry). What counts as victim data here: every fix
// (where she was), every raw SMS (the reports carried the same positions), and the record (name, address,
// safety notes) in a registration a later one replaced (a re-issued handset's former holder, or a record
// corrected since), retentionDays after it was replaced: only that field is cleared, the registration stays
// (its key and log position rebuild the registry as before). The current registration of a handset is not
// purged by age: a handset in service keeps its holder's record.
// Old by the time retention trusts, not by a wall clock that jumped (retention-clock.ts).
import type { SupersededField } from '../store/event-store.js';
import { INTERNAL_EVENT_TYPES } from './internal-events.js';

/** How often the purge runs. */
export const RETENTION_PERIOD_MS = 24 * 3600_000;

/** Event types purged by age. */
export function retentionTypes(): string[] {
  return ['fix', ...INTERNAL_EVENT_TYPES.filter((t) => t === 'sms.received')];
}

/** Fields cleared once replaced: the holder's record in a registration a later one of the handset replaced. */
export function retentionSuperseded(): SupersededField[] {
  return [{ type: 'handset.registered', key: 'handsetId', field: 'victim' }];
}
