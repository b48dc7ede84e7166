// What ends an alarm that makes the console refuse with 515 (errors.ts ALARM_IN_PROGRESS), for its +TSREASON.
// A provisioned handset's alarm reports to the gateway, where the control room stops tracking from her incident.
// A blank one (no key, no gateway number: its button was held on the bench) reports to no one, so no incident
// exists to stop it from: only its tracking time ends it.

import type { ProvisioningTarget } from './target.js';

/** `... cannot change until <this>; then commit again`. */
export function alarmEnds(target: ProvisioningTarget): string {
  return target.info().provisioned ? 'the control room stops tracking from her incident' : 'its tracking time ends (not provisioned: no control room knows of this alarm)';
}
