// Who receives which event on the WebSocket, decided per event type in one table (first matching prefix wins),
// and what is removed before sending. Decisions (docs/api.md, "Who sees what"):
//
// - call handlers and supervisors get everything operational (calls, incidents, reports, fixes, lines,
//   handsets);
// - engineers look after lines and handsets, not victims: they get `line.*`, `handset.*`, `command.*` (the
//   outcome of the TSC1 commands they may send a handset on the bench) and `security.*` events, with every
//   victim field (names, notes, positions) removed; and the refused reports that name a handset (a wrong key, the
//   wrong SIM, a replay: the handset needs an engineer), reduced to what is about the equipment (ENGINEER_VIEWS);
// - `user.*` events carry the password hash in the log: nobody gets them (supervisors read GET /api/users);
// - secret fields (hashes, keys, tokens) are removed from every event for every role, whatever its type,
//   as a second line of defence behind the table.
import type { HandsetView } from '../../protocol/schemas/handsets.js';
import type { Role } from '../auth/roles.js';
import type { WireEvent } from './wire.js';

const OPERATIONAL: readonly Role[] = ['call-handler', 'supervisor'];
const EVERYONE: readonly Role[] = ['call-handler', 'supervisor', 'engineer'];

/** [type prefix, roles that receive it]; unknown types fall back to OPERATIONAL. */
export const AUDIENCE: readonly (readonly [string, readonly Role[]])[] = [
  ['user.', []],
  ['audit.', ['supervisor']],
  ['security.', ['supervisor', 'engineer']],
  ['line.', EVERYONE],
  ['handset.', EVERYONE],
  ['command.', EVERYONE],
  // Engineers get it reduced (ENGINEER_VIEWS), and only when it names a handset.
  ['report.rejected', EVERYONE],
  ['call.', OPERATIONAL],
  ['incident.', OPERATIONAL],
  ['report.', OPERATIONAL],
  ['fix.', OPERATIONAL],
];

/** Field names never sent to anyone (compared lower-case, at any depth). */
const SECRET_FIELDS = new Set(['password', 'passwordhash', 'key', 'hmackey', 'secret', 'token', 'session', 'sessionid']);

/** Field names engineers never receive (victim data), at any depth. */
const VICTIM_FIELDS = new Set([
  'victim', 'name', 'notes', 'safetynotes', 'risk', 'riskmarkers', 'address',
  'fix', 'fixes', 'position', 'location', 'lat', 'lon', 'lng', 'latitude', 'longitude', 'track', 'aml', 'text',
]);

/**
 * A refused report as an engineer gets it: the reason, the handset it claims to be from (unverified), its counter
 * and when it came; that is all an engineer needs to go to the handset (its key, its SIM, its counter), and none
 * of it is about a person. Never the sender's number (`null`): where the MAC was not verified (bad-mac,
 * unknown-handset, incomplete) anyone may have sent it, a member of the public or the abuser; where it was and the
 * number is the handset's (duplicate, replay, too-old) engineers have it from GET /api/handsets; a sender-mismatch
 * is the wrong SIM in the handset, or her genuine report captured and sent again from someone's phone (the sender
 * is checked before the replay window). Never the gateway's `detail` (`''`: free text that quotes what a message
 * said or names numbers). Nothing at all of one that names no handset (unknown-sender, bad-aml, a TSR1 text with
 * no readable h= from no handset's number): a person's SMS, or nothing an engineer can tie to a handset. Fields kept, not fields removed:
 * one added to the event later reaches engineers only when it is added here. The shape stays protocol/schemas
 * `report.rejected`, so the console takes it as is (docs/api.md "Who sees what").
 */
function engineerRejected(e: WireEvent): WireEvent | undefined {
  const claimed = e['claimedHandsetId'];
  if (typeof claimed !== 'string') return undefined;
  return {
    v: e.v, seq: e.seq, at: e.at, type: e.type,
    reason: e['reason'], claimedHandsetId: claimed, counter: e['counter'] ?? null, fromNumber: null, receivedAt: e['receivedAt'], detail: '',
  };
}

/**
 * A handset as `role` gets it over REST (GET /api/handsets, and the handset a registration answers with): its last
 * refused report (`lastRejection`) by the rule of engineerRejected above, so that engineers never get over REST
 * what the WebSocket never sends them. Engineers: the reason and when it came, `detail: ''` (the gateway's free text;
 * for a sender-mismatch it named the number the SMS came from, which may be the abuser's phone relaying her
 * genuine report). Fields kept, not fields removed. The reason is the diagnosis: `sender-mismatch` says the SMS came
 * from a number other than the handset's own, which the same view lists (`number`). Supervisors: as stored.
 */
