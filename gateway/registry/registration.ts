// What registering a handset would do, against the registry as it is (REST registration and manifest
// import share it): register, nothing (exactly this is registered already: importing twice changes
// nothing), or a conflict (a taken id without `replace`, a number that belongs to another handset).
import type { HandsetRegistration } from '../http/actions.js';
import { normaliseNumber } from '../calls/phone-number.js';
import { event, type CoreState } from '../core/state.js';
import type { NewEvent } from '../store/event-store.js';
import { sameRegistration } from './registry.js';

export type RegistrationDecision =
  /** `events`: the registration first, then what it clears (a `tamper` problem: docs/gateway.md "Health"). */
  | { readonly kind: 'register'; readonly event: NewEvent; readonly events: readonly NewEvent[]; readonly number: string }
  | { readonly kind: 'unchanged'; readonly seq: number }
  | { readonly kind: 'conflict'; readonly message: string };

/** The decision for `reg` by `by` (a username, or `system` for the manifest). */
export function decideRegistration(s: CoreState, reg: HandsetRegistration, by: string): RegistrationDecision {
  const number = normaliseNumber(reg.number, undefined, s.config.countryCode);
  if (number === null) return { kind: 'conflict', message: `number ${reg.number} is not a phone number` };
  const fields = {
    handsetId: reg.id,
    number,
    imei: reg.imei,
    keyHex: Buffer.from(reg.key).toString('hex'),
    force: reg.force,
    victim: reg.victim,
    testMode: reg.testMode,
  };
  const existing = s.registry.get(reg.id);
  if (existing !== undefined && sameRegistration(existing, fields)) return { kind: 'unchanged', seq: s.lastSeq };
  if (existing !== undefined && !reg.replace) return { kind: 'conflict', message: `handset ${reg.id} is registered already (replace: true re-registers it)` };
  // A new key is a new holder (re-issued). Not while her live incident is open: its view shows the handset's
  // current victim record, and the new holder's alarm and positions would join it (one incident, two women's
  // tracks). The control room closes it first. A test incident (the provisioning TST's) does not block.
  const open = existing === undefined ? undefined : s.incidents.openFor(reg.id);
  if (existing !== undefined && open !== undefined && open.priority !== 'test' && Buffer.from(existing.key).toString('hex') !== fields.keyHex) {
    return { kind: 'conflict', message: `handset ${reg.id} is in open incident ${open.id}: a new key would give it to a new holder while her alarm is worked; the control room closes the incident first` };
  }
  const other = s.registry.byE164(number);
  if (other !== undefined && other.id !== reg.id) return { kind: 'conflict', message: `number ${number} belongs to handset ${other.id}` };
  const registered = event(s, 'handset.registered', { ...fields, by });
  // Tamper is cleared by nothing but an engineer's re-registration (the handset re-provisioned after its USB
  // port was attacked): without this event it stayed raised for ever, whatever the engineer did.
  const cleared =
    existing?.problems.has('tamper') === true
      ? [
          event(s, 'handset.health', {
            handsetId: reg.id,
            problem: 'recovered',
            recovered: 'tamper',
            lastHeartbeatAt: existing.lastHeartbeatAt,
            batteryPct: existing.batteryPct,
            detail: `re-registered by ${by}`,
          }),
        ]
      : [];
  return { kind: 'register', event: registered, events: [registered, ...cleared], number };
}
