// What an engineer gets of each event, and of a handset over REST, is a list of fields kept, not of fields removed
// (gateway/fanout/audience.ts ENGINEER_EVENT_FIELDS, ENGINEER_HANDSET_FIELDS; docs/api.md "Who sees what"). Before,
// `handset.*`, `line.*`, `command.*` and `security.*` events reached engineers whole minus a list of victim and secret
// field names, and so did a handset over REST: a field added later (a `fromNumber`, a `callerNumber`, a `note`) would
// have reached engineers without anyone deciding it. The decision test: every field a protocol/schemas schema
// declares for what engineers get is either kept or withheld, and the test names the one that is neither.
import type { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { GatewayEvent, GATEWAY_EVENT_TYPES } from '../../../protocol/schemas/events.js';
import { HandsetView } from '../../../protocol/schemas/handsets.js';
import { AUDIENCE, ENGINEER_EVENT_FIELDS, ENGINEER_HANDSET_FIELDS, handsetFor, seesWhole, viewFor, Withheld, type EngineerFields } from '../../../gateway/fanout/audience.js';
import { toWire, type WireEvent } from '../../../gateway/fanout/wire.js';

type Schema = z.ZodType;
type Def = { type: string; innerType?: Schema; options?: readonly Schema[]; element?: Schema; in?: Schema; shape?: Record<string, Schema> };
const def = (s: Schema): Def => (s as unknown as { def: Def }).def;

/** The fields a schema declares, when it is an object (or a union or list of objects, or one made optional): else undefined. */
function fieldsOf(s: Schema): Map<string, Schema[]> | undefined {
  const d = def(s);
  if (d.type === 'object') return new Map(Object.entries((s as unknown as { shape: Record<string, Schema> }).shape).map(([k, v]) => [k, [v]]));
  if (d.innerType !== undefined) return fieldsOf(d.innerType); // optional, nullable, default, readonly
  if (d.type === 'array' && d.element !== undefined) return fieldsOf(d.element);
  if (d.type === 'pipe' && d.in !== undefined) return fieldsOf(d.in);
  if (d.type === 'union' && d.options !== undefined) {
    const all = new Map<string, Schema[]>();
    for (const o of d.options) for (const [k, v] of fieldsOf(o) ?? []) all.set(k, [...(all.get(k) ?? []), ...v]);
    return all.size > 0 ? all : undefined;
  }
  return undefined;
}

/** What is wrong with `table` as the decision on `fields` (path names each field), one line each. */
function undecided(path: string, fields: Map<string, Schema[]>, table: EngineerFields, skip: readonly string[] = []): string[] {
  const wrong: string[] = [];
  for (const [name, schemas] of fields) {
    if (skip.includes(name)) continue;
    const at = `${path}.${name}`;
    const f = Object.hasOwn(table, name) ? table[name] : undefined;
    const inner = schemas.map(fieldsOf).find((x) => x !== undefined);
    if (f === undefined) wrong.push(`${at}: declared by protocol/schemas, neither kept nor withheld for engineers (decide it in gateway/fanout/audience.ts)`);
    else if (f instanceof Withheld) {
      if (f.why.trim() === '') wrong.push(`${at}: withheld without saying why`);
    } else if (f === 'keep') {
      if (inner !== undefined) wrong.push(`${at}: kept whole, but it has fields of its own (${[...inner.keys()].join(', ')}): decide each`);
    } else if (inner === undefined) wrong.push(`${at}: a value, not an object: keep or withhold it`);
    else wrong.push(...undecided(at, inner, f));
  }
  for (const name of Object.keys(table)) if (!fields.has(name)) wrong.push(`${path}.${name}: decided for engineers, but protocol/schemas declares no such field`);
  return wrong;
}

/** The engineer's AUDIENCE row for `type` (first matching prefix), without the field tables. */
const engineerFamily = (type: string): boolean => AUDIENCE.find(([prefix]) => type.startsWith(prefix))?.[1].includes('engineer') ?? false;

const schemaOf = (type: string): Schema => GatewayEvent.options.find((o) => o.shape.type.value === type) as Schema;

const AT = '2026-11-23T06:00:00.000Z';
const wire = (event: { type: string; [k: string]: unknown }, seq = 5): WireEvent => toWire({ seq, storedAt: 0, redacted: false, event: { at: AT, ...event } });

/** One valid event of each type engineers get, every field of its schema present: as the core makes them. */
const SAMPLES: Record<string, { type: string; [k: string]: unknown }> = {
  'handset.status': { type: 'handset.status', handsetId: 'TS-0001', batteryPct: 81, csq: 17, lastReportAt: AT, lastEvent: 'TRK', lastCounter: 17 },
  'handset.health': { type: 'handset.health', handsetId: 'TS-0001', problem: 'low-battery', lastHeartbeatAt: AT, batteryPct: 9, detail: 'battery 9%' },
  'line.health': { type: 'line.health', lineId: 'line1', port: 'mock:a', state: 'up', registration: 'home', signalCsq: 17, detail: 'ok' },
  'command.sent': { type: 'command.sent', handsetId: 'TS-0001', incidentId: 'INC-000001', counter: 3, command: { kind: 'INTERVAL', seconds: 30 }, by: 'handler', lineId: 'line1' },
  'command.result': { type: 'command.result', handsetId: 'TS-0001', counter: 3, result: 'acknowledged', detail: '' },
  'report.rejected': { type: 'report.rejected', reason: 'sender-mismatch', claimedHandsetId: 'TS-0001', counter: 7, fromNumber: '+447700900123', receivedAt: AT, detail: 'the SMS came from +447700900123' },
};

describe("an engineer's fields, kept, not removed", () => {
  it('has every field of every event type engineers get decided, kept or withheld, and names the one that is not', () => {
    const types = GATEWAY_EVENT_TYPES.filter(engineerFamily);
    expect(types.length).toBeGreaterThan(5);
    const wrong: string[] = [];
    for (const type of types) {
      const table = ENGINEER_EVENT_FIELDS.get(type);
      if (table === undefined) wrong.push(`${type}: engineers' AUDIENCE row takes it, but no field of it is decided (ENGINEER_EVENT_FIELDS)`);
      else wrong.push(...undecided(type, fieldsOf(schemaOf(type)) as Map<string, Schema[]>, table, ['v', 'seq', 'at', 'type']));
    }
    for (const type of ENGINEER_EVENT_FIELDS.keys()) if (!types.includes(type as never)) wrong.push(`${type}: decided for engineers, but no protocol/schemas event type engineers get`);
    wrong.push(...undecided('HandsetView', fieldsOf(HandsetView) as Map<string, Schema[]>, ENGINEER_HANDSET_FIELDS));
    expect(wrong).toEqual([]);
  });

  it("gives an engineer today's events of every type as they are, byte for byte, and a refused report reduced", () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...ENGINEER_EVENT_FIELDS.keys()].sort());
    for (const [type, sample] of Object.entries(SAMPLES)) {
      const w = wire(sample);
      expect(GatewayEvent.safeParse(w).success, type).toBe(true);
      const view = viewFor('engineer', w);
      if (type === 'report.rejected') {
        expect(JSON.stringify(view)).toBe(`{"v":1,"seq":5,"at":"${AT}","type":"report.rejected","reason":"sender-mismatch","claimedHandsetId":"TS-0001","counter":7,"fromNumber":null,"receivedAt":"${AT}","detail":""}`);
        expect(seesWhole('engineer', sample)).toBe(false);
      } else {
        expect(view, type).toBe(w);
        expect(seesWhole('engineer', sample), type).toBe(true);
      }
      // Handlers and supervisors: unchanged.
      for (const role of ['call-handler', 'supervisor'] as const) expect(viewFor(role, w), `${role} ${type}`).toBe(w);
    }
  });

  it('does not send an engineer a field added to an event without a decision, at the top or inside a kept object', () => {
    const added = { fromNumber: '+447700900123', callerNumber: '+447700900124', note: 'she moved to her sister', position: { lat: 53.8, lon: -1.5 } };
    for (const [type, sample] of Object.entries(SAMPLES)) {
      const plain = viewFor('engineer', wire(sample));
      const w = wire({ ...sample, ...added, fromNumber: sample['fromNumber'] ?? added.fromNumber });
      const view = viewFor('engineer', w);
      expect(view, type).toEqual(plain);
      expect(JSON.stringify(view), type).not.toMatch(/\+44770090012[34]|sister|53\.8/);
      expect(seesWhole('engineer', { ...sample, ...added }), type).toBe(false);
      // Supervisors still get the event as it is.
      expect(viewFor('supervisor', w), type).toBe(w);
    }
    const sent = wire({ ...SAMPLES['command.sent'] as { type: string }, command: { kind: 'LOCATE', note: 'her new address' } });
    expect(viewFor('engineer', sent)?.['command']).toEqual({ kind: 'LOCATE' });
  });

  it('sends an engineer nothing of an event type nobody has decided the fields of, whatever its prefix', () => {
    for (const type of ['handset.registered', 'line.sms', 'command.queued', 'security.alert']) {
      const w = wire({ type, handsetId: 'TS-0001', fromNumber: '+447700900123' });
      expect(viewFor('engineer', w), type).toBeUndefined();
      expect(seesWhole('engineer', { type }), type).toBeUndefined();
    }
    // A supervisor gets what the table gives her, as before.
    expect(viewFor('supervisor', wire({ type: 'security.alert', detail: 'd' }))).toBeDefined();
    expect(viewFor('supervisor', wire({ type: 'handset.registered', handsetId: 'TS-0001' }))).toBeDefined();
  });

  it('gives an engineer a handset over REST as its kept fields: as today, without a field added to the view later', () => {
    const h: HandsetView = {
      id: 'TS-0001', number: '+447700900001', imei: '356938035643809', force: 'West Yorkshire', testMode: false, registeredAt: AT,
      batteryPct: 80, csq: 17, lastReportAt: AT, lastHeartbeatAt: AT, untested: false, lastRejection: null, openIncidentId: null,
    };
    expect(HandsetView.safeParse(h).success).toBe(true);
    expect(handsetFor('engineer', h)).toBe(h);
    const refused = { ...h, lastRejection: { reason: 'sender-mismatch' as const, at: AT, detail: 'the SMS came from +447700900123' } };
    expect(handsetFor('engineer', refused)).toEqual({ ...h, lastRejection: { reason: 'sender-mismatch', at: AT, detail: '' } });
    expect(handsetFor('supervisor', refused)).toBe(refused);
    // A field the registry's view may carry one day: not for engineers until decided.
    const more = { ...refused, lastSenderNumber: '+447700900123', victimName: 'Jane', lastRejection: { ...refused.lastRejection, fromNumber: '+447700900123' } };
    expect(handsetFor('engineer', more)).toEqual({ ...h, lastRejection: { reason: 'sender-mismatch', at: AT, detail: '' } });
    expect(handsetFor('supervisor', more)).toBe(more);
  });
});
