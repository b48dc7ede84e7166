// protocol/schemas events for the console's unit tests, each checked against GatewayEvent when built.
import { GatewayEvent } from '../../protocol/schemas/events.js';

let seq = 0;
export function resetSeq(n = 0): void {
  seq = n;
}

const iso = (ms: number) => new Date(ms).toISOString();
export const T0 = Date.parse('2026-11-23T06:00:00.000Z');

/** Builds and validates one event; seq rises by one unless given. */
export function make(payload: Record<string, unknown>, at = T0, s?: number): GatewayEvent {
  return GatewayEvent.parse({ v: 1, seq: s ?? ++seq, at: iso(at), ...payload });
}

export const ringing = (callId: string, priority: string, at: number, extra: Record<string, unknown> = {}) =>
  make({ type: 'call.ringing', callId, lineId: 'line1', callerNumber: '+447700900123', priority, handsetId: null, incidentId: null, force: null, ...extra }, at);

export const opened = (incidentId: string, at: number, callId: string | null = null, priority = 'tecsos') =>
  make({ type: 'incident.opened', incidentId, handsetId: 'TS-0001', cause: 'alarm', priority, callId, force: 'Test Force' }, at);

export const fix = (incidentId: string | null, fixAt: number, at: number, callId: string | null = null) =>
  make({
    type: 'fix', incidentId, handsetId: incidentId === null ? null : 'TS-0001', callId, lat: 51.5, lon: -0.12, accuracyM: 10, fixTime: iso(fixAt),
    receivedAt: iso(at), source: incidentId === null ? 'aml' : 'gps', gpsStatus: incidentId === null ? null : 'valid', amlMethod: incidentId === null ? 'gnss' : null,
    speedKnots: 1, courseDeg: 90, sats: 7, hdop: 1, reportCounter: incidentId === null ? null : 1,
  }, at);
