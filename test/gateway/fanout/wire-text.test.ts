// wireText: the WebSocket message of a stored event made from the event's own JSON text (as the store wrote it)
// must be, byte for byte, the message JSON.stringify(toWire(stored)) makes, or not be made at all.
import { describe, expect, it } from 'vitest';
import { toWire, wireText } from '../../../gateway/fanout/wire.js';
import type { NewEvent, StoredEvent } from '../../../gateway/store/event-store.js';

const AT = '2026-11-23T06:00:04.000Z';

function stored(event: NewEvent, seq = 42): StoredEvent {
  return { seq, storedAt: 0, redacted: false, event: event as StoredEvent['event'] };
}

/** Events as the core makes them (gateway/core/state.ts event(): type, at, then the payload). */
const made: NewEvent[] = [
  { type: 'fix', at: AT, incidentId: 'INC-000001', handsetId: 'TS-0001', callId: null, lat: 53.79123, lon: -1.55432, accuracyM: 4.5, fixTime: '2026-11-23T06:00:00.000Z', receivedAt: AT, source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1.2, courseDeg: 87, sats: 9, hdop: 0.9, reportCounter: 17 },
  { type: 'report.accepted', at: AT, handsetId: 'TS-0001', event: 'TRK', counter: 17, mac: '0123456789abcdef', incidentId: 'INC-000001' },
  { type: 'handset.status', at: AT, handsetId: 'TS-0001', batteryPct: 81, csq: 17, lastReportAt: AT, lastEvent: 'TRK', lastCounter: 17 },
  { type: 'incident.opened', at: AT, incidentId: 'INC-000002', cause: 'tracking', priority: 'tecsos', handsetId: 'TS-0002', victim: { name: 'Zoë "Jo" O\'Brien \\ \u2028 😀', safetyNotes: 'line1\nline2', riskMarkers: ['a', 'b'] } },
  { type: 'line.health', at: AT },
  { type: 'call.answered', at: AT, callId: 'CALL-000001', lineId: 'line1', by: 'handler', extra: undefined, nested: { deep: [1, { x: null }] } },
];

describe('wireText', () => {
  it('makes, from the stored text, exactly the message JSON.stringify(toWire()) makes for every event the core makes', () => {
    for (const e of made) {
      const s = stored(e);
      const text = wireText(s, JSON.stringify(e));
      expect(text).toBe(JSON.stringify(toWire(s)));
    }
  });

  it('makes nothing (the caller serialises) when the text does not begin with type then an ISO `at`, or toWire would drop or rename a member', () => {
    const odd: NewEvent[] = [
      { at: AT, type: 'fix', lat: 1 }, // at first
      { type: 'fix', lat: 1, at: AT }, // at later
      { type: 'fix', at: 1795414440123, lat: 1 }, // at in ms: ISO on the wire
      { type: 'fix', at: 'yesterday', lat: 1 },
      { type: 'fix', at: '2026-11-23T06:00:04Z', lat: 1 }, // not the ms form toISOString gives
      { type: 'fix', at: AT, v: 2, lat: 1 }, // v and seq are the envelope's
      { type: 'fix', at: AT, seq: 7, lat: 1 },
      { type: 'odd"type', at: AT, lat: 1 }, // a type that needs escaping
      { type: 'fix\u2028', at: AT },
      { 5: 'five', type: 'fix', at: AT } as NewEvent, // an integer key is enumerated first
      JSON.parse(`{"type":"fix","at":"${AT}","__proto__":{"x":1}}`) as NewEvent,
    ];
    for (const e of odd) {
      const s = stored(e);
      const text = wireText(s, JSON.stringify(e));
      expect(text === undefined || text === JSON.stringify(toWire(s)), JSON.stringify(e)).toBe(true);
    }
    for (const e of odd.slice(0, 9)) expect(wireText(stored(e), JSON.stringify(e)), JSON.stringify(e)).toBeUndefined();
  });

  it('makes nothing from a text that is not the event\'s (no text, another type or time, a cut text)', () => {
    const e = made[0] as NewEvent;
    const s = stored(e);
    const text = JSON.stringify(e);
    expect(wireText(s, undefined)).toBeUndefined();
    expect(wireText(s, text.replace('"fix"', '"fiy"'))).toBeUndefined();
    expect(wireText(s, text.replace(AT, '2026-11-23T06:00:05.000Z'))).toBeUndefined();
    expect(wireText(s, `{"type":"fix","at":"${AT}"`)).toBeUndefined();
    expect(wireText(s, `{"type":"fix","at":"${AT}"}x`)).toBeUndefined();
  });
});
