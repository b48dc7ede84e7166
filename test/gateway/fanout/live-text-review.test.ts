// The live path's shortcuts (no schema parse for a run the store's listener hands over, the message made from the
// store's own text, seesWhole) against the old path (every view checked, JSON.stringify of the wire object), on
// events staged through the real store and publicLog: odd key orders, integer-like keys, envelope-named members,
// escapes and unicode, `at` as ms, not UTC or stamped by the store, internal events, victim fields and secrets at
// depth, engineers' reduced refused reports. Every role, every starting point, one frame per event and batches.
import { describe, expect, it } from 'vitest';
import { GatewayEvent } from '../../../protocol/schemas/index.js';
import type { Role } from '../../../gateway/auth/roles.js';
import { publicLog } from '../../../gateway/core/public-log.js';
import { RoleFrames } from '../../../gateway/fanout/role-frames.js';
import type { NewEvent, StoredEvent } from '../../../gateway/store/event-store.js';
import { tmpStore } from '../store/tmp-store.js';

const AT = '2026-11-23T06:00:04.000Z';
const ROLES: readonly Role[] = ['call-handler', 'supervisor', 'engineer'];
const validate = (m: unknown): boolean => GatewayEvent.safeParse(m).success;

const line = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  lineId: 'line1', port: 'mock:a', state: 'up', registration: 'home', signalCsq: 17, detail: 'ok', ...extra,
});

/** Valid events of protocol/schemas types, each in a shape the core does not make but a store could be given. */
const EVENTS: NewEvent[] = [
  { type: 'line.health', at: AT, ...line() },
  { at: AT, type: 'line.health', ...line() }, // at first
  { type: 'line.health', ...line(), at: AT }, // at last
  { type: 'line.health', at: 1795414440123, ...line() }, // ms
  { type: 'line.health', at: '2026-11-23T07:00:04.000+01:00', ...line() }, // not UTC
  { type: 'line.health', at: '2026-11-23T06:00:04Z', ...line() }, // no ms
  { type: 'line.health', ...line() }, // the store stamps `at`
  { type: 'line.health', at: undefined, ...line() } as NewEvent, // an own `at` member that is undefined
  { type: 'line.health', at: AT, ...line({ 0: 'zero', 10: { 1: 'one' } }) }, // integer-like keys
  { type: 'line.health', at: AT, ...line({ v: 2, seq: 99 }) }, // envelope names
  { type: 'line.health', at: AT, ...line({ v: 2 }) },
  { type: 'line.health', at: AT, ...line({ seq: 99 }) },
  JSON.parse(`{"type":"line.health","at":"${AT}","lineId":"line1","port":"mock:a","state":"up","registration":"home","signalCsq":1,"detail":"","__proto__":{"name":"x"}}`) as NewEvent,
  { type: 'line.health', at: AT, ...line({ detail: 'Zoë "Jo" \\ \u2028\u2029 \ud83d\ude00 \ud800 \u0000 </script>' }) },
  { type: 'line.health', at: AT, ...line({ notes: 'victim note', deep: { a: [{ Latitude: 53.1 }] } }) }, // victim fields at depth
  { type: 'line.health', at: AT, ...line({ deep: { HmacKey: 'k', list: [{ TOKEN: 't' }] } }) }, // secrets at depth
  { type: 'report.rejected', at: AT, reason: 'bad-mac', claimedHandsetId: 'TS-0001', counter: 7, fromNumber: '+447700900123', receivedAt: AT, detail: 'from +447700900123: "hi"' },
  { type: 'report.rejected', at: AT, reason: 'unknown-sender', claimedHandsetId: null, counter: null, fromNumber: '+447700900123', receivedAt: AT, detail: 'her SMS' },
  { type: 'handset.status', at: AT, handsetId: 'TS-0001', batteryPct: 81, csq: 17, lastReportAt: AT, lastEvent: 'TRK', lastCounter: 17 },
  { type: 'call.answered', at: AT, callId: 'CALL-000001', lineId: 'line1', by: 'handler', nested: { deep: [1, { x: null }] } },
  { type: 'sms.received', at: AT, text: 'TSR1;h=TS-0001;secret', from: '+447700900123' }, // internal: masked
  { type: 'user.created', at: AT, username: 'ann', role: 'supervisor', passwordHash: 'h' }, // internal: masked
  { type: 'line.health', at: AT, ...line({ detail: 'last' }) },
];

/** The events and texts the fan-out's listener is handed for EVENTS staged in one commit. */
async function staged(events: readonly NewEvent[]): Promise<{ events: readonly StoredEvent[]; texts: readonly (string | undefined)[] | undefined }> {
  const { store } = tmpStore();
  const log = publicLog(store);
  let told: { events: readonly StoredEvent[]; texts: readonly (string | undefined)[] | undefined } | undefined;
  log.subscribe((e, t) => (told = { events: e, texts: t }));
  await store.stage(events).durable;
  if (told === undefined) throw new Error('not told');
  return told;
}

describe('the live path against the old one, on events staged through the real store and publicLog', () => {
  it('writes every role the same texts, whole, reduced and stripped, as JSON.stringify of the checked views', async () => {
    const { events, texts } = await staged(EVENTS);
    expect(texts).toHaveLength(EVENTS.length);
    const fast = new RoleFrames(events, validate, () => undefined, true, texts);
    const old = new RoleFrames(events, validate, () => undefined, false);
    for (const role of ROLES) expect(fast.textsFor(role), role).toEqual(old.textsFor(role));
    // The texts were used (not only the fallback): the events in the core's shape came from the store's text.
    expect(texts?.filter((t) => t !== undefined).length).toBeGreaterThan(5);
    // Engineers: no victim field, no secret, no sender's number or detail, nothing masked.
    const engineer = fast.textsFor('engineer').join('\n');
    for (const needle of ['victim note', 'Latitude', 'HmacKey', 'TOKEN', '+447700900123', 'her SMS', 'TSR1', 'passwordHash']) expect(engineer).not.toContain(needle);
    for (const role of ROLES) {
      const all = fast.textsFor(role).join('\n');
      for (const needle of ['HmacKey', 'TOKEN', 'TSR1;h=', 'passwordHash']) expect(all, role).not.toContain(needle);
    }
  });

  it('writes the same frames from every starting point, plain and batched, for every role', async () => {
    const { events, texts } = await staged(EVENTS);
    const fast = new RoleFrames(events, validate, () => undefined, true, texts);
    const old = new RoleFrames(events, validate, () => undefined, false);
    // Each role's lowest starting point first, as the fan-out does.
    for (const role of ROLES) {
      fast.prepare(role, 0);
      old.prepare(role, 0);
    }
    for (const role of ROLES) {
      for (let from = 0; from < events.length; from++) {
        for (const batch of [false, true]) {
          const a = fast.tailFor(role, from, batch, AT);
          const b = old.tailFor(role, from, batch, AT);
          expect([a.events, a.i], `${role} ${from} ${batch}`).toEqual([b.events, b.i]);
          expect(a.frames, `${role} ${from} ${batch}`).toEqual(b.frames);
        }
      }
    }
  });

  it('lets a text stand for no other event: a listener batch whose texts are one short, or shifted, is serialised', async () => {
    const { events, texts } = await staged(EVENTS);
    const old = new RoleFrames(events, validate, () => undefined, false);
    const short = new RoleFrames(events, validate, () => undefined, true, texts?.slice(1));
    for (const role of ROLES) expect(short.textsFor(role), role).toEqual(old.textsFor(role));
  });
});