export function handsetFor(role: Role, h: HandsetView): HandsetView {
  const r = h.lastRejection;
  if (role !== 'engineer' || r === undefined || r === null) return h;
  return { ...h, lastRejection: { reason: r.reason, at: r.at, detail: '' } };
}

/** Event types an engineer gets in a form of their own (whitelisted fields), by exact type. */
const ENGINEER_VIEWS: ReadonlyMap<string, (e: WireEvent) => WireEvent | undefined> = new Map([['report.rejected', engineerRejected]]);

/** Whether `role` receives events of `type`. */
export function receives(role: Role, type: string): boolean {
  for (const [prefix, roles] of AUDIENCE) if (type.startsWith(prefix)) return roles.includes(role);
  return OPERATIONAL.includes(role);
}

/** Whether any key at any depth would be dropped (no allocation: most events need no copy). */
function needsStrip(value: unknown, drop: (key: string) => boolean, depth: number): boolean {
  if (depth > 16 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => needsStrip(v, drop, depth + 1));
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    if (drop(k) || needsStrip((value as Record<string, unknown>)[k], drop, depth + 1)) return true;
  }
  return false;
}

function strip(value: unknown, drop: (key: string) => boolean, depth: number): unknown {
  if (depth > 16 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => strip(v, drop, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!drop(k)) out[k] = strip(v, drop, depth + 1);
  return out;
}

/** Distinct field names whose verdict a dropper remembers (the events' own names are a few dozen). */
const DROPPER_MEMO = 1024;

/**
 * Whether a field named `key` is dropped, by its lower-case name in `fields`. The verdict is remembered per name
 * as written: every event's every key was lower-cased before, a new string each time for most names
 * (`incidentId`), a tenth of the fan-out's garbage. Names past the first DROPPER_MEMO are decided afresh each
 * time (a payload with made-up field names does not grow the memo without bound).
 */
function dropper(...fields: ReadonlySet<string>[]): (key: string) => boolean {
  const memo = new Map<string, boolean>();
  return (key) => {
    let d = memo.get(key);
    if (d === undefined) {
      const lower = key.toLowerCase();
      d = fields.some((f) => f.has(lower));
      if (memo.size < DROPPER_MEMO) memo.set(key, d);
    }
    return d;
  };
}

const dropSecret = dropper(SECRET_FIELDS);
const dropForEngineer = dropper(SECRET_FIELDS, VICTIM_FIELDS);
const dropFor = (role: Role) => (role === 'engineer' ? dropForEngineer : dropSecret);

/** The event as `role` may see it, or undefined when the role does not receive it. */
export function viewFor(role: Role, event: WireEvent): WireEvent | undefined {
  if (!receives(role, event.type)) return undefined;
  const reduce = role === 'engineer' ? ENGINEER_VIEWS.get(event.type) : undefined;
  const e = reduce === undefined ? event : reduce(event);
  if (e === undefined) return undefined;
  const drop = dropFor(role);
  return needsStrip(e, drop, 0) ? (strip(e, drop, 0) as WireEvent) : e;
}

/**
 * Whether `role` gets `event` (a stored event's payload, `{ type, at, ...fields }` with no `v` or `seq` of its own)
 * whole: true when viewFor would return its wire message unchanged, false when it would change it (a reduced or
 * stripped view: ask viewFor), undefined when the role does not receive it. The wire message adds only `v` and `seq`,
 * which nothing drops, so this is decided on the payload without making the message.
 */
export function seesWhole(role: Role, event: { readonly type: string }): boolean | undefined {
  if (!receives(role, event.type)) return undefined;
  if (role === 'engineer' && ENGINEER_VIEWS.has(event.type)) return false;
  return !needsStrip(event, dropFor(role), 0);
}

/**
 * Whether two roles receive the events of `types` alike: the same ones, with the same fields removed. Given the
 * protocol/schemas event types, call handlers and supervisors do (a supervisor's extra `audit.*` and `security.*`
 * are no console event), so their consoles' pictures are one (console-views.ts); engineers' are their own.
 */
export function receiveAlike(a: Role, b: Role, types: readonly string[]): boolean {
  return dropFor(a) === dropFor(b) && types.every((t) => receives(a, t) === receives(b, t));
}
