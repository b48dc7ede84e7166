// One position of an incident's track, read from a `fix` event (gateway/reports: tsr1-intake.ts for a handset's
// GPS, aml-intake.ts for an AML SMS):
//
//   { type: 'fix', at, incidentId: 'INC-000001', handsetId: 'TS-0001', callId: null, lat: 53.79, lon: -1.55,
//     accuracyM: 4.5, fixTime: '2026-11-23T06:00:00.000Z', receivedAt: '2026-11-23T06:00:04.000Z',
//     source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 1.2, courseDeg: 87, sats: 9, hdop: 0.9,
//     reportCounter: 17 }
//
// The projection keeps only an incident's newest fixes in memory (incidents.ts); the whole track is read from
// the log when someone asks for it (views.ts trackFromFixEvents), through this same reading of the event.
import type { StoredEvent } from '../store/event-store.js';

/** One position of an incident's track, as the `fix` event carried it. */
export type FixRecord = {
  readonly seq: number;
  readonly lat: number;
  readonly lon: number;
  readonly accuracyM: number | null;
  readonly fixTime: string;
  readonly receivedAt: string;
  readonly source: 'gps' | 'aml';
  readonly gpsStatus: 'valid' | 'invalid' | null;
  readonly amlMethod: string | null;
  readonly speedKnots: number | null;
  readonly courseDeg: number | null;
};

/** The fix a stored `fix` event carries (the caller checked the type; absent optional fields read as null). */
export function fixRecordOf(stored: StoredEvent): FixRecord {
  const e = stored.event as Record<string, unknown>;
  return {
    seq: stored.seq,
    lat: e['lat'] as number,
    lon: e['lon'] as number,
    accuracyM: (e['accuracyM'] as number | null | undefined) ?? null,
    fixTime: e['fixTime'] as string,
    receivedAt: e['receivedAt'] as string,
    source: e['source'] as 'gps' | 'aml',
    gpsStatus: (e['gpsStatus'] as 'valid' | 'invalid' | null | undefined) ?? null,
    amlMethod: (e['amlMethod'] as string | null | undefined) ?? null,
    speedKnots: (e['speedKnots'] as number | null | undefined) ?? null,
    courseDeg: (e['courseDeg'] as number | null | undefined) ?? null,
  };
}
