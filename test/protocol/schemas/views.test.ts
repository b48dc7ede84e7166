import { describe, expect, it } from 'vitest';
import { CallView, IncidentView, Track } from '../../../protocol/schemas/index.js';

const AT = '2026-11-23T06:14:00.000Z';
const point = {
  fixTime: '2026-11-23T06:13:58.000Z', receivedAt: AT, lat: 55.74317, lon: -4.26881, accuracyM: 4.5,
  source: 'gps', gpsStatus: 'valid', amlMethod: null, speedKnots: 0.4, courseDeg: 87,
};
const incident = {
  id: 'i-1', handsetId: 'TS-0001', state: 'acknowledged', cause: 'alarm', priority: 'tecsos', force: 'Police Scotland',
  openedAt: AT, acknowledgedAt: AT, acknowledgedBy: 'handler', closedAt: null, closedBy: null, outcome: null,
  tracking: true, callIds: ['c-1'], lastFix: point, handset: { batteryPct: 87, csq: 23, lastReportAt: AT },
  victim: { name: 'A. Person', safetyNotes: 'Abuser has keys.', riskMarkers: ['weapons'] },
};

describe('REST views', () => {
  it('an incident with its victim record, and the list form without it', () => {
    expect(IncidentView.parse(incident)).toEqual(incident);
    expect(IncidentView.safeParse({ ...incident, victim: null, lastFix: null, handset: null }).success).toBe(true);
  });
  it.each([
    ['unknown state', { ...incident, state: 'pending' }],
    ['fix at latitude 95', { ...incident, lastFix: { ...point, lat: 95 } }],
    ['victim with unknown field', { ...incident, victim: { ...incident.victim, password: 'x' } }],
    ['no id', { ...incident, id: undefined }],
  ])('refuses an incident with %s', (_n, v) => {
    expect(IncidentView.safeParse(v).success).toBe(false);
  });
  it('calls and tracks', () => {
    const call = { id: 'c-1', lineId: 'line1', callerNumber: null, priority: 'ordinary', handsetId: null, incidentId: null, force: null, state: 'ringing', ringingAt: AT, answeredAt: null, answeredBy: null, endedAt: null, endedBy: null };
    expect(CallView.safeParse(call).success).toBe(true);
    expect(CallView.safeParse({ ...call, state: 'on-hold' }).success).toBe(false);
    // hungUpBy (25 Nov) is optional: a view without it (an older gateway) is read as before.
    const hungUp = { ...call, state: 'ended', answeredAt: AT, answeredBy: 'super', endedAt: AT, endedBy: 'handler', hungUpBy: 'super' };
    expect(CallView.parse(hungUp).hungUpBy).toBe('super');
    expect(CallView.safeParse({ ...hungUp, hungUpBy: null }).success).toBe(true);
    expect(CallView.safeParse({ ...hungUp, hungUpBy: 42 }).success).toBe(false);
    expect(CallView.safeParse({ ...hungUp, hungUpBy: 'x'.repeat(10_000) }).success).toBe(false);
    expect(Track.safeParse({ incidentId: 'i-1', handsetId: 'TS-0001', points: [point, point] }).success).toBe(true);
    expect(Track.safeParse({ incidentId: 'i-1', handsetId: 'TS-0001', points: [{ ...point, source: 'radar' }] }).success).toBe(false);
  });
});
