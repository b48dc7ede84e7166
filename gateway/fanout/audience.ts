// Who receives which event on the WebSocket, decided per event type in one table (first matching prefix wins),
// and what is removed before sending. Decisions (docs/api.md, "Who sees what"):
//
// - call handlers and supervisors get everything operational (calls, incidents, reports, fixes, lines,
//   handsets);
// - engineers look after lines and handsets, not victims: they get `line.*`, `handset.*`, `command.*` (the
//   outcome of the TSC1 commands they may send a handset on the bench) and `security.*` events, and the refused
//   reports that name a handset (a wrong key, the wrong SIM, a replay: the handset needs an engineer), each as
//   the fields kept for its type (ENGINEER_EVENT_FIELDS: fields kept, not fields removed; a type with no fields
//   reviewed there, none at all), and behind that, as before, with every victim field (names, notes, positions)
//   removed at any depth;
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
  // Engineers get it reduced (ENGINEER_EVENT_FIELDS), and only when it names a handset.
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

/** A field an engineer gets as it is. */
const KEEP = 'keep';

/**
 * A field an engineer never gets, with why. `blank`: what the field holds instead, where the schema requires the
 * field (`null`, `''`); without one the field is left out.
 */
export class Withheld {
  constructor(readonly why: string, readonly blank?: null | '') {}
}
const withheld = (why: string, blank?: null | ''): Withheld => new Withheld(why, blank);

/** Every field of a shape, decided: kept as is, kept with its own fields decided (an object, or a list of them), or withheld. */
export type EngineerFields = { readonly [field: string]: typeof KEEP | EngineerFields | Withheld };

const SENDER = "the sender's number: anyone's (the public's, the abuser's) where the MAC was not verified, a person's phone relaying her report for a sender-mismatch";
const REFUSAL_DETAIL = "the gateway's free text: quotes what a refused message said, names the number it came from";

/**
 * What an engineer gets of each event type, field by field (docs/api.md "Who sees what"): fields kept, not fields
 * removed. Every field its protocol/schemas schema declares is either kept or withheld here, with why
 * (test/gateway/fanout/engineer-fields.test.ts fails naming a field that is neither, so a field added to an event
 * later reaches engineers only once someone has decided it here). A field the event has and the table does not
 * name (off-schema, or added without a decision) is not sent. An engineer gets no event of a type missing here,
 * whatever AUDIENCE says of its prefix (`security.*`, a `handset.*` type to come): nobody has reviewed its fields.
 * The envelope (`v`, `seq`, `at`, `type`) is always kept.
 */
export const ENGINEER_EVENT_FIELDS: ReadonlyMap<string, EngineerFields> = new Map<string, EngineerFields>([
  ['handset.status', { handsetId: KEEP, batteryPct: KEEP, csq: KEEP, lastReportAt: KEEP, lastEvent: KEEP, lastCounter: KEEP }],
  ['handset.health', { handsetId: KEEP, problem: KEEP, lastHeartbeatAt: KEEP, batteryPct: KEEP, detail: KEEP }],
  ['line.health', { lineId: KEEP, port: KEEP, state: KEEP, registration: KEEP, signalCsq: KEEP, detail: KEEP }],
  // An engineer sends TSC1 commands on the bench; a command from an incident names the incident and its sender.
  ['command.sent', { handsetId: KEEP, incidentId: KEEP, counter: KEEP, command: { kind: KEEP, seconds: KEEP }, by: KEEP, lineId: KEEP }],
  ['command.result', { handsetId: KEEP, counter: KEEP, result: KEEP, detail: KEEP }],
  // A refused report: the reason, the handset it claims to be from (unverified), its counter and when it came; that
  // is all an engineer needs to go to the handset (its key, its SIM, its counter), and none of it is about a person.
  // Where the MAC was verified and the number is the handset's (duplicate, replay, too-old) engineers have the
  // number from GET /api/handsets; a sender-mismatch is the wrong SIM, or her genuine report captured and sent again
  // from someone's phone (the sender is checked before the replay window). Only one that names a handset
  // (ENGINEER_WHEN).
  ['report.rejected', {
    reason: KEEP, claimedHandsetId: KEEP, counter: KEEP, fromNumber: withheld(SENDER, null), receivedAt: KEEP,
    detail: withheld(REFUSAL_DETAIL, ''),
  }],
]);

/**
 * Event types an engineer gets only some of: a refused report that names no handset (unknown-sender, bad-aml, a
 * TSR1 text with no readable h= from no handset's number) is a person's SMS, or nothing an engineer can tie to a
 * handset.
 */
