import { describe, expect, it } from 'vitest';
import * as S from '../../../protocol/schemas/index.js';
import { HANDSET_ID_PATTERN, REPORT_EVENT_CODES, ReplayOutcome, WireReason } from '../../../protocol/report/index.js';

const AT = '2026-11-23T06:14:00.000Z';
const env = (seq: number) => ({ v: 1 as const, seq, at: AT });

// One good example of every gateway event, as the gateway would send it.
const GOOD: Record<S.GatewayEventType, object> = {
  'call.ringing': { ...env(1), type: 'call.ringing', callId: 'c-1', lineId: 'line1', callerNumber: '+447700900123', priority: 'tecsos', handsetId: 'TS-0001', incidentId: 'i-1', force: 'Police Scotland' },
  'call.identified': { ...env(2), type: 'call.identified', callId: 'c-1', lineId: 'line1', callerNumber: '+447700900123', priority: 'tecsos', handsetId: 'TS-0001', incidentId: 'i-1', force: 'Police Scotland' },
  'call.answered': { ...env(2), type: 'call.answered', callId: 'c-1', lineId: 'line1', by: 'handler' },
  'call.ended': { ...env(3), type: 'call.ended', callId: 'c-1', lineId: 'line1', endedBy: 'network', by: null, talkSeconds: 95 },
  'incident.opened': { ...env(4), type: 'incident.opened', incidentId: 'i-1', handsetId: 'TS-0001', cause: 'alarm', priority: 'tecsos', callId: null, force: null },
  'incident.acknowledged': { ...env(5), type: 'incident.acknowledged', incidentId: 'i-1', by: 'handler', note: 'units dispatched' },
  'incident.closed': { ...env(6), type: 'incident.closed', incidentId: 'i-1', by: 'supervisor', outcome: 'officers-attended' },
  'incident.tracking-stopped': { ...env(7), type: 'incident.tracking-stopped', incidentId: 'i-1', handsetId: 'TS-0001', reason: 'timeout', by: null },
  'incident.locate-requested': { ...env(8), type: 'incident.locate-requested', incidentId: 'i-1', handsetId: 'TS-0001', by: 'handler' },
  'incident.re-alarmed': { ...env(8), type: 'incident.re-alarmed', incidentId: 'i-1', handsetId: 'TS-0001', reportCounter: 12 },
  fix: {
    ...env(9), type: 'fix', incidentId: 'i-1', handsetId: 'TS-0001', callId: null, lat: 55.74317, lon: -4.26881, accuracyM: 4.5,
    fixTime: '2026-11-23T06:13:58.000Z', receivedAt: AT, source: 'gps', gpsStatus: 'valid', amlMethod: null,
    speedKnots: 0.4, courseDeg: 87, sats: 9, hdop: 0.9, reportCounter: 1042,
  },
  'report.accepted': { ...env(10), type: 'report.accepted', handsetId: 'TS-0001', counter: 1042, event: 'ALM', batteryPct: 87, csq: 23, incidentId: 'i-1', receivedAt: AT, fromNumber: '+447700900123' },
  'report.rejected': { ...env(11), type: 'report.rejected', reason: 'bad-mac', claimedHandsetId: 'TS-0001', counter: 1043, fromNumber: '+447700900999', receivedAt: AT, detail: 'MAC mismatch' },
  'handset.status': { ...env(12), type: 'handset.status', handsetId: 'TS-0001', batteryPct: 87, csq: 99, lastReportAt: AT, lastEvent: 'TRK', lastCounter: 1043 },
  'handset.health': { ...env(13), type: 'handset.health', handsetId: 'TS-0001', problem: 'missed-heartbeat', lastHeartbeatAt: null, batteryPct: null, detail: 'no HBT for 25 h' },
  'command.sent': { ...env(14), type: 'command.sent', handsetId: 'TS-0001', incidentId: 'i-1', counter: 17, command: { kind: 'INTERVAL', seconds: 30 }, by: 'handler', lineId: 'line2' },
  'command.result': { ...env(15), type: 'command.result', handsetId: 'TS-0001', counter: 17, result: 'acknowledged', detail: '' },
  'line.health': { ...env(16), type: 'line.health', lineId: 'line1', port: 'tcp://127.0.0.1:7101', state: 'up', registration: 'home', signalCsq: 21, detail: '' },
};

