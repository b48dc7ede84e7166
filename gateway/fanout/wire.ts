// From a stored event to the WebSocket message (protocol/schemas, `{ v: 1, seq, at, type, ...payload }`):
//
//   stored: { seq: 42, storedAt: 1795414440123, redacted: false,
//             event: { type: 'call.answered', at: '2026-11-23T06:14:00.000Z', callId: 'c7', lineId: 'line1', by: 'handler' } }
//   wire:   {"v":1,"seq":42,"at":"2026-11-23T06:14:00.000Z","type":"call.answered","callId":"c7","lineId":"line1","by":"handler"}
//
// `at` is always ISO 8601 on the wire (the store accepts ms too). The payload cannot override `v` or `seq`.
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