const ENGINEER_WHEN: ReadonlyMap<string, (e: { readonly type: string }) => boolean> = new Map([
  ['report.rejected', (e: { readonly type: string }) => typeof (e as { readonly [k: string]: unknown })['claimedHandsetId'] === 'string'],
]);

/**
 * A handset as an engineer gets it over REST (GET /api/handsets, and the handset a registration answers with), by
 * the same rule: fields kept, every HandsetView field decided (the same test). Its last refused report
 * (`lastRejection`) as the WebSocket's report.rejected: the reason and when it came, `detail: ''` (for a
 * sender-mismatch it named the number the SMS came from, which may be the abuser's phone relaying her genuine
 * report). The reason is the diagnosis: `sender-mismatch` says the SMS came from a number other than the
 * handset's own, which the same view lists (`number`).
 */
export const ENGINEER_HANDSET_FIELDS: EngineerFields = {
  id: KEEP, number: KEEP, imei: KEEP, force: KEEP, testMode: KEEP, registeredAt: KEEP, batteryPct: KEEP, csq: KEEP,
  lastReportAt: KEEP, lastHeartbeatAt: KEEP, untested: KEEP,
  lastRejection: { reason: KEEP, at: KEEP, detail: withheld(REFUSAL_DETAIL, '') },
  openIncidentId: KEEP,
};

/** The envelope: every event's, always kept. */
const ENVELOPE = new Set(['v', 'seq', 'at', 'type']);

/** Whether `value` holds only fields `fields` keeps as they are (then the engineer gets it unchanged). */
function keepsWhole(value: unknown, fields: EngineerFields, skip: ReadonlySet<string> | undefined, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth > 16) return false;
  if (Array.isArray(value)) return value.every((v) => keepsWhole(v, fields, undefined, depth + 1));
  for (const k in value) {
    if (!Object.hasOwn(value, k) || skip?.has(k) === true) continue;
    const f = Object.hasOwn(fields, k) ? fields[k] : undefined;
    const v = (value as Record<string, unknown>)[k];
    if (f === KEEP) {
      if (v !== null && typeof v === 'object') return false; // a field the schema says is a value: not reviewed as an object
    } else if (f === undefined || f instanceof Withheld || !keepsWhole(v, f as EngineerFields, undefined, depth + 1)) return false;
  }
  return true;
}

/** `value` with only the fields `fields` keeps (and blanks for those withheld with one), in the table's order. */
function keptOf(value: unknown, fields: EngineerFields, depth: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > 16) return undefined;
  if (Array.isArray(value)) return value.map((v) => keptOf(v, fields, depth + 1));
  const from = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, f] of Object.entries(fields)) {
    if (f instanceof Withheld) {
      if (f.blank !== undefined) out[k] = f.blank;
    } else if (Object.hasOwn(from, k)) {
      out[k] = f === KEEP ? from[k] : keptOf(from[k], f as EngineerFields, depth + 1);
    }
  }
  return out;
}

/** `e` as an engineer gets it: itself when it holds only kept fields, a copy of those, or undefined (not sent). */
function engineerView(e: WireEvent): WireEvent | undefined {
  const fields = ENGINEER_EVENT_FIELDS.get(e.type);
  if (fields === undefined || ENGINEER_WHEN.get(e.type)?.(e) === false) return undefined;
  if (keepsWhole(e, fields, ENVELOPE, 0)) return e;
  return { v: e.v, seq: e.seq, at: e.at, type: e.type, ...(keptOf(e, fields, 0) as Record<string, unknown>) };
}

/** A handset as `role` gets it over REST: engineers by ENGINEER_HANDSET_FIELDS; supervisors as stored. */
export function handsetFor(role: Role, h: HandsetView): HandsetView {
  if (role !== 'engineer' || keepsWhole(h, ENGINEER_HANDSET_FIELDS, undefined, 0)) return h;
  return keptOf(h, ENGINEER_HANDSET_FIELDS, 0) as HandsetView;
}

/** Whether `role` receives events of `type` (an engineer: also only of a type ENGINEER_EVENT_FIELDS reviews). */
export function receives(role: Role, type: string): boolean {
  if (role === 'engineer' && !ENGINEER_EVENT_FIELDS.has(type)) return false;
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
  const e = role === 'engineer' ? engineerView(event) : event;
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
  if (role === 'engineer') {
    const fields = ENGINEER_EVENT_FIELDS.get(event.type) as EngineerFields;
    if (ENGINEER_WHEN.get(event.type)?.(event) === false) return undefined;
    if (!keepsWhole(event, fields, ENVELOPE, 0)) return false;
  }
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