describe('gateway events', () => {
  it('there is one example per event type (the table is complete)', () => {
    expect(Object.keys(GOOD).sort()).toEqual([...S.GATEWAY_EVENT_TYPES].sort());
  });

  it.each(Object.entries(GOOD))('%s: accepted by its union and by the WebSocket message schema', (_type, msg) => {
    const parsed = S.GatewayEvent.parse(msg);
    expect(parsed).toEqual(msg);
    expect(S.WsServerMessage.safeParse(msg).success).toBe(true);
  });

  const bad: [string, object][] = [
    ['latitude 95', { ...GOOD.fix, lat: 95 }],
    ['longitude -180.5', { ...GOOD.fix, lon: -180.5 }],
    ['NaN latitude', { ...GOOD.fix, lat: Number.NaN }],
    ['negative accuracy', { ...GOOD.fix, accuracyM: -1 }],
    ['unknown fix source', { ...GOOD.fix, source: 'guess' }],
    ['fix time without zone', { ...GOOD.fix, fixTime: '2026-11-23 06:13:58' }],
    ['version 2', { ...GOOD['call.ringing'], v: 2 }],
    ['seq 0', { ...GOOD['call.ringing'], seq: 0 }],
    ['seq 1.5', { ...GOOD['call.ringing'], seq: 1.5 }],
    ['missing seq', { ...GOOD['call.ringing'], seq: undefined }],
    ['unknown type', { ...GOOD['call.ringing'], type: 'call.exploded' }],
    ['unknown priority', { ...GOOD['call.ringing'], priority: 'urgent' }],
    ['caller number with letters', { ...GOOD['call.ringing'], callerNumber: 'ANONYMOUS' }],
    ['lower-case handset id', { ...GOOD['call.ringing'], handsetId: 'ts-0001' }],
    ['battery 140', { ...GOOD['handset.status'], batteryPct: 140 }],
    ['CSQ 45', { ...GOOD['handset.status'], csq: 45 }],
    ['counter 2^32', { ...GOOD['report.accepted'], counter: 2 ** 32 }],
    ['unknown reject reason', { ...GOOD['report.rejected'], reason: 'bad-vibes' }],
    ['interval 1 s', { ...GOOD['command.sent'], command: { kind: 'INTERVAL', seconds: 1 } }],
    ['unknown outcome', { ...GOOD['incident.closed'], outcome: 'solved' }],
    ['huge note', { ...GOOD['incident.acknowledged'], note: 'x'.repeat(2001) }],
    ['ended by nobody', { ...GOOD['call.ended'], endedBy: 'ghost' }],
  ];
  it.each(bad)('%s: rejected', (_name, msg) => {
    expect(S.GatewayEvent.safeParse(msg).success).toBe(false);
  });

  it('withheld numbers, AML fixes without handset and unknown accuracy are representable', () => {
    expect(S.CallRinging.safeParse({ ...GOOD['call.ringing'], callerNumber: null, priority: 'ordinary', handsetId: null, incidentId: null }).success).toBe(true);
    const aml = { ...GOOD.fix, incidentId: null, handsetId: null, callId: 'c-9', source: 'aml', gpsStatus: null, amlMethod: 'wifi', accuracyM: null, speedKnots: null, courseDeg: null, sats: null, hdop: null, reportCounter: null };
    expect(S.Fix.safeParse(aml).success).toBe(true);
  });
});

