// From a stored event to the WebSocket message (protocol/schemas, `{ v: 1, seq, at, type, ...payload }`):
//
//   stored: { seq: 42, storedAt: 1795414440123, redacted: false,
//             event: { type: 'call.answered', at: '2026-11-23T06:14:00.000Z', callId: 'c7', lineId: 'line1', by: 'handler' } }
//   wire:   {"v":1,"seq":42,"at":"2026-11-23T06:14:00.000Z","type":"call.answered","callId":"c7","lineId":"line1","by":"handler"}
//
// `at` is always ISO 8601 on the wire (the store accepts ms too). The payload cannot override `v` or `seq`.
//
// The message's text. The store has already serialised each event it staged (its stored JSON, which begins
// `{"type":..,"at":..` for every event the core makes: gateway/core/state.ts event()); the message is that text
// with `{"v":1,"seq":..` in front and `at`/`type` swapped (wireText), not a second JSON.stringify of the event:
// about 1 us of CPU and 2 KB of garbage less per event on the live path (docs/benchmarks.md).
import type { StoredEvent } from '../store/event-store.js';

/** A wire message before validation. */
export type WireEvent = { readonly v: 1; readonly seq: number; readonly at: string; readonly type: string; readonly [k: string]: unknown };

/** Milliseconds since the epoch of an event's `at` (NaN when unreadable). */
export function atMs(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at);
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** ISO 8601 text of an `at` (unchanged when it is not a readable time: validation then refuses it). */
export function atIso(at: string | number): string {
  if (typeof at === 'string' && ISO_UTC.test(at)) return at;
  const ms = atMs(at);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(at);
}

/** The wire message of a stored event (the envelope, then the payload's fields). */
export function toWire(stored: StoredEvent): WireEvent {
  const e = stored.event;
  const out: Record<string, unknown> = { v: 1, seq: stored.seq, at: atIso(e.at), type: e.type };
  // A plain loop: measurably cheaper than rest/spread here, and this runs once per event per view.
  for (const k in e) {
    if (k !== 'v' && k !== 'seq' && k !== 'at' && k !== 'type' && Object.hasOwn(e, k)) out[k] = e[k];
  }
  return out as WireEvent;
}

/** The JSON text of `value` when it is a string that needs no escaping (an ISO time, an event type), else undefined. */
function plainString(value: unknown): string | undefined {
  return typeof value === 'string' && PLAIN.test(value) ? `"${value}"` : undefined;
}

const PLAIN = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `JSON.stringify(toWire(stored))`, made from `eventText`, the event's own JSON text (`JSON.stringify(stored.event)`
 * when it was staged), without serialising the event again; undefined when the text does not have the shape
 * this relies on (the caller then serialises the wire message itself). It has it when the event's first members
 * are `type` then `at` (an ISO 8601 UTC text, so the same on the wire), its type needs no escaping, and it has
 * no member `v`, `seq` or `__proto__` of its own (toWire leaves those out or cannot copy them): then the rest of
 * its members follow in the same order in both texts, with the same values.
 */
export function wireText(stored: StoredEvent, eventText: string | undefined): string | undefined {
  if (eventText === undefined || !Number.isSafeInteger(stored.seq)) return undefined;
  const e = stored.event;
  const at = typeof e.at === 'string' && ISO_UTC.test(e.at) ? `"${e.at}"` : undefined;
  const type = plainString(e.type);
  if (at === undefined || type === undefined || Object.hasOwn(e, 'v') || Object.hasOwn(e, 'seq') || Object.hasOwn(e, '__proto__')) return undefined;
  // eventText starts {"type":<type>,"at":<at>, then `,` and the other members, or `}`.
  const atFrom = 8 + type.length;
  const rest = atFrom + 6 + at.length;
  if (!eventText.startsWith('{"type":') || !eventText.startsWith(type, 8) || !eventText.startsWith(',"at":', atFrom) || !eventText.startsWith(at, atFrom + 6)) return undefined;
  const next = eventText.charCodeAt(rest);
  if (next === 0x7d && eventText.length === rest + 1) return `{"v":1,"seq":${stored.seq},"at":${at},"type":${type}}`;
  if (next !== 0x2c) return undefined;
  return `{"v":1,"seq":${stored.seq},"at":${at},"type":${type}${eventText.slice(rest)}`;
}
