// What the core checks once a minute on the injected Clock, all derived from the projections (so a restart
// changes nothing): handsets that missed their heartbeat (gateway/health/heartbeat.ts), TSC1 commands never
// acknowledged, incidents whose handset stopped tracking, calls left ringing after the network stopped, and
// STOPs owed past their time (owed-stops.ts).
import { callEnded } from '../incidents/call-events.js';
import { STALE_RINGING_MS } from '../incidents/calls.js';
import { TRACKING_SILENCE_MS } from '../incidents/incidents.js';
import { missedHeartbeats } from '../health/heartbeat.js';
import type { NewEvent } from '../store/event-store.js';
import { expiredOwedStops } from './owed-stops.js';
import { COMMAND_TIMEOUT_MS } from './pending-commands.js';
import { event, type CoreState } from './state.js';

/** How often the checks run. */
export const MINUTE_CHECK_MS = 60_000;

/**
 * The events every check due now produces, in one list (stored in one append). `lineRinging(callId)`: a line
 * of this process reported that call ringing and will report its end (gateway-core.ts), so it is never stale.
 *
 * `clockAhead`: the wall clock is held as ahead of the time the gateway trusts (it jumped forward:
 * retention-clock.ts). The checks that age a handset's silence by it would raise a false alarm at once for
 * every handset (missed heartbeat) and every live incident (tracking stopped), and time out every command:
 * they wait, as does the expiry of an owed STOP (it would give up at once a STOP it may still send). The stale-ring check still runs: it ends only calls no line of this process is ringing, which
 * no clock makes real (after a restart, the calls the lines never reported again).
 */
export function minuteChecks(s: CoreState, lineRinging: (callId: string) => boolean = () => false, clockAhead = false): NewEvent[] {
  if (clockAhead) return staleRinging(s, lineRinging);
  return [...missedHeartbeats(s), ...commandTimeouts(s), ...staleRinging(s, lineRinging), ...trackingTimeouts(s), ...expiredOwedStops(s, s.clock.now())];
}

/** command.result `timeout` for commands sent more than COMMAND_TIMEOUT_MS ago and never acknowledged. */
function commandTimeouts(s: CoreState): NewEvent[] {
  return s.commands.olderThan(s.clock.now() - COMMAND_TIMEOUT_MS).map((c) =>
    event(s, 'command.result', { handsetId: c.handsetId, counter: c.counter, result: 'timeout', detail: `no ACK within ${COMMAND_TIMEOUT_MS / 60_000} min` }),
  );
}

/** call.ended `network` for calls still ringing after STALE_RINGING_MS that no line of this process tracks. */
function staleRinging(s: CoreState, lineRinging: (callId: string) => boolean): NewEvent[] {
  const now = s.clock.now();
  return s.calls
    .ringingSince(now - STALE_RINGING_MS)
    .filter((c) => !lineRinging(c.id))
    .map((c) => callEnded(s, c.id, c.lineId, 'network', null, now));
}

/** incident.tracking-stopped `timeout` for incidents without an ALM/TRK for TRACKING_SILENCE_MS. */
function trackingTimeouts(s: CoreState): NewEvent[] {
  return s.incidents
    .silentTracking(s.clock.now() - TRACKING_SILENCE_MS)
    .map((i) => event(s, 'incident.tracking-stopped', { incidentId: i.id, handsetId: i.handsetId, reason: 'timeout', by: null }));
}