describe('WebSocket control messages', () => {
  it('accepts hello, live, error, pong from the server and ping from the client', () => {
    for (const m of [
      { v: 1, type: 'hello', at: AT, user: { username: 'handler', role: 'call-handler' }, since: 0, headSeq: 42 },
      { v: 1, type: 'live', at: AT, headSeq: 42 },
      { v: 1, type: 'error', at: AT, code: 'slow-consumer', message: 'queue full', lastSeq: 40 },
      { v: 1, type: 'pong', at: AT },
    ]) {
      expect(S.WsServerMessage.safeParse(m).success, JSON.stringify(m)).toBe(true);
    }
    expect(S.WsClientMessage.safeParse({ v: 1, type: 'ping', nonce: 'a' }).success).toBe(true);
    expect(S.WsClientMessage.safeParse({ v: 1, type: 'ping', evil: true }).success).toBe(false);
    expect(S.WsClientMessage.safeParse({ v: 1, type: 'acknowledge' }).success).toBe(false);
  });

  it('?since= is a non-negative integer, 0 by default; ?batch= and ?view= are 0 or 1, 0 by default', () => {
    expect(S.WsSinceQuery.parse({})).toEqual({ since: 0, batch: false, view: false });
    expect(S.WsSinceQuery.parse({ since: '17' })).toEqual({ since: 17, batch: false, view: false });
    expect(S.WsSinceQuery.parse({ since: '17', batch: '1' })).toEqual({ since: 17, batch: true, view: false });
    expect(S.WsSinceQuery.parse({ since: '0', batch: '1', view: '1' })).toEqual({ since: 0, batch: true, view: true });
    for (const since of ['-1', '1.5', 'abc']) expect(S.WsSinceQuery.safeParse({ since }).success, since).toBe(false);
    for (const batch of ['2', 'true', '']) expect(S.WsSinceQuery.safeParse({ batch }).success, batch).toBe(false);
    for (const view of ['2', 'yes', '']) expect(S.WsSinceQuery.safeParse({ view }).success, view).toBe(false);
  });

  it('a batch carries 1 to 500 events, each a valid event; its envelope alone reads any array', () => {
    const ev = { v: 1, seq: 3, at: '2026-11-23T06:00:00.000Z', type: 'call.answered', callId: 'c1', lineId: 'line1', by: 'handler' };
    const batch = (events: unknown[]) => ({ v: 1, type: 'batch', at: '2026-11-23T06:00:00.000Z', events });
    expect(S.WsServerMessage.safeParse(batch([ev, { ...ev, seq: 4 }])).success).toBe(true);
    expect(S.EventBatch.safeParse(batch([])).success).toBe(false);
    expect(S.EventBatch.safeParse(batch(Array.from({ length: 501 }, (_, i) => ({ ...ev, seq: i + 1 })))).success).toBe(false);
    expect(S.EventBatch.safeParse(batch([ev, { ...ev, type: 'nonsense' }])).success).toBe(false);
    expect(S.EventBatchEnvelope.safeParse(batch([ev, { ...ev, type: 'nonsense' }])).success).toBe(true);
  });
});

describe('REST bodies', () => {
  const key = Buffer.alloc(32, 7);
  const register = {
    id: 'TS-0001',
    number: '+447700900123',
    imei: '356708041746734',
    key: key.toString('hex'),
    force: 'Police Scotland',
    victim: { name: 'A. Person', safetyNotes: 'Abuser has keys. Do not call back.', riskMarkers: ['weapons', 'children-present'] },
  };

  it('handset registration: hex, base64 and base64url keys; defaults filled in', () => {
    expect(S.HandsetRegisterRequest.parse(register)).toMatchObject({ testMode: false, replace: false });
    for (const k of [key.toString('base64'), key.toString('base64url'), key.toString('hex').toUpperCase()]) {
      expect(S.HandsetRegisterRequest.safeParse({ ...register, key: k }).success, k).toBe(true);
    }
  });

  it.each([
    ['short key', { ...register, key: 'abcd' }],
    ['31-byte key', { ...register, key: Buffer.alloc(31).toString('hex') }],
    ['IMEI of 14 digits', { ...register, imei: '35670804174673' }],
    ['unknown field', { ...register, admin: true }],
    ['risk marker with spaces', { ...register, victim: { ...register.victim, riskMarkers: ['has a gun'] } }],
    ['no victim', { ...register, victim: undefined }],
    ['bad id', { ...register, id: 'TS 0001' }],
  ])('handset registration refuses %s', (_name, body) => {
    expect(S.HandsetRegisterRequest.safeParse(body).success).toBe(false);
  });

  it('login, user create, incident actions, errors', () => {
    expect(S.LoginRequest.safeParse({ username: 'handler', password: 'x' }).success).toBe(true);
    expect(S.LoginRequest.safeParse({ username: 'handler' }).success).toBe(false);
    expect(S.UserCreateRequest.safeParse({ username: 'jo', displayName: 'Jo', role: 'supervisor', password: 'correct horse battery' }).success).toBe(true);
    expect(S.UserCreateRequest.safeParse({ username: 'jo', displayName: 'Jo', role: 'root', password: 'correct horse battery' }).success).toBe(false);
    expect(S.UserCreateRequest.safeParse({ username: 'jo', displayName: 'Jo', role: 'supervisor', password: 'short' }).success).toBe(false);
    expect(S.AcknowledgeRequest.safeParse({}).success).toBe(true);
    expect(S.CloseIncidentRequest.safeParse({ outcome: 'false-alarm' }).success).toBe(true);
    expect(S.CloseIncidentRequest.safeParse({ outcome: 'transferred' }).success).toBe(false);
    expect(S.CloseIncidentRequest.safeParse({ outcome: 'transferred', transferredTo: 'Cumbria' }).success).toBe(true);
    expect(S.LocateRequest.safeParse({ now: true }).success).toBe(false);
    expect(S.SendCommandRequest.safeParse({ command: { kind: 'LOCATE' } }).success).toBe(true);
    expect(S.ApiError.safeParse({ error: 'not-found', message: 'no such incident' }).success).toBe(true);
    expect(S.ApiError.safeParse({ error: 'oops', message: '' }).success).toBe(false);
  });

  it('audit entries carry a SHA-256 chain', () => {
    const entry = { seq: 1, at: AT, actor: 'supervisor', action: 'track.export', subject: 'incident:i-1', detail: 'GPX', prevHash: '0'.repeat(64), hash: 'ab'.repeat(32) };
    expect(S.AuditEntry.safeParse(entry).success).toBe(true);
    expect(S.AuditEntry.safeParse({ ...entry, actor: 'system', action: 'purge' }).success).toBe(true);
    expect(S.AuditEntry.safeParse({ ...entry, actor: 'system:retention', action: 'purge' }).success).toBe(true);
    expect(S.AuditEntry.safeParse({ ...entry, actor: 'system:' }).success).toBe(false);
    expect(S.AuditEntry.safeParse({ ...entry, hash: 'xyz' }).success).toBe(false);
  });
});

describe('schemas agree with protocol/report', () => {
  it('handset ids', () => {
    for (const id of ['A', 'TS-0001', 'ABCDEFGHIJKLMNOP', 'ABCDEFGHIJKLMNOPQ', '-A', 'ts', 'A B', '']) {
      expect(S.HandsetId.safeParse(id).success, id).toBe(HANDSET_ID_PATTERN.test(id));
    }
  });
  it('report events', () => {
    expect([...S.ReportEventCode.options].sort()).toEqual([...REPORT_EVENT_CODES].sort());
  });
  it('every wire and replay rejection has a report.rejected reason', () => {
    const reasons = new Set<string>(S.ReportRejectReason.options);
    for (const r of Object.values(WireReason)) if (r !== WireReason.NOT_MINE) expect(reasons, r).toContain(r);
    for (const r of Object.values(ReplayOutcome)) if (r !== ReplayOutcome.FRESH) expect(reasons, r).toContain(r);
  });
});

describe('types', () => {
  it('GatewayEventPayload is an event without its envelope (checked by tsc), and the store adds it', () => {
    const payload: S.GatewayEventPayload = { type: 'call.answered', callId: 'c-1', lineId: 'line1', by: 'handler' };
    const stored = { v: 1, seq: 7, at: AT, ...payload };
    expect(S.GatewayEvent.parse(stored)).toEqual(stored);
  });
});
